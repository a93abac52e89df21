package io.github.homl.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.homl.training.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The layer contract ("The layer contract" in CONTRIBUTING.md) for one deterministic layer, as a
 * few static checks: static output shape, variable counts, no new variable on a second apply, and
 * analytic gradients (input and every weight) that agree with central finite differences of {@code
 * L = sum(output · r)}.
 */
final class LayerChecks {

  static final long SEED = 42;
  static final int BATCH = 2;

  private LayerChecks() {}

  /** The static output shape (batch unknown) on the training and the inference path. */
  static void assertOutputShape(Supplier<Layer> factory, long[] inputDims, long[] outputDims) {
    try (Workspace ws = Workspace.create(SEED)) {
      Layer layer = factory.get();
      Placeholder<TFloat32> x = ws.placeholder(withBatch(-1, inputDims));
      long[] expected = withBatch(-1, outputDims);
      assertArrayEquals(expected, layer.apply(ws.training(), x).shape().asArray(), "training");
      assertArrayEquals(expected, layer.apply(ws.inference(), x).shape().asArray(), "inference");
    }
  }

  /** The trainable and non-trainable counts, the VariableV2 ops, and none added by a 2nd apply. */
  static void assertVariables(Supplier<Layer> factory, long[] inputDims, int trainable) {
    try (Workspace ws = Workspace.create(SEED)) {
      Layer layer = factory.get();
      Placeholder<TFloat32> x = ws.placeholder(withBatch(-1, inputDims));
      layer.apply(ws.training(), x);
      List<Variable<TFloat32>> before = layer.trainableVariables();
      assertEquals(trainable, before.size(), "trainable");
      assertEquals(0, layer.nonTrainableVariables().size(), "non-trainable");
      assertEquals(trainable, GraphRuns.countOps(ws, "VariableV2"), "VariableV2 ops");

      layer.apply(ws.inference(), x);

      List<Variable<TFloat32>> after = layer.trainableVariables();
      assertEquals(before.size(), after.size(), "trainable after a second apply");
      for (int i = 0; i < before.size(); i++) {
        assertSame(before.get(i), after.get(i), "variable " + i);
      }
      assertEquals(trainable, GraphRuns.countOps(ws, "VariableV2"), "VariableV2 after 2nd apply");
    }
  }

  /** Gradients exist for the input and every weight and match central finite differences. */
  static void assertGradientsMatchFiniteDifferences(Supplier<Layer> factory, long[] inputDims) {
    try (Workspace ws = Workspace.create(SEED)) {
      Ops tf = ws.tf();
      Layer layer = factory.get();
      Placeholder<TFloat32> x = ws.placeholder(withBatch(-1, inputDims));
      Operand<TFloat32> y = tf.identity(layer.apply(ws.training(), x));
      long[] outDims = y.shape().asArray();
      outDims[0] = BATCH;
      float[] r = GraphRuns.randomValues(7, (int) Shape.of(outDims).size(), 0f);
      Operand<TFloat32> loss =
          tf.reduceSum(
              tf.math.mul(y, tf.constant(Shape.of(outDims), DataBuffers.of(r, true, false))),
              Layers.allAxes(tf, y));
      List<Variable<TFloat32>> variables = layer.trainableVariables();
      List<Output<?>> targets = new ArrayList<>(List.of(x.asOutput()));
      variables.forEach(v -> targets.add(v.asOutput()));
      Output<?>[] grads =
          ws.graph().addGradients(loss.asOutput(), targets.toArray(Output<?>[]::new));
      for (int i = 0; i < grads.length; i++) {
        assertNotNull(grads[i], "gradient " + i);
        assertFalse(grads[i].isClosed(), "gradient " + i + " is None");
      }
      float[] xs =
          GraphRuns.randomValues(3, (int) Shape.of(withBatch(BATCH, inputDims)).size(), 0.2f);
      List<float[]> analytic = GraphRuns.run(ws, Map.of(x, xs), List.of(grads));

      FiniteDifferences.Loss lossAt = input -> evaluate(ws, y, r, x, input);
      FiniteDifferences.assertClose(
          "d/d input", analytic.get(0), FiniteDifferences.inputGradient(lossAt, xs));
      for (int v = 0; v < variables.size(); v++) {
        FiniteDifferences.assertClose(
            "d/d " + variables.get(v).op().name(),
            analytic.get(v + 1),
            FiniteDifferences.variableGradient(ws, variables.get(v), () -> lossAt.at(xs)));
      }
    }
  }

  private static double evaluate(
      Workspace ws, Operand<TFloat32> y, float[] r, Placeholder<TFloat32> x, float[] xs) {
    float[] out = GraphRuns.run(ws, Map.of(x, xs), y);
    double sum = 0;
    for (int i = 0; i < out.length; i++) {
      sum += (double) out[i] * r[i];
    }
    return sum;
  }

  /** Sets a variable to {@code values} (a test's fixed weights). */
  static void assign(Workspace ws, Variable<TFloat32> variable, float[] values) {
    Ops tf = ws.tf();
    GraphRuns.run(
        ws,
        Map.of(),
        List.of(),
        tf.assign(variable, tf.constant(variable.shape(), DataBuffers.of(values, true, false))));
  }

  static long[] withBatch(long batch, long... dims) {
    long[] all = new long[dims.length + 1];
    all[0] = batch;
    System.arraycopy(dims, 0, all, 1, dims.length);
    return all;
  }
}
