package io.github.homl.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.homl.data.FashionMnist;
import org.junit.jupiter.api.Test;

/** The data a run trains on: all of it, the quick preset, or bench's first N × 32 images. */
class RunConfigTest {

  @Test
  void trainImagesKeepsTheFirstImagesAndFourValidationBatches() {
    FashionMnist all = RunConfig.book().loadData();
    FashionMnist cut = RunConfig.book().withTrainImages(200 * 32).loadData();
    assertEquals(6400, cut.xTrain().count());
    assertEquals(6400, cut.yTrain().length);
    // validation costs a few batches per epoch, so an epoch's time is its training steps
    assertEquals(RunConfig.QUICK_VALID, cut.xValid().count());
    assertEquals(all.xTest().count(), cut.xTest().count());
    assertArrayEquals(all.xTrain().slice(0, 1).pixels(), cut.xTrain().slice(0, 1).pixels());
  }

  @Test
  void negativeTrainImagesIsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RunConfig.book().withTrainImages(-1));
    assertEquals("trainImages must be 0 (all) or more, got -1", e.getMessage());
  }
}
