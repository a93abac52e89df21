package io.github.homl.layers;

import static io.github.homl.layers.GraphRuns.countOps;
import static io.github.homl.layers.GraphRuns.randomValues;
import static io.github.homl.layers.GraphRuns.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.training.Workspace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The Keras {@code run_layer_test} analog ("The layer contract" in CONTRIBUTING.md): every layer
 * runs the same contract on a tiny input. The batch axis is left unknown in the placeholder and is
 * {@value #BATCH} at run time.
 */
class LayerContractTest {

  private static final long SEED = 42;
  private static final int BATCH = 2;

  /** How a layer's training path relates to its inference path. */
  enum Kind {
    /** Same deterministic function on both paths. */
    PLAIN,
    /** The exact identity on both paths (its effect is elsewhere, e.g. an added loss). */
    IDENTITY,
    /** Random mask on the training path, identity at inference. */
    DROPOUT,
    /** Additive random noise on the training path, identity at inference. */
    NOISE
  }

  record Case(
      String name,
      Supplier<Layer> factory,
      long[] inputDims,
      long[] outputDims,
      int trainable,
      int nonTrainable,
      Kind kind) {

    boolean random() {
      return kind == Kind.DROPOUT || kind == Kind.NOISE;
    }

    boolean identityAtInference() {
      return kind != Kind.PLAIN;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static Case dense(String name, Supplier<Layer> factory) {
    return new Case(name, factory, dims(4), dims(3), 2, 0, Kind.PLAIN);
  }

  private static Case elementwise(String name, Supplier<Layer> factory, Kind kind) {
    return new Case(name, factory, dims(3, 4), dims(3, 4), 0, 0, kind);
  }

  static Stream<Case> cases() {
    return Stream.of(
        dense("Dense(3)", () -> new Dense(3)),
        dense("Dense(3, RELU)", () -> new Dense(3, Activation.RELU)),
        dense("Dense(3, SIGMOID)", () -> new Dense(3, Activation.SIGMOID)),
        dense("Dense(3, TANH)", () -> new Dense(3, Activation.TANH)),
        dense("Dense(3, leakyRelu(0.2))", () -> new Dense(3, Activation.leakyRelu(0.2f))),
        dense(
            "Dense(3, RELU) he_normal",
            () -> new Dense(3, Activation.RELU).kernelInitializer(Init.HE_NORMAL)),
        new Case("Flatten", Flatten::new, dims(3, 4), dims(12), 0, 0, Kind.PLAIN),
        new Case("Reshape(3, 4)", () -> new Reshape(3, 4), dims(12), dims(3, 4), 0, 0, Kind.PLAIN),
        elementwise("Dropout(0.5)", () -> new Dropout(0.5f), Kind.DROPOUT),
        elementwise("GaussianNoise(0.2)", () -> new GaussianNoise(0.2f), Kind.NOISE),
        elementwise(
            "ActivityRegularization(1e-2)", () -> new ActivityRegularization(1e-2f), Kind.IDENTITY),
        elementwise("LINEAR", () -> Activation.LINEAR, Kind.IDENTITY),
        elementwise("RELU", () -> Activation.RELU, Kind.PLAIN),
        elementwise("SIGMOID", () -> Activation.SIGMOID, Kind.PLAIN),
        elementwise("TANH", () -> Activation.TANH, Kind.PLAIN),
        elementwise("leakyRelu(0.2)", () -> Activation.leakyRelu(0.2f), Kind.PLAIN),
        // few rows: finite differences across the L1 norm's kink at 0 would disagree
        new Case(
            "MinibatchDiscrimination(2, 1, 2)",
            () -> new MinibatchDiscrimination(2, 1, 2),
            dims(4),
            dims(6),
            1,
            0,
            Kind.PLAIN),
        new Case(
            "MinibatchStdDev(2)",
            () -> new MinibatchStdDev(2),
            dims(3, 3, 2),
            dims(3, 3, 3),
            0,
            0,
            Kind.PLAIN),
        new Case(
            "Sequential(Flatten, Dense(5, RELU), Dense(2))",
            () -> Sequential.of(new Flatten(), new Dense(5, Activation.RELU), new Dense(2)),
            dims(3, 4),
            dims(2),
            4,
            0,
            Kind.PLAIN));
  }

  static Stream<Case> randomCases() {
    return cases().filter(Case::random);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void staticOutputShapeIsKnownOnBothPaths(Case c) {
    try (Workspace ws = Workspace.create(SEED)) {
      Layer layer = c.factory().get();
      Placeholder<TFloat32> x = input(ws, c);

      // Shape.equals is false for unknown axes, so compare the dimension arrays
      long[] expected = withBatch(-1, c.outputDims());
      assertArrayEquals(expected, layer.apply(ws.training(), x).shape().asArray(), "training");
      assertArrayEquals(expected, layer.apply(ws.inference(), x).shape().asArray(), "inference");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void createsTheExpectedNumberOfVariables(Case c) {
    try (Workspace ws = Workspace.create(SEED)) {
      Layer layer = c.factory().get();
      layer.apply(ws.training(), input(ws, c));

      assertEquals(c.trainable(), layer.trainableVariables().size(), "trainable");
      assertEquals(c.nonTrainable(), layer.nonTrainableVariables().size(), "non-trainable");
      assertEquals(
          c.trainable() + c.nonTrainable(),
          countOps(ws, "VariableV2"),
          "VariableV2 ops in the graph");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void secondApplyCreatesNoNewVariable(Case c) {
    try (Workspace ws = Workspace.create(SEED)) {
      Layer layer = c.factory().get();
      Placeholder<TFloat32> x = input(ws, c);
      layer.apply(ws.training(), x);
      List<Variable<TFloat32>> before = layer.trainableVariables();
      int opsBefore = countOps(ws, "VariableV2");

      layer.apply(ws.inference(), x);

      List<Variable<TFloat32>> after = layer.trainableVariables();
      assertEquals(before.size(), after.size());
      for (int i = 0; i < before.size(); i++) {
        assertSame(before.get(i), after.get(i), "trainable variable " + i);
      }
      assertEquals(opsBefore, countOps(ws, "VariableV2"), "VariableV2 ops in the graph");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void inferenceIsDeterministic(Case c) {
    try (Workspace ws = Workspace.create(SEED)) {
      Placeholder<TFloat32> x = input(ws, c);
      Operand<TFloat32> y = fetchable(ws, c.factory().get().apply(ws.inference(), x));
      float[] xs = inputValues(c);

      float[] first = run(ws, Map.of(x, xs), y);
      float[] second = run(ws, Map.of(x, xs), y);

      assertArrayEquals(first, second);
      if (c.identityAtInference()) {
        assertArrayEquals(xs, first, 0f, "inference must be the exact identity");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void trainingIsFreshlyRandomForRandomLayersAndDeterministicOtherwise(Case c) {
    try (Workspace ws = Workspace.create(SEED)) {
      Placeholder<TFloat32> x = input(ws, c);
      Operand<TFloat32> train = fetchable(ws, c.factory().get().apply(ws.training(), x));
      Map<Placeholder<TFloat32>, float[]> feed = Map.of(x, inputValues(c));

      float[] first = run(ws, feed, train);
      float[] second = run(ws, feed, train);

      assertEquals(
          !c.random(),
          Arrays.equals(first, second),
          c.random() ? "the same randomness at every run" : "training path is not deterministic");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void trainingDiffersFromInferenceOnlyForRandomLayers(Case c) {
    try (Workspace ws = Workspace.create(SEED)) {
      Layer layer = c.factory().get();
      Placeholder<TFloat32> x = input(ws, c);
      Operand<TFloat32> train = fetchable(ws, layer.apply(ws.training(), x));
      Operand<TFloat32> infer = fetchable(ws, layer.apply(ws.inference(), x));
      Map<Placeholder<TFloat32>, float[]> feed = Map.of(x, inputValues(c));

      float[] trained = run(ws, feed, train);
      float[] inferred = run(ws, feed, infer);

      double maxDiff = 0;
      for (int i = 0; i < trained.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(trained[i] - inferred[i]));
      }
      if (c.random()) {
        assertTrue(maxDiff > 1e-3, "training equals inference");
      } else {
        // not bitwise: CPU kernels for sigmoid/tanh may differ by an ulp between run signatures
        assertEquals(0, maxDiff, 1e-6, "training differs from inference");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientsExistForTheInputAndEveryVariable(Case c) {
    try (Workspace ws = Workspace.create(SEED)) {
      Layer layer = c.factory().get();
      Placeholder<TFloat32> x = input(ws, c);
      CallContext ctx = ws.training();
      Operand<TFloat32> y = layer.apply(ctx, x);
      Ops tf = ws.tf();
      Operand<TFloat32> loss = withExtraLosses(tf, ctx, tf.reduceSum(y, Layers.allAxes(tf, y)));

      Output<?>[] grads = ws.graph().addGradients(loss.asOutput(), targets(x, layer));

      assertEquals(1 + c.trainable(), grads.length);
      for (int i = 0; i < grads.length; i++) {
        assertNotNull(grads[i], "gradient " + i);
        assertFalse(grads[i].isClosed(), "gradient " + i + " is None");
      }
      List<float[]> values = GraphRuns.run(ws, Map.of(x, inputValues(c)), List.of(grads));
      for (float[] value : values) {
        for (float v : value) {
          assertTrue(Float.isFinite(v), "non-finite gradient");
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientsAgreeWithCentralFiniteDifferences(Case c) {
    try (Workspace ws = Workspace.create(SEED)) {
      Layer layer = c.factory().get();
      Placeholder<TFloat32> x = input(ws, c);
      // random layers are checked on their (deterministic) inference path; see the mask test
      CallContext ctx = c.random() ? ws.inference() : ws.training();
      WeightedLoss loss = WeightedLoss.of(ws, ctx, layer.apply(ctx, x));
      List<Variable<TFloat32>> variables = layer.trainableVariables();
      Output<?>[] grads = ws.graph().addGradients(loss.graphValue().asOutput(), targets(x, layer));
      float[] xs = inputValues(c);
      List<float[]> analytic = GraphRuns.run(ws, Map.of(x, xs), List.of(grads));

      FiniteDifferences.assertClose(
          "d/d input",
          analytic.get(0),
          FiniteDifferences.inputGradient(input -> loss.evaluate(ws, x, input), xs));
      for (int v = 0; v < variables.size(); v++) {
        Variable<TFloat32> variable = variables.get(v);
        FiniteDifferences.assertClose(
            "d/d " + variable.op().name(),
            analytic.get(v + 1),
            FiniteDifferences.variableGradient(ws, variable, () -> loss.evaluate(ws, x, xs)));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("randomCases")
  void trainingGradientWithRespectToTheInputIsTheRandomMask(Case c) {
    try (Workspace ws = Workspace.create(SEED)) {
      Placeholder<TFloat32> x = input(ws, c);
      CallContext ctx = ws.training();
      WeightedLoss loss = WeightedLoss.of(ws, ctx, c.factory().get().apply(ctx, x));
      Output<?> grad = ws.graph().addGradients(loss.graphValue().asOutput(), targets(x))[0];
      float[] xs = inputValues(c);

      List<float[]> out = GraphRuns.run(ws, Map.of(x, xs), List.of(loss.fetchableOutput(), grad));

      float[] y = out.get(0);
      float[] dx = out.get(1);
      float[] r = loss.weights();
      for (int i = 0; i < xs.length; i++) {
        // Dropout: y = x·mask, so d/dx = r·mask = r·y/x; GaussianNoise: y = x + n, so d/dx = r
        double mask = c.kind() == Kind.DROPOUT ? y[i] / xs[i] : 1.0;
        assertEquals(r[i] * mask, dx[i], 1e-5, "entry " + i);
        if (c.kind() == Kind.DROPOUT) {
          assertTrue(Math.abs(mask) < 1e-6 || Math.abs(mask - 2.0) < 1e-6, "mask " + mask);
        }
      }
    }
  }

  /** {@code L = sum(output · r) + extra losses} for fixed random weights {@code r}. */
  private record WeightedLoss(
      Operand<TFloat32> fetchableOutput,
      float[] weights,
      List<Operand<TFloat32>> extra,
      Operand<TFloat32> graphValue) {

    static WeightedLoss of(Workspace ws, CallContext ctx, Operand<TFloat32> output) {
      Ops tf = ws.tf();
      long[] dims =
          withBatch(
              BATCH,
              Arrays.copyOfRange(output.shape().asArray(), 1, output.shape().numDimensions()));
      float[] weights = randomValues(7, (int) Shape.of(dims).size(), 0f);
      Operand<TFloat32> r = tf.constant(Shape.of(dims), DataBuffers.of(weights, true, false));
      Operand<TFloat32> weighted = tf.reduceSum(tf.math.mul(output, r), Layers.allAxes(tf, output));
      List<Operand<TFloat32>> extra = ctx.losses();
      return new WeightedLoss(
          fetchable(ws, output), weights, extra, withExtraLosses(tf, ctx, weighted));
    }

    /** The loss at {@code xs}, summed in double from the fetched output and extra terms. */
    double evaluate(Workspace ws, Placeholder<TFloat32> x, float[] xs) {
      List<Operand<TFloat32>> fetches = new ArrayList<>();
      fetches.add(fetchableOutput);
      fetches.addAll(extra);
      List<float[]> values = GraphRuns.run(ws, Map.of(x, xs), fetches);
      double sum = 0;
      float[] y = values.get(0);
      for (int i = 0; i < y.length; i++) {
        sum += (double) y[i] * weights[i];
      }
      for (int k = 1; k < values.size(); k++) {
        sum += values.get(k)[0];
      }
      return sum;
    }
  }

  /**
   * The output as a fetch: an identity layer returns its input, which cannot be fed and fetched.
   */
  private static Operand<TFloat32> fetchable(Workspace ws, Operand<TFloat32> output) {
    return ws.tf().identity(output);
  }

  private static Operand<TFloat32> withExtraLosses(
      Ops tf, CallContext ctx, Operand<TFloat32> loss) {
    List<Operand<TFloat32>> extra = ctx.losses();
    return extra.isEmpty() ? loss : tf.math.add(loss, tf.math.addN(extra));
  }

  private static Output<?>[] targets(Placeholder<TFloat32> x, Layer... owners) {
    List<Output<?>> targets = new ArrayList<>();
    targets.add(x.asOutput());
    for (Layer owner : owners) {
      owner.trainableVariables().forEach(v -> targets.add(v.asOutput()));
    }
    return targets.toArray(Output<?>[]::new);
  }

  private static Placeholder<TFloat32> input(Workspace ws, Case c) {
    return ws.placeholder(withBatch(-1, c.inputDims()));
  }

  /** A batch of {@value #BATCH} inputs, each entry at least 0.2 away from ReLU's kink at 0. */
  private static float[] inputValues(Case c) {
    return randomValues(3, (int) Shape.of(withBatch(BATCH, c.inputDims())).size(), 0.2f);
  }

  private static long[] withBatch(long batch, long[] dims) {
    long[] all = new long[dims.length + 1];
    all[0] = batch;
    System.arraycopy(dims, 0, all, 1, dims.length);
    return all;
  }

  private static long[] dims(long... dims) {
    return dims;
  }
}
