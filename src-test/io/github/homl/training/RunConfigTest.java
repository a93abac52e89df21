package io.github.homl.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.homl.data.FashionMnist;
import org.junit.jupiter.api.Test;

/** The data a run trains on: all of it, the quick preset, or bench's first N × 32 images. */
class RunConfigTest {

  @Test
  void trainImagesKeepsTheFirstImagesAndAProportionalValidationShare() {
    FashionMnist all = RunConfig.book().loadData();
    FashionMnist cut = RunConfig.book().withTrainImages(200 * 32).loadData();
    assertEquals(6400, cut.xTrain().count());
    assertEquals(6400, cut.yTrain().length);
    // 5,000 of 55,000 in the book's split: 6,400 training images keep 581 validation images
    assertEquals(6400L * all.xValid().count() / all.xTrain().count(), cut.xValid().count());
    assertEquals(all.xTest().count(), cut.xTest().count());
    assertArrayEquals(all.xTrain().slice(0, 1).pixels(), cut.xTrain().slice(0, 1).pixels());
    // a tiny cut still validates on one full batch of the largest batch size (128)
    assertEquals(
        RunConfig.QUICK_VALID, RunConfig.book().withTrainImages(64).loadData().xValid().count());
  }

  @Test
  void negativeTrainImagesIsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RunConfig.book().withTrainImages(-1));
    assertEquals("trainImages must be 0 (all) or more, got -1", e.getMessage());
  }
}
