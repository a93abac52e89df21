package io.github.homl.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.homl.layers.GraphRuns;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Our optimizers against Keras's update formulas, re-implemented below in double arithmetic. The
 * loss {@code L = sum(c·w² + d·w)} has the gradient {@code g = 2cw + d}, which changes as {@code w}
 * moves. The last entry has a gradient of about 1e-6, where epsilon (1e-7 in Keras) matters.
 */
class OptimizerTest {

  private static final int STEPS = 5;
  // float32-exact, so that the reference starts from the very values the graph holds
  private static final double[] W0 = f32(1.0, -0.5, 0.25, 1e-3);
  private static final double[] C = f32(0.5, 1.0, 2.0, 1e-6);
  private static final double[] D = f32(0.3, -1.0, 0.1, 1e-6);

  private static final double B1 = 0.9;
  private static final double B2 = 0.999;
  private static final double EPSILON = 1e-7;
  private static final double RHO = 0.9;

  /** One optimizer and its reference: the value of {@code w} after each of the steps. */
  record Case(String name, Supplier<KerasOptimizer> optimizer, Reference reference) {
    @Override
    public String toString() {
      return name;
    }
  }

  @FunctionalInterface
  interface Reference {
    double[][] trajectory(double[] w0, double[] c, double[] d, int steps);
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("Adam()", Adam::new, (w, c, d, n) -> adam(1e-3, w, c, d, n)),
        new Case("Adam(0.1)", () -> new Adam(0.1f), (w, c, d, n) -> adam(0.1, w, c, d, n)),
        new Case("RMSProp()", RMSProp::new, (w, c, d, n) -> rmsprop(1e-3, w, c, d, n)),
        new Case("RMSProp(0.1)", () -> new RMSProp(0.1f), (w, c, d, n) -> rmsprop(0.1, w, c, d, n)),
        new Case("Nadam()", Nadam::new, (w, c, d, n) -> nadam(1e-3, 1.0, w, c, d, n)),
        new Case("Nadam(0.1)", () -> new Nadam(0.1f), (w, c, d, n) -> nadam(0.1, 1.0, w, c, d, n)),
        new Case("Nadam.legacy()", Nadam::legacy, (w, c, d, n) -> nadam(1e-3, 0.004, w, c, d, n)));
  }

  // ---- the Keras formulas, in double ----

  private static double gradient(double w, double c, double d) {
    return 2 * c * w + d;
  }

  static double[][] adam(double lr, double[] w0, double[] c, double[] d, int steps) {
    double[] w = w0.clone();
    double[] m = new double[w.length];
    double[] v = new double[w.length];
    double[][] trajectory = new double[steps][];
    for (int t = 1; t <= steps; t++) {
      double alpha = lr * Math.sqrt(1 - Math.pow(B2, t)) / (1 - Math.pow(B1, t));
      for (int i = 0; i < w.length; i++) {
        double g = gradient(w[i], c[i], d[i]);
        m[i] = B1 * m[i] + (1 - B1) * g;
        v[i] = B2 * v[i] + (1 - B2) * g * g;
        w[i] -= alpha * m[i] / (Math.sqrt(v[i]) + EPSILON);
      }
      trajectory[t - 1] = w.clone();
    }
    return trajectory;
  }

  static double[][] rmsprop(double lr, double[] w0, double[] c, double[] d, int steps) {
    double[] w = w0.clone();
    double[] a = new double[w.length]; // Keras starts the accumulator at 0
    double[][] trajectory = new double[steps][];
    for (int t = 1; t <= steps; t++) {
      for (int i = 0; i < w.length; i++) {
        double g = gradient(w[i], c[i], d[i]);
        a[i] = RHO * a[i] + (1 - RHO) * g * g;
        w[i] -= lr * g / Math.sqrt(a[i] + EPSILON);
      }
      trajectory[t - 1] = w.clone();
    }
    return trajectory;
  }

  /** Keras's Nadam; {@code k} is 1 for Keras 2.11+/3 and 0.004 for the legacy optimizer. */
  static double[][] nadam(double lr, double k, double[] w0, double[] c, double[] d, int steps) {
    double[] w = w0.clone();
    double[] m = new double[w.length];
    double[] v = new double[w.length];
    double product = 1; // P_0
    double[][] trajectory = new double[steps][];
    for (int t = 1; t <= steps; t++) {
      double ut = B1 * (1 - 0.5 * Math.pow(0.96, k * t));
      double ut1 = B1 * (1 - 0.5 * Math.pow(0.96, k * (t + 1)));
      product *= ut; // P_t
      double productNext = product * ut1;
      for (int i = 0; i < w.length; i++) {
        double g = gradient(w[i], c[i], d[i]);
        m[i] += (g - m[i]) * (1 - B1);
        v[i] += (g * g - v[i]) * (1 - B2);
        double mHat = ut1 * m[i] / (1 - productNext) + (1 - ut) * g / (1 - product);
        double vHat = v[i] / (1 - Math.pow(B2, t));
        w[i] -= lr * mHat / (Math.sqrt(vHat) + EPSILON);
      }
      trajectory[t - 1] = w.clone();
    }
    return trajectory;
  }

  // ---- the graph side ----

  /** A variable {@code w} and the loss {@code sum(c·w² + d·w)} on it. */
  private record Problem(Variable<TFloat32> w, Operand<TFloat32> read, Operand<TFloat32> loss) {

    static Problem create(Ops tf, String name, double[] w0, double[] c, double[] d) {
      Variable<TFloat32> w = tf.withName(name).variable(tf.withInitScope().constant(floats(w0)));
      // read once through identity: Square on a ref-typed variable crashes the C++ gradient
      Operand<TFloat32> read = tf.identity(w);
      Operand<TFloat32> loss =
          tf.reduceSum(
              tf.math.add(
                  tf.math.mul(tf.math.square(read), tf.constant(floats(c))),
                  tf.math.mul(read, tf.constant(floats(d)))),
              tf.constant(0));
      return new Problem(w, read, loss);
    }
  }

  private static void step(Workspace ws, Op train) {
    GraphRuns.run(ws, Map.of(), List.of(), train);
  }

  private static float[] value(Workspace ws, Problem problem) {
    return GraphRuns.run(ws, Map.of(), problem.read());
  }

  /** float32 values of about 1 after a few updates: a few ulps of 1 plus float32 gradients. */
  private static void assertCloseToReference(String what, double[] expected, float[] actual) {
    for (int i = 0; i < expected.length; i++) {
      double tolerance = 1e-6 * Math.max(1, Math.abs(expected[i]));
      if (!(Math.abs(actual[i] - expected[i]) <= tolerance)) {
        fail(
            what
                + ", entry "
                + i
                + ": expected "
                + expected[i]
                + " but was "
                + actual[i]
                + " (difference "
                + (actual[i] - expected[i])
                + ")");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyStepMatchesTheKerasFormula(Case c) {
    double[][] expected = c.reference().trajectory(W0, C, D, STEPS);
    try (Workspace ws = Workspace.create(1)) {
      Problem problem = Problem.create(ws.tf(), "w", W0, C, D);
      Op train = c.optimizer().get().minimize(ws.tf(), problem.loss(), List.of(problem.w()));

      for (int t = 1; t <= STEPS; t++) {
        step(ws, train);
        assertCloseToReference(c.name() + " step " + t, expected[t - 1], value(ws, problem));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void variablesNotInTheListAreLeftBitForBitUnchanged(Case c) {
    try (Workspace ws = Workspace.create(1)) {
      Ops tf = ws.tf();
      Problem trained = Problem.create(tf, "w", W0, C, D);
      Problem onPath = Problem.create(tf, "z", new double[] {0.7, -0.3, 0.1, 2}, C, D);
      Problem offPath = Problem.create(tf, "q", new double[] {0.1, 0.2, 0.3, 0.4}, C, D);
      Operand<TFloat32> loss = tf.math.add(trained.loss(), onPath.loss());
      Op train = c.optimizer().get().minimize(tf, loss, List.of(trained.w()));
      float[] zBefore = value(ws, onPath);
      float[] qBefore = value(ws, offPath);
      float[] wBefore = value(ws, trained);

      for (int t = 0; t < 3; t++) {
        step(ws, train);
      }

      assertFalse(Arrays.equals(wBefore, value(ws, trained)), "the listed variable did not move");
      assertArrayEquals(bits(zBefore), bits(value(ws, onPath)), "z (on the loss path)");
      assertArrayEquals(bits(qBefore), bits(value(ws, offPath)), "q (off the loss path)");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aListedVariableThatDoesNotReachTheLossIsRejectedByName(Case c) {
    try (Workspace ws = Workspace.create(1)) {
      Ops tf = ws.tf();
      Problem trained = Problem.create(tf, "w", W0, C, D);
      Problem unrelated = Problem.create(tf, "unrelated", W0, C, D);

      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  c.optimizer()
                      .get()
                      .minimize(tf, trained.loss(), List.of(trained.w(), unrelated.w())));

      assertTrue(e.getMessage().contains("unrelated"), e.getMessage());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aListedVariableBehindStopGradientIsRejectedByName(Case c) {
    try (Workspace ws = Workspace.create(1)) {
      Ops tf = ws.tf();
      Problem trained = Problem.create(tf, "w", W0, C, D);
      Problem stopped = Problem.create(tf, "stopped", W0, C, D);
      Operand<TFloat32> loss = tf.math.add(trained.loss(), tf.stopGradient(stopped.loss()));

      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> c.optimizer().get().minimize(tf, loss, List.of(trained.w(), stopped.w())));

      assertTrue(e.getMessage().contains("stopped"), e.getMessage());
    }
  }

  @Test
  void twoNadamsInOneGraphTrainTheirOwnVariablesIndependently() {
    double[] c2 = f32(1.5, 0.2, 0.7, 3.0);
    double[] d2 = f32(-0.4, 0.8, 0.0, 0.5);
    double[] v0 = f32(0.3, 0.6, -0.9, 0.05);
    try (Workspace ws = Workspace.create(1)) {
      Ops tf = ws.tf();
      Problem first = Problem.create(tf, "w", W0, C, D);
      Problem second = Problem.create(tf, "v", v0, c2, d2);
      Op trainFirst = new Nadam().minimize(tf, first.loss(), List.of(first.w()));
      Op trainSecond = new Nadam().minimize(tf, second.loss(), List.of(second.w()));

      // interleaved, and a different number of steps for each: 5 and 3
      for (int t = 1; t <= 5; t++) {
        step(ws, trainFirst);
        if (t % 2 == 1) {
          step(ws, trainSecond);
        }
      }

      assertCloseToReference("first Nadam", nadam(1e-3, 1.0, W0, C, D, 5)[4], value(ws, first));
      assertCloseToReference("second Nadam", nadam(1e-3, 1.0, v0, c2, d2, 3)[2], value(ws, second));
    }
  }

  @Test
  void twoOptimizersCanUpdateInTheSameRun() {
    try (Workspace ws = Workspace.create(1)) {
      Ops tf = ws.tf();
      Problem first = Problem.create(tf, "w", W0, C, D);
      Problem second = Problem.create(tf, "v", W0, D, C);
      Op trainFirst = new Adam().minimize(tf, first.loss(), List.of(first.w()));
      Op trainSecond = new Nadam().minimize(tf, second.loss(), List.of(second.w()));

      for (int t = 0; t < STEPS; t++) {
        GraphRuns.run(ws, Map.of(), List.of(), trainFirst, trainSecond);
      }

      assertCloseToReference("Adam", adam(1e-3, W0, C, D, STEPS)[STEPS - 1], value(ws, first));
      assertCloseToReference(
          "Nadam", nadam(1e-3, 1.0, W0, D, C, STEPS)[STEPS - 1], value(ws, second));
    }
  }

  @Test
  void adamIsDeterministicAcrossFreshWorkspaces() {
    int n = 512;
    double[] w0 = new double[n];
    double[] c = new double[n];
    double[] d = new double[n];
    java.util.Random random = new java.util.Random(3);
    for (int i = 0; i < n; i++) {
      w0[i] = (float) random.nextGaussian();
      c[i] = (float) random.nextDouble();
      d[i] = (float) random.nextGaussian();
    }

    float[] first = trainAdam(w0, c, d);
    float[] second = trainAdam(w0, c, d);

    assertArrayEquals(bits(first), bits(second));
    assertCloseToReference("Adam", adam(1e-3, w0, c, d, STEPS)[STEPS - 1], first);
  }

  private static float[] trainAdam(double[] w0, double[] c, double[] d) {
    try (Workspace ws = Workspace.create(1)) {
      Problem problem = Problem.create(ws.tf(), "w", w0, c, d);
      Op train = new Adam().minimize(ws.tf(), problem.loss(), List.of(problem.w()));
      for (int t = 0; t < STEPS; t++) {
        step(ws, train);
      }
      return value(ws, problem);
    }
  }

  @Test
  void minimizeRejectsAnEmptyVariableList() {
    try (Workspace ws = Workspace.create(1)) {
      Problem problem = Problem.create(ws.tf(), "w", W0, C, D);

      assertThrows(
          IllegalArgumentException.class,
          () -> new Adam().minimize(ws.tf(), problem.loss(), List.of()));
    }
  }

  private static float[] floats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  private static double[] f32(double... values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  private static int[] bits(float[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Float.floatToRawIntBits(values[i]);
    }
    return out;
  }
}
