package io.github.homl.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.homl.training.Workspace;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Central finite differences of a scalar loss evaluated on the host, and the check that an analytic
 * gradient agrees with them: the one gradient check of every layer test.
 */
final class FiniteDifferences {

  private static final float EPS = 1e-2f;
  private static final double RTOL = 1e-2;
  private static final double ATOL = 1e-3;

  /** The loss for a fed input. */
  @FunctionalInterface
  interface Loss {
    double at(float[] xs);
  }

  private FiniteDifferences() {}

  /** dL/dx at {@code xs}, one entry at a time. */
  static double[] inputGradient(Loss loss, float[] xs) {
    double[] grad = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      float[] plus = xs.clone();
      float[] minus = xs.clone();
      plus[i] += EPS;
      minus[i] -= EPS;
      grad[i] = (loss.at(plus) - loss.at(minus)) / (plus[i] - minus[i]);
    }
    return grad;
  }

  /**
   * dL/dw for a variable, perturbing one entry at a time through an assign fed by a placeholder;
   * the variable gets its original value back afterwards.
   */
  static double[] variableGradient(Workspace ws, Variable<TFloat32> variable, DoubleSupplier loss) {
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
      double lossPlus = loss.getAsDouble();
      GraphRuns.run(ws, Map.of(value, minus), List.of(), set);
      double lossMinus = loss.getAsDouble();
      grad[j] = (lossPlus - lossMinus) / (plus[j] - minus[j]);
    }
    GraphRuns.run(ws, Map.of(value, original), List.of(), set);
    return grad;
  }

  /** Each analytic entry within 1e-3 + 1e-2 · max(|analytic|, |numeric|) of the numeric one. */
  static void assertClose(String what, float[] analytic, double[] numeric) {
    assertEquals(numeric.length, analytic.length, what + ": size");
    for (int i = 0; i < numeric.length; i++) {
      double tolerance = ATOL + RTOL * Math.max(Math.abs(numeric[i]), Math.abs(analytic[i]));
      if (!(Math.abs(analytic[i] - numeric[i]) <= tolerance)) {
        fail(what + " entry " + i + ": analytic " + analytic[i] + ", numeric " + numeric[i]);
      }
    }
  }
}
