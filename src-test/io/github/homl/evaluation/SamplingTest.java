package io.github.homl.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.data.Images;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplingTest {

  /** Image k is filled with the value k, so the assembled set shows where each batch landed. */
  private static Images numbered(int from, int to) {
    float[] pixels = new float[(to - from) * 4];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = from + i / 4;
    }
    return new Images(pixels, to - from, 2, 2);
  }

  @Test
  void asksForBoundedBatchesAndAssemblesThemInOrder() {
    List<int[]> asked = new ArrayList<>();
    Images images =
        Sampling.inBatches(
            7,
            3,
            (from, to) -> {
              asked.add(new int[] {from, to});
              return numbered(from, to);
            });

    assertEquals(List.of("0-3", "3-6", "6-7"), asked.stream().map(r -> r[0] + "-" + r[1]).toList());
    assertEquals(7, images.count());
    for (int k = 0; k < 7; k++) {
      for (float v : images.image(k)) {
        assertEquals(k, v, 0f);
      }
    }
  }

  @Test
  void aBatchOfTheWrongCountOrSizeIsAClearError() {
    IllegalArgumentException tooFew =
        assertThrows(
            IllegalArgumentException.class,
            () -> Sampling.inBatches(4, 2, (from, to) -> numbered(from, from + 1)));
    assertTrue(tooFew.getMessage().contains("samples 0..1"), tooFew.getMessage());

    IllegalArgumentException resized =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Sampling.inBatches(
                    4,
                    2,
                    (from, to) ->
                        from == 0 ? numbered(from, to) : new Images(new float[18], 2, 3, 3)));
    assertTrue(resized.getMessage().contains("expected 2 images of 2x2"), resized.getMessage());
  }

  @Test
  void nonPositiveCountsAreRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Sampling.inBatches(0, 2, (from, to) -> numbered(from, to)));
    assertThrows(
        IllegalArgumentException.class,
        () -> Sampling.inBatches(2, 0, (from, to) -> numbered(from, to)));
  }
}
