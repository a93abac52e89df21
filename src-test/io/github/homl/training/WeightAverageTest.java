package io.github.homl.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** The moving average of a generator's weights follows each update with the warm-up decay. */
class WeightAverageTest {

  @Test
  void theAverageFollowsEachUpdateWithTheWarmUpDecay() {
    try (Workspace ws = Workspace.create(1)) {
      Ops tf = ws.tf();
      Variable<TFloat32> w = tf.variable(tf.withInitScope().constant(new float[] {1f, -2f}));
      Variable<TFloat32> average = tf.variable(tf.withInitScope().constant(new float[] {10f, 10f}));
      Operand<TFloat32> read = tf.identity(w);
      Operand<TFloat32> loss = tf.reduceSum(tf.math.square(read), tf.constant(0));
      GradientUpdate step = ws.gradientUpdate(loss, () -> List.of(w), () -> new Adam(0.1f));
      GradientUpdate averaged =
          new WeightAverage(ws, "average", List.of(w), List.of(average), 0.9f).after(step);
      Operand<TFloat32> averageRead = tf.identity(average);

      float[] expected = {10f, 10f};
      for (int t = 0; t < 30; t++) {
        averaged.run(Feeds.of());
        float[] weights = ws.run(read, Map.of());
        double decay = Math.min(0.9, (1.0 + t) / (10.0 + t));
        for (int i = 0; i < 2; i++) {
          expected[i] = (float) (weights[i] + decay * (expected[i] - weights[i]));
        }
        float[] actual = ws.run(averageRead, Map.of());
        for (int i = 0; i < 2; i++) {
          assertEquals(expected[i], actual[i], 1e-5, "step " + t + ", weight " + i);
        }
      }
      // the average's initial 10s are forgotten: it stays near the trained weights
      float[] weights = ws.run(read, Map.of());
      float[] actual = ws.run(averageRead, Map.of());
      for (int i = 0; i < 2; i++) {
        assertTrue(
            Math.abs(actual[i] - weights[i]) < 1, "average " + actual[i] + " vs " + weights[i]);
      }
    }
  }

  @Test
  void weightsAndAveragesOfDifferentShapesAreRefused() {
    try (Workspace ws = Workspace.create(1)) {
      Ops tf = ws.tf();
      Variable<TFloat32> w = tf.variable(tf.withInitScope().constant(new float[] {1f, 2f}));
      Variable<TFloat32> average = tf.variable(tf.withInitScope().constant(new float[] {1f}));

      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new WeightAverage(ws, "average", List.of(w), List.of(average), 0.999f));
      assertTrue(e.getMessage().contains("not the same architecture"), e.getMessage());
    }
  }
}
