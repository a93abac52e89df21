package io.github.homl.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

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
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The layer contract (style §4.10) for one deterministic layer, as a few static checks: static
 * output shape, variable counts, no new variable on a second apply, and analytic gradients (input
 * and every weight) that agree with central finite differences of {@code L = sum(output · r)}.
 */
final class LayerChecks {

  static final long SEED = 42;
  static final int BATCH = 2;
  private static final float EPS = 1e-2f;
  private static final double RTOL = 1e-2;
  private static final double ATOL = 1e-3;

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

      double[] numericX = new double[xs.length];
      for (int i = 0; i < xs.length; i++) {
        float[] plus = xs.clone();
        float[] minus = xs.clone();
        plus[i] += EPS;
        minus[i] -= EPS;
        numericX[i] =
            (evaluate(ws, y, r, x, plus) - evaluate(ws, y, r, x, minus)) / (plus[i] - minus[i]);
      }
      assertClose("d/d input", analytic.get(0), numericX);
      for (int v = 0; v < variables.size(); v++) {
        assertClose(
            "d/d " + variables.get(v).op().name(),
            analytic.get(v + 1),
            numericVariableGradient(ws, y, r, x, xs, variables.get(v)));
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

  private static double[] numericVariableGradient(
      Workspace ws,
      Operand<TFloat32> y,
      float[] r,
      Placeholder<TFloat32> x,
      float[] xs,
      Variable<TFloat32> variable) {
    Ops tf = ws.tf();
    Placeholder<TFloat32> value =
        tf.placeholder(TFloat32.class, Placeholder.shape(variable.shape()));
    Assign<TFloat32> set = tf.assign(variable, value);
    float[] original = GraphRuns.run(ws, Map.of(), tf.identity(variable));
    double[] grad = new double[original.length];
    for (int j = 0; j < original.length; j++) {
      float[] plus = original.clone();
      float[] minus = original.clone();
      plus[j] += EPS;
      minus[j] -= EPS;
      GraphRuns.run(ws, Map.of(value, plus), List.of(), set);
      double lossPlus = evaluate(ws, y, r, x, xs);
      GraphRuns.run(ws, Map.of(value, minus), List.of(), set);
      double lossMinus = evaluate(ws, y, r, x, xs);
      grad[j] = (lossPlus - lossMinus) / (plus[j] - minus[j]);
    }
    GraphRuns.run(ws, Map.of(value, original), List.of(), set);
    return grad;
  }

  private static void assertClose(String what, float[] analytic, double[] numeric) {
    assertEquals(numeric.length, analytic.length, what + ": size");
    for (int i = 0; i < numeric.length; i++) {
      double tolerance = ATOL + RTOL * Math.max(Math.abs(numeric[i]), Math.abs(analytic[i]));
      if (!(Math.abs(analytic[i] - numeric[i]) <= tolerance)) {
        fail(what + " entry " + i + ": analytic " + analytic[i] + ", numeric " + numeric[i]);
      }
    }
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
