package io.github.homl.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.data.Images;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** KID, class coverage, conditional accuracy and reconstruction MSE, without TensorFlow. */
class KidAndCoverageTest {

  @Test
  void kidOfASetWithItselfIsZeroAndOfAShiftedSetIsNot() {
    // subsets of 400 out of 5000: as with 1000 out of 10,000 in real use, the two subsets of one
    // set share few images (an image facing itself in k(x, x) biases KID slightly downwards)
    float[] x = FrechetDistanceTest.correlatedFeatures(new Random(1), 5000, 64, 0f);
    float[] shifted = FrechetDistanceTest.correlatedFeatures(new Random(2), 5000, 64, 0.2f);

    Kid self = Kid.of(x, 5000, x, 5000, 64, 10, 400, 42);
    Kid apart = Kid.of(x, 5000, shifted, 5000, 64, 10, 400, 42);

    String both = "self " + self + ", shifted " + apart;
    assertEquals(0, self.mean(), 2 * self.std(), both);
    assertTrue(apart.mean() > 3 * apart.std(), both);
    assertTrue(apart.mean() > 10 * Math.abs(self.mean()), both);
  }

  @Test
  void kidOfIdenticalSubsetsIsExactlyTheFormula() {
    // with m = n every subset is the whole set; then MMD² of a set with itself is
    // 2·mean_{i≠j} k - 2·mean_{i,j} k, a small negative number we can compute by hand
    double[][] a = {{1, 0}, {0, 1}, {1, 1}};
    double k01 = Math.pow(0 / 2.0 + 1, 3);
    double k02 = Math.pow(1 / 2.0 + 1, 3);
    double k12 = k02;
    double offDiagonal = (k01 + k02 + k12) / 3;
    double all =
        (2 * (k01 + k02 + k12) + Math.pow(1 / 2.0 + 1, 3) * 2 + Math.pow(2 / 2.0 + 1, 3)) / 9;
    assertEquals(2 * offDiagonal - 2 * all, Kid.mmd2(a, a, 2), 1e-12);
  }

  @Test
  void coverageOfOneClassIsZeroAndOfBalancedClassesIsOne() {
    assertEquals(0.0, Metrics.classCoverage(new int[] {3, 3, 3, 3}, 10), 0.0);
    int[] balanced = new int[1000];
    for (int i = 0; i < balanced.length; i++) {
      balanced[i] = i % 10;
    }
    assertEquals(1.0, Metrics.classCoverage(balanced, 10), 1e-12);
    assertEquals(Math.log(2) / Math.log(10), Metrics.classCoverage(new int[] {0, 7}, 10), 1e-12);
  }

  @Test
  void classAccuraciesSplitTheConditionalAccuracyByRequestedClass() {
    int[] predicted = {1, 1, 2, 0, 3};
    int[] requested = {1, 1, 2, 2, 3};

    double[] perClass = Metrics.classAccuracies(predicted, requested, 4);

    assertTrue(Double.isNaN(perClass[0]), "class 0 was never requested");
    assertEquals(1.0, perClass[1]);
    assertEquals(0.5, perClass[2]);
    assertEquals(1.0, perClass[3]);
    assertEquals(0.8, Metrics.conditionalAccuracy(predicted, requested), 1e-12);
    IllegalArgumentException outside =
        assertThrows(
            IllegalArgumentException.class,
            () -> Metrics.classAccuracies(new int[] {1}, new int[] {7}, 4));
    assertTrue(outside.getMessage().contains("outside 0..3"), outside.getMessage());
  }

  @Test
  void scoresShowAndSaveTheAccuracyOfEachRequestedClass() {
    double[] perClass = new double[10];
    java.util.Arrays.fill(perClass, 0.9);
    perClass[6] = 0.25; // Shirt
    Scores scores =
        new Scores(
                "cgan",
                100,
                12.5,
                new Kid(0.01, 0.001, 10, 10),
                0.99,
                new int[10],
                Double.NaN,
                new double[0],
                Double.NaN)
            .withConditionalAccuracy(0.8, perClass);

    String table = Scores.table(java.util.List.of(scores));
    assertTrue(table.contains("cgan: requested class found T-shirt/top 0.900"), table);
    assertTrue(table.contains("Shirt 0.250"), table);
    String json = scores.toJson();
    assertTrue(json.contains("\"conditional_accuracy\": 0.800000"), json);
    assertTrue(json.contains("\"class_accuracies\": {\"T-shirt/top\": 0.900000"), json);
    assertTrue(json.contains("\"Shirt\": 0.250000"), json);

    Scores unconditional = scores.withConditionalAccuracy(Double.NaN, new double[0]);
    assertTrue(
        unconditional.toJson().contains("\"class_accuracies\": null"), unconditional.toJson());
    assertTrue(!Scores.table(java.util.List.of(unconditional)).contains("requested class"));
  }

  @Test
  void conditionalAccuracyCountsRequestedClasses() {
    assertEquals(0.75, Metrics.conditionalAccuracy(new int[] {1, 2, 3, 4}, new int[] {1, 2, 3, 0}));
    assertThrows(
        IllegalArgumentException.class,
        () -> Metrics.conditionalAccuracy(new int[] {1}, new int[] {1, 2}));
  }

  @Test
  void reconstructionMseIsTheMeanSquaredPixelError() {
    Images a = new Images(new float[] {0, 0, 1, 1}, 1, 2, 2);
    Images b = new Images(new float[] {0, 0.5f, 1, 0}, 1, 2, 2);
    assertEquals((0.25 + 1) / 4, Metrics.reconstructionMse(a, b), 1e-12);
  }

  @Test
  void argmaxPicksTheLargestLogitOfEachRow() {
    float[] logits = {0, 5, 1, 9, -1, 3};
    assertEquals(1, Metrics.argmax(logits, 3)[0]);
    assertEquals(0, Metrics.argmax(logits, 3)[1]);
  }
}
