package io.github.homl.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.training.Workspace;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

class InitTest {

  private static float[] values(Init init, Shape shape, long seed) {
    try (Workspace ws = Workspace.create(42)) {
      return GraphRuns.run(ws, Map.of(), init.create(ws.tf(), shape, seed));
    }
  }

  private static double mean(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  private static double std(float[] values) {
    double mean = mean(values);
    double sum = 0;
    for (float v : values) {
      sum += (v - mean) * (v - mean);
    }
    return Math.sqrt(sum / values.length);
  }

  @Test
  void glorotUniformIsCentredOnZeroWithinPlusMinusLimit() {
    // the bug this guards against: tensorflow-framework 1.1.0's Glorot draws U(0, limit)
    float[] w = values(Init.GLOROT_UNIFORM, Shape.of(784, 100), 7);
    double limit = Math.sqrt(6.0 / (784 + 100));

    double min = Arrays.stream(toDoubles(w)).min().orElseThrow();
    double max = Arrays.stream(toDoubles(w)).max().orElseThrow();
    assertTrue(
        min > -limit - 1e-7 && max < limit + 1e-7,
        "outside (-limit, limit): " + min + " .. " + max + " with limit " + limit);
    assertTrue(min < -0.99 * limit, "no value near -limit: min " + min);
    assertTrue(max > 0.99 * limit, "no value near +limit: max " + max);
    // U(-l, l) has std l / sqrt(3); the mean of 78400 draws has standard error l / 485
    assertEquals(0, mean(w), 0.02 * limit, "mean");
    assertEquals(limit / Math.sqrt(3), std(w), 0.02 * limit, "std");
  }

  @Test
  void glorotUniformUsesFanInPlusFanOutIncludingTheReceptiveField() {
    // a 3x3 conv kernel from 4 to 8 channels: fanIn = 36, fanOut = 72
    float[] w = values(Init.GLOROT_UNIFORM, Shape.of(3, 3, 4, 8), 7);
    double limit = Math.sqrt(6.0 / (36 + 72));

    double maxAbs = Arrays.stream(toDoubles(w)).map(Math::abs).max().orElseThrow();
    assertTrue(maxAbs <= limit && maxAbs > 0.9 * limit, "max |w| " + maxAbs + ", limit " + limit);
  }

  @Test
  void heNormalHasStddevSqrtTwoOverFanInAndZeroMean() {
    float[] w = values(Init.HE_NORMAL, Shape.of(400, 300), 7);
    double expected = Math.sqrt(2.0 / 400);

    assertEquals(expected, std(w), 0.03 * expected, "std");
    assertEquals(0, mean(w), 0.02 * expected, "mean");
    double maxAbs = Arrays.stream(toDoubles(w)).map(Math::abs).max().orElseThrow();
    // truncated at two standard deviations of the underlying (pre-truncation) normal
    assertTrue(maxAbs <= 2 * expected / 0.87962566103423978 + 1e-6, "max |w| " + maxAbs);
  }

  @Test
  void sameSeedGivesTheSameWeightsAndAnotherSeedOthers() {
    float[] a = values(Init.GLOROT_UNIFORM, Shape.of(20, 10), 7);
    float[] b = values(Init.GLOROT_UNIFORM, Shape.of(20, 10), 7);
    float[] c = values(Init.GLOROT_UNIFORM, Shape.of(20, 10), 8);

    assertTrue(Arrays.equals(a, b));
    assertFalse(Arrays.equals(a, c));
  }

  @Test
  void zerosAndOnesAreConstant() {
    float[] zeros = values(Init.ZEROS, Shape.of(3, 5), 1);
    float[] ones = values(Init.ONES, Shape.of(3, 5), 1);

    float[] expectedOnes = new float[15];
    Arrays.fill(expectedOnes, 1f);
    assertTrue(Arrays.equals(new float[15], zeros));
    assertTrue(Arrays.equals(expectedOnes, ones));
  }

  private static double[] toDoubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
