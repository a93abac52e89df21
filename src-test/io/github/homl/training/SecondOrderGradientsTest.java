package io.github.homl.training;

import io.github.homl.layers.FiniteDifferences;
import io.github.homl.layers.GraphRuns;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Each of the three Java gradients agrees with finite differences on a smooth function that needs
 * it: {@code P(w) = sum((d y(u, w) / d u)²)}, whose gradient with respect to {@code w} goes through
 * the first gradient's {@code SqrtGrad}, {@code AvgPoolGrad} or {@code Mean} shape arithmetic (the
 * {@code OnesLike} of the C++ gradient).
 */
class SecondOrderGradientsTest {

  @Test
  void sqrtGradHasTheGradientOfDyTimesHalfOverY() {
    check(
        new float[] {1.5f, 2.5f, 0.8f},
        new float[] {0.5f, -1f, 2f},
        (tf, uw) ->
            tf.reduceSum(
                tf.math.sqrt(
                    tf.math.mul(uw.get(0), tf.math.add(tf.math.square(uw.get(1)), one(tf)))),
                tf.constant(0)));
  }

  @Test
  void avgPoolGradHasTheGradientOfAveragePooling() {
    float[] u = GraphRuns.randomValues(1, 16, 0.1f);
    check(
        u,
        new float[] {0.5f, -1f, 2f, 0.3f},
        (tf, uw) -> {
          Operand<TFloat32> image = tf.reshape(uw.get(0), tf.constant(new long[] {1, 4, 4, 1}));
          Operand<TFloat32> pooled =
              tf.nn.avgPool(image, List.of(1L, 2L, 2L, 1L), List.of(1L, 2L, 2L, 1L), "VALID");
          Operand<TFloat32> weights = tf.reshape(uw.get(1), tf.constant(new long[] {1, 2, 2, 1}));
          return tf.reduceSum(
              tf.math.mul(pooled, tf.math.square(weights)), tf.constant(new int[] {0, 1, 2, 3}));
        });
  }

  @Test
  void theShapeArithmeticOfMeanHasAZeroGradient() {
    check(
        GraphRuns.randomValues(2, 6, 0.1f),
        new float[] {0.5f, -1f, 2f},
        (tf, uw) -> {
          Operand<TFloat32> u = tf.reshape(uw.get(0), tf.constant(new long[] {2, 3}));
          Operand<TFloat32> means = tf.math.mean(tf.math.mul(u, uw.get(1)), tf.constant(0));
          return tf.reduceSum(tf.math.mul(means, uw.get(1)), tf.constant(0));
        });
  }

  private static Operand<TFloat32> one(Ops tf) {
    return tf.constant(1f);
  }

  /**
   * Builds {@code y(u, w)} for a constant {@code u} and a variable {@code w}, then {@code P =
   * sum((dy/du)²)} and {@code dP/dw}, and compares it with finite differences.
   */
  private static void check(
      float[] u, float[] w, BiFunction<Ops, List<Operand<TFloat32>>, Operand<TFloat32>> y) {
    SecondOrderGradients.enable();
    try (Workspace ws = Workspace.create(3)) {
      Ops tf = ws.tf();
      Operand<TFloat32> input = tf.constant(u);
      Variable<TFloat32> weights = tf.variable(tf.withInitScope().constant(w));
      Operand<TFloat32> output = y.apply(tf, List.of(input, tf.identity(weights)));
      // the default seed of d y / d u is an OnesLike of y, which needs its gradient too
      Output<?> dyDu =
          ws.graph().addGradients(output.asOutput(), new Output<?>[] {input.asOutput()})[0];
      Operand<TFloat32> p =
          tf.reduceSum(tf.math.square(dyDu.expect(TFloat32.class)), tf.constant(0));
      Output<?> dpDw =
          ws.graph().addGradients(p.asOutput(), new Output<?>[] {weights.asOutput()})[0];
      FiniteDifferences.assertClose(
          "dP/dw",
          GraphRuns.run(ws, Map.of(), dpDw),
          FiniteDifferences.variableGradient(ws, weights, () -> GraphRuns.run(ws, Map.of(), p)[0]));
    }
  }
}
