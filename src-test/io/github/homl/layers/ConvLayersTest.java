package io.github.homl.layers;

import static io.github.homl.layers.GraphRuns.countOps;
import static io.github.homl.layers.GraphRuns.randomValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.homl.training.Feeds;
import io.github.homl.training.RMSProp;
import io.github.homl.training.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Contracts of the DCGAN's layers: {@link Conv2D}, {@link Conv2DTranspose} (shapes, Keras kernel
 * layouts, gradients checked against finite differences) and {@link BatchNormalization} (batch
 * moments in training, the Keras moving-average update after one train step, moving statistics at
 * inference).
 */
class ConvLayersTest {

  private static final float BN_EPSILON = 1e-3f;
  private static final float MOMENTUM = 0.99f;

  /** A layer, the shape of one input example, and its expected variables. */
  record Case(
      String name,
      Supplier<Layer> factory,
      long[] inputDims,
      long[] outputDims,
      long[][] variableShapes,
      int nonTrainable) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "Conv2D(3, 3) same stride 2: 4x4 -> 2x2",
            () -> new Conv2D(3, 3).strides(2).padding(Padding.SAME).activation(Activation.TANH),
            dims(4, 4, 2),
            dims(2, 2, 3),
            new long[][] {dims(3, 3, 2, 3), dims(3)},
            0),
        new Case(
            "Conv2D(2, 3) valid: 5x5 -> 3x3",
            () -> new Conv2D(2, 3),
            dims(5, 5, 2),
            dims(3, 3, 2),
            new long[][] {dims(3, 3, 2, 2), dims(2)},
            0),
        new Case(
            "Conv2D(1, 3) same (the depthwise form): 4x4 -> 4x4",
            () -> new Conv2D(1, 3).padding(Padding.SAME),
            dims(4, 4, 3),
            dims(4, 4, 1),
            new long[][] {dims(3, 3, 3, 1), dims(1)},
            0),
        new Case(
            "Conv2D(1, 3) valid stride 2 (the depthwise form): 5x5 -> 2x2",
            () -> new Conv2D(1, 3).strides(2).activation(Activation.TANH),
            dims(5, 5, 2),
            dims(2, 2, 1),
            new long[][] {dims(3, 3, 2, 1), dims(1)},
            0),
        new Case(
            "Conv2DTranspose(2, 3) same stride 2: 3x3 -> 6x6",
            () -> new Conv2DTranspose(2, 3).strides(2).padding(Padding.SAME),
            dims(3, 3, 3),
            dims(6, 6, 2),
            new long[][] {dims(3, 3, 2, 3), dims(2)},
            0),
        new Case(
            "Conv2DTranspose(2, 3) valid stride 2: 2x2 -> 5x5",
            () -> new Conv2DTranspose(2, 3).strides(2).activation(Activation.TANH),
            dims(2, 2, 3),
            dims(5, 5, 2),
            new long[][] {dims(3, 3, 2, 3), dims(2)},
            0),
        new Case(
            "BatchNormalization 4-D",
            BatchNormalization::new,
            dims(3, 3, 2),
            dims(3, 3, 2),
            new long[][] {dims(2), dims(2)},
            2));
  }

  @Test
  void conv2DTransposeSamePaddingStride2Turns7x7Into14x14() {
    assertShapes(
        new Conv2DTranspose(64, 5).strides(2).padding(Padding.SAME),
        dims(7, 7, 128),
        dims(14, 14, 64));
  }

  @Test
  void conv2DTransposeValidPaddingStride2Kernel3Turns3x3Into7x7() {
    assertShapes(new Conv2DTranspose(32, 3).strides(2), dims(3, 3, 64), dims(7, 7, 32));
  }

  @Test
  void conv2DSamePaddingStride2Turns28x28Into14x14() {
    assertShapes(
        new Conv2D(64, 5).strides(2).padding(Padding.SAME), dims(28, 28, 1), dims(14, 14, 64));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void staticAndRuntimeOutputShapesMatch(Case c) {
    assertShapes(c.factory().get(), c.inputDims(), c.outputDims());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void createsItsVariablesInKerasLayout(Case c) {
    try (Workspace ws = Workspace.create(42)) {
      Layer layer = c.factory().get();
      layer.apply(ws.training(), ws.placeholder(withBatch(-1, c.inputDims())));

      List<Variable<TFloat32>> trainable = layer.trainableVariables();
      assertEquals(c.variableShapes().length, trainable.size(), "trainable");
      for (int i = 0; i < trainable.size(); i++) {
        assertArrayEquals(
            c.variableShapes()[i],
            trainable.get(i).shape().asArray(),
            trainable.get(i).op().name());
      }
      assertEquals(c.nonTrainable(), layer.nonTrainableVariables().size(), "non-trainable");
      assertEquals(trainable.size() + c.nonTrainable(), countOps(ws, "VariableV2"), "VariableV2");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void secondApplyCreatesNoNewVariable(Case c) {
    try (Workspace ws = Workspace.create(42)) {
      Layer layer = c.factory().get();
      Placeholder<TFloat32> x = ws.placeholder(withBatch(-1, c.inputDims()));
      layer.apply(ws.training(), x);
      int before = countOps(ws, "VariableV2");

      layer.apply(ws.inference(), x);
      layer.apply(ws.training(), x);

      assertEquals(before, countOps(ws, "VariableV2"));
      assertEquals(c.variableShapes().length, layer.trainableVariables().size());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientsExistAndAgreeWithCentralFiniteDifferences(Case c) {
    try (Workspace ws = Workspace.create(42)) {
      Ops tf = ws.tf();
      Layer layer = c.factory().get();
      Placeholder<TFloat32> x = ws.placeholder(withBatch(-1, c.inputDims()));
      Operand<TFloat32> y = tf.identity(layer.apply(ws.training(), x));
      // L = sum(y · r) for fixed random r, so every output entry matters
      float[] r = randomValues(7, (int) Shape.of(withBatch(2, c.outputDims())).size(), 0f);
      Operand<TFloat32> loss =
          tf.reduceSum(
              tf.math.mul(
                  y,
                  tf.constant(
                      Shape.of(withBatch(2, c.outputDims())), DataBuffers.of(r, true, false))),
              Layers.allAxes(tf, y));
      List<Variable<TFloat32>> variables = layer.trainableVariables();
      List<Output<?>> targets = new ArrayList<>();
      targets.add(x.asOutput());
      variables.forEach(v -> targets.add(v.asOutput()));
      Output<?>[] grads =
          ws.graph().addGradients(loss.asOutput(), targets.toArray(Output<?>[]::new));
      for (int i = 0; i < grads.length; i++) {
        assertNotNull(grads[i], "gradient " + i);
        assertFalse(grads[i].isClosed(), "gradient " + i + " is None");
      }
      float[] xs = randomValues(3, (int) Shape.of(withBatch(2, c.inputDims())).size(), 0.1f);
      List<float[]> analytic = GraphRuns.run(ws, Map.of(x, xs), List.of(grads));

      FiniteDifferences.assertClose(
          "d/d input",
          analytic.get(0),
          FiniteDifferences.inputGradient(input -> lossAt(ws, loss, x, input), xs));
      for (int v = 0; v < variables.size(); v++) {
        FiniteDifferences.assertClose(
            "d/d " + variables.get(v).op().name(),
            analytic.get(v + 1),
            FiniteDifferences.variableGradient(
                ws, variables.get(v), () -> lossAt(ws, loss, x, xs)));
      }
    }
  }

  @ParameterizedTest(name = "stride {0}")
  @ValueSource(ints = {1, 2})
  void oneFilterGivesTheSameNumbersAsTheConv2DOp(int stride) {
    try (Workspace ws = Workspace.create(42)) {
      Ops tf = ws.tf();
      Conv2D layer = new Conv2D(1, 3).strides(stride).padding(Padding.SAME);
      Placeholder<TFloat32> x = ws.placeholder(-1, 6, 6, 5);
      Operand<TFloat32> y = tf.identity(layer.apply(ws.training(), x));
      List<Variable<TFloat32>> weights = layer.trainableVariables();
      LayerChecks.assign(ws, weights.get(1), new float[] {0.25f});
      Operand<TFloat32> reference =
          tf.nn.biasAdd(
              tf.nn.conv2d(
                  x, weights.get(0), List.of(1L, (long) stride, (long) stride, 1L), "SAME"),
              weights.get(1));
      float[] xs = randomValues(5, 2 * 6 * 6 * 5, 0.1f);

      List<float[]> out = GraphRuns.run(ws, Map.of(x, xs), List.of(y, reference));

      assertEquals(2 * 36 / (stride * stride), out.get(0).length);
      assertEquals(1, countOps(ws, "Conv2D"), "the reference is the only Conv2D op");
      assertArrayEquals(out.get(1), out.get(0), 1e-5f);
    }
  }

  @Test
  void batchNormalizationTrainingOutputUsesTheBatchMoments() {
    float[] xs = randomValues(11, 4 * 2 * 2 * 3, 0.1f); // [4, 2, 2, 3]: 16 values per channel
    float[] gamma = {1.5f, -0.5f, 2f};
    float[] beta = {0.25f, 0f, -1f};
    try (Workspace ws = Workspace.create(42)) {
      BatchNormalization bn = new BatchNormalization();
      Placeholder<TFloat32> x = ws.placeholder(-1, 2, 2, 3);
      Operand<TFloat32> y = ws.tf().identity(bn.apply(ws.training(), x));
      LayerChecks.assign(ws, bn.trainableVariables().get(0), gamma);
      LayerChecks.assign(ws, bn.trainableVariables().get(1), beta);

      float[] out = GraphRuns.run(ws, Map.of(x, xs), y);

      double[][] moments = channelMoments(xs, 3);
      for (int i = 0; i < xs.length; i++) {
        int ch = i % 3;
        double expected =
            gamma[ch] * (xs[i] - moments[0][ch]) / Math.sqrt(moments[1][ch] + BN_EPSILON)
                + beta[ch];
        assertEquals(expected, out[i], 1e-5, "entry " + i);
      }
    }
  }

  @Test
  void batchNormalizationMovingStatisticsFollowTheKerasFormulaAfterOneTrainStep() {
    float[] xs = randomValues(13, 4 * 2 * 2 * 3, 0.1f); // n = 16 per channel
    try (Workspace ws = Workspace.create(42)) {
      BatchNormalization bn = new BatchNormalization();
      Placeholder<TFloat32> x = ws.placeholder(-1, 2, 2, 3);
      Operand<TFloat32> y = bn.apply(ws.training(), x);
      Ops tf = ws.tf();
      Operand<TFloat32> loss = tf.reduceSum(tf.math.square(y), Layers.allAxes(tf, y));
      ws.gradientUpdate(loss, bn, RMSProp::new).run(Feeds.of().floats(x, xs, 4, 2, 2, 3));

      float[] movingMean = read(ws, bn.nonTrainableVariables().get(0));
      float[] movingVariance = read(ws, bn.nonTrainableVariables().get(1));

      double[][] moments = channelMoments(xs, 3);
      int n = 16;
      for (int ch = 0; ch < 3; ch++) {
        // moving = moving · momentum + batch · (1 - momentum), from 0 and 1
        assertEquals(moments[0][ch] * (1 - MOMENTUM), movingMean[ch], 1e-6, "mean " + ch);
        double unbiased = moments[1][ch] * n / (n - 1); // the fused kernel's 4-D batch variance
        assertEquals(
            MOMENTUM + unbiased * (1 - MOMENTUM), movingVariance[ch], 1e-6, "variance " + ch);
      }
    }
  }

  /**
   * Why a training-mode batch norm and the ReLU after it stay two kernels in Java (TensorFlow fuses
   * the pair only when the batch norm's output has one reader): the C++ gradient of {@code Relu},
   * which {@code Graph.addGradients} uses, reads the ReLU's input, a second reader of what feeds
   * the ReLU (Python's reads the ReLU's output), and TF Java cannot replace a gradient that
   * TensorFlow registers. If either changes, this fails.
   */
  @Test
  void theReluGradientReadsTheBatchNormOutputSoTheTwoCannotFuse() {
    try (Workspace ws = Workspace.create(42)) {
      BatchNormalization bn = new BatchNormalization();
      Placeholder<TFloat32> x = ws.placeholder(-1, 4, 4, 3);
      Ops tf = ws.tf();
      Operand<TFloat32> normalized = bn.apply(ws.training(), x);
      Operand<TFloat32> y = tf.nn.relu(normalized);
      ws.gradientUpdate(tf.reduceSum(tf.math.square(y), Layers.allAxes(tf, y)), bn, RMSProp::new);

      GraphOperation reluInput = (GraphOperation) normalized.op();
      List<String> readers = new ArrayList<>();
      reluInput.consumers(0).forEach(op -> readers.add(op.type()));
      readers.sort(null);
      assertEquals(List.of("Relu", "ReluGrad"), readers, "readers of the ReLU's input");
      assertFalse(
          TensorFlow.registerCustomGradient("Relu", (tfg, op, gradInputs) -> List.of()),
          "TF Java replaced the Relu gradient");
    }
  }

  @Test
  void batchNormalizationOn2DInputsMovesTheVarianceByTheBiasedBatchVariance() {
    float[] xs = randomValues(17, 5 * 2, 0.1f); // [5, 2]
    try (Workspace ws = Workspace.create(42)) {
      BatchNormalization bn = new BatchNormalization();
      Placeholder<TFloat32> x = ws.placeholder(-1, 2);
      Operand<TFloat32> y = bn.apply(ws.training(), x);
      Ops tf = ws.tf();
      ws.gradientUpdate(tf.reduceSum(tf.math.square(y), Layers.allAxes(tf, y)), bn, RMSProp::new)
          .run(Feeds.of().floats(x, xs, 5, 2));

      float[] movingVariance = read(ws, bn.nonTrainableVariables().get(1));

      double[][] moments = channelMoments(xs, 2);
      for (int ch = 0; ch < 2; ch++) {
        assertEquals(
            MOMENTUM + moments[1][ch] * (1 - MOMENTUM), movingVariance[ch], 1e-6, "variance " + ch);
      }
    }
  }

  @Test
  void batchNormalizationInferenceUsesTheMovingStatisticsAndLeavesThemAlone() {
    float[] xs = randomValues(19, 2 * 2 * 2 * 3, 0.1f);
    float[] mean = {0.5f, -0.25f, 1f};
    float[] variance = {2f, 0.5f, 0.1f};
    float[] gamma = {1.5f, 1f, -2f};
    float[] beta = {0f, 0.5f, 0.25f};
    try (Workspace ws = Workspace.create(42)) {
      BatchNormalization bn = new BatchNormalization();
      Placeholder<TFloat32> x = ws.placeholder(-1, 2, 2, 3);
      Operand<TFloat32> y = ws.tf().identity(bn.apply(ws.inference(), x));
      LayerChecks.assign(ws, bn.trainableVariables().get(0), gamma);
      LayerChecks.assign(ws, bn.trainableVariables().get(1), beta);
      LayerChecks.assign(ws, bn.nonTrainableVariables().get(0), mean);
      LayerChecks.assign(ws, bn.nonTrainableVariables().get(1), variance);

      float[] out = GraphRuns.run(ws, Map.of(x, xs), y);

      for (int i = 0; i < xs.length; i++) {
        int ch = i % 3;
        double expected =
            gamma[ch] * (xs[i] - mean[ch]) / Math.sqrt(variance[ch] + BN_EPSILON) + beta[ch];
        assertEquals(expected, out[i], 1e-5, "entry " + i);
      }
      assertArrayEquals(mean, read(ws, bn.nonTrainableVariables().get(0)), "moving mean");
      assertArrayEquals(variance, read(ws, bn.nonTrainableVariables().get(1)), "moving variance");
    }
  }

  // helpers

  private static void assertShapes(Layer layer, long[] inputDims, long[] outputDims) {
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> x = ws.placeholder(withBatch(-1, inputDims));
      Operand<TFloat32> training = layer.apply(ws.training(), x);
      Operand<TFloat32> inference = layer.apply(ws.inference(), x);
      assertArrayEquals(withBatch(-1, outputDims), training.shape().asArray(), "static, training");
      assertArrayEquals(
          withBatch(-1, outputDims), inference.shape().asArray(), "static, inference");

      float[] xs = randomValues(5, (int) Shape.of(withBatch(2, inputDims)).size(), 0f);
      float[] out = GraphRuns.run(ws, Map.of(x, xs), ws.tf().identity(inference));
      assertEquals(Shape.of(withBatch(2, outputDims)).size(), out.length, "runtime size");
    }
  }

  private static double lossAt(
      Workspace ws, Operand<TFloat32> loss, Placeholder<TFloat32> x, float[] xs) {
    return GraphRuns.run(ws, Map.of(x, xs), loss)[0];
  }

  private static float[] read(Workspace ws, Variable<TFloat32> variable) {
    return GraphRuns.run(ws, Map.of(), ws.tf().identity(variable));
  }

  /** Per-channel mean and biased variance of channels-last values. */
  private static double[][] channelMoments(float[] xs, int channels) {
    double[] mean = new double[channels];
    double[] variance = new double[channels];
    int n = xs.length / channels;
    for (int i = 0; i < xs.length; i++) {
      mean[i % channels] += xs[i] / (double) n;
    }
    for (int i = 0; i < xs.length; i++) {
      double d = xs[i] - mean[i % channels];
      variance[i % channels] += d * d / n;
    }
    return new double[][] {mean, variance};
  }

  private static long[] dims(long... dims) {
    return dims;
  }

  private static long[] withBatch(long batch, long[] dims) {
    long[] all = new long[dims.length + 1];
    all[0] = batch;
    System.arraycopy(dims, 0, all, 1, dims.length);
    return all;
  }
}
