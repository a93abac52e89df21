package io.github.homl.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.homl.layers.GraphRuns;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Each loss on a fixed 2x3 batch, against the value computed by hand in the comment. */
class LossesTest {

  private static double value(Loss loss, float[][] yTrue, float[][] yPred) {
    try (Workspace ws = Workspace.create(1)) {
      Ops tf = ws.tf();
      Operand<TFloat32> result = loss.apply(tf, tf.constant(yTrue), tf.constant(yPred));
      return GraphRuns.run(ws, Map.of(), result)[0];
    }
  }

  @Test
  void mseIsTheMeanOfSquaredErrorsOverEveryEntry() {
    // squared errors 1, 0, 4 | 0.25, 2.25, 0 -> sum 7.5 over 6 entries
    double mse =
        value(
            Losses.MSE,
            new float[][] {{0, 1, 2}, {3, 4, 5}},
            new float[][] {{1, 1, 0}, {3.5f, 2.5f, 5}});

    assertEquals(7.5 / 6, mse, 1e-6);
  }

  @Test
  void bceIsTheMeanNegativeLogLikelihoodWithKerasClipping() {
    float[][] y = {{0, 1, 1}, {1, 0, 0}};
    float[][] p = {{0.2f, 0.7f, 0.9f}, {0f, 0.4f, 1f}};
    // Keras: p clipped to [eps, 1 - eps], then -[y log(p + eps) + (1 - y) log(1 - p + eps)], with
    // eps = 1e-7 in float32, so the upper bound is 1 - 2^-23 (1 - 1.19e-7), not 1 - 1e-7
    double eps = 1e-7f;
    double upper = 1f - 1e-7f;
    double expected = 0;
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        double clipped = Math.min(Math.max(p[i][j], eps), upper);
        expected -= y[i][j] * Math.log(clipped + eps) + (1 - y[i][j]) * Math.log(1 - clipped + eps);
      }
    }
    expected /= 6;

    double bce = value(Losses.BCE, y, p);

    // the two clipped entries each cost about -log(2e-7) = 15.4, so the mean is about 5.4
    assertEquals(expected, bce, 1e-5 * expected);
  }

  @Test
  void bceOfConfidentCorrectPredictionsIsAlmostZero() {
    double bce = value(Losses.BCE, new float[][] {{0, 1}}, new float[][] {{0, 1}});

    assertEquals(0, bce, 1e-6);
  }

  @Test
  void huberIsQuadraticUpToDeltaOneAndLinearBeyond() {
    // errors 0.5, -2, 3 | 0.1, 0, -1: 0.125, 1.5, 2.5 | 0.005, 0, 0.5 -> sum 4.63 over 6
    double huber =
        value(
            Losses.HUBER,
            new float[][] {{0, 0, 0}, {1, 1, 1}},
            new float[][] {{0.5f, -2, 3}, {1.1f, 1, 0}});

    assertEquals(4.63 / 6, huber, 1e-6);
  }
}
