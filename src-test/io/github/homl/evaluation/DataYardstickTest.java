package io.github.homl.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.data.FashionMnist;
import io.github.homl.data.Images;
import io.github.homl.training.Seeds;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Exercise 11's yardstick on a made-up two-class set of 4×4 images. */
class DataYardstickTest {

  /** Class 0: the top half bright; class 1: the bottom half; plus noise. */
  private static Images images(int n, int[] labels, Random random) {
    float[] pixels = new float[n * 16];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < 16; p++) {
        boolean top = p < 8;
        float base = (labels[i] == 0) == top ? 0.8f : 0.1f;
        pixels[i * 16 + p] = base + 0.1f * (float) random.nextDouble();
      }
    }
    return new Images(pixels, n, 4, 4);
  }

  private static int[] alternating(int n) {
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 2;
    }
    return labels;
  }

  @Test
  void realImagesScoreNearTheFloorAndOneClassOnlyHasNoCoverage() {
    Random random = new Random(1);
    int[] yTrain = alternating(256);
    int[] yValid = alternating(64);
    int[] yTest = alternating(64);
    FashionMnist data =
        new FashionMnist(
            images(256, yTrain, random),
            yTrain,
            images(64, yValid, random),
            yValid,
            images(64, yTest, random),
            yTest,
            "made up",
            false,
            2);
    Seeds seeds = Seeds.BOOK;

    Map<String, Double> real =
        DataYardstick.score(seeds, 500, "real", data, n -> images(n, alternating(n), random));
    Map<String, Double> oneClass =
        DataYardstick.score(seeds, 500, "one", data, n -> images(n, new int[n], random));

    assertTrue(real.get("real yardstick test accuracy") > 0.95, real.toString());
    assertEquals(1.0, real.get("real coverage"), 0.01);
    assertEquals(0.0, oneClass.get("one coverage"), 0.01);
    assertTrue(
        oneClass.get("one FID-data") > 5 * real.get("real FID-data") + 1e-3,
        real + " vs " + oneClass);
  }
}
