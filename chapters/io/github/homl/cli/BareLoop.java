package io.github.homl.cli;

import io.github.homl.data.Images;
import io.github.homl.training.Progress;
import io.github.homl.training.Workspace;
import java.util.Arrays;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The stacked autoencoder's step as a bare TF Java loop, the yardstick of our toolkit's overhead
 * ({@code bench stacked --bare}): the same MLP 784-100-30-100-784 (ReLU, MSE) in raw ops, the
 * framework's Adam ({@code Optimizer.minimize}), one {@code Session.run} feeding one batch per
 * step, unshuffled, no random key, no gradient gate, and the toolkit's session options for dense
 * models (one thread per kernel), so that the ratio does not credit the toolkit with the threads.
 * It skips what the toolkit adds for correctness (the Keras-exact Nadam, the ordering of updates
 * after all gradients, a resumable shuffle and progress), so the ratio of the two is the price of
 * those.
 */
final class BareLoop {

  private static final int BATCH_SIZE = 32;
  private static final int[] SIZES = {784, 100, 30, 100, 784};

  private BareLoop() {}

  /** Trains {@code epochs} epochs of {@code x} and returns each epoch's steps per second. */
  static double[] stackedAutoencoder(Images x, int epochs) {
    int steps = x.count() / BATCH_SIZE;
    int pixels = x.height() * x.width();
    try (Graph graph = new Graph();
        Session session = new Session(graph, Workspace.DENSE_MODEL_SESSION)) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> batch =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(BATCH_SIZE, pixels)));
      Operand<TFloat32> h = batch;
      for (int i = 1; i < SIZES.length; i++) {
        float limit = (float) Math.sqrt(6.0 / (SIZES[i - 1] + SIZES[i])); // Glorot uniform
        Variable<TFloat32> w =
            tf.variable(
                tf.math.mul(
                    tf.math.sub(
                        tf.random.randomUniform(
                            tf.constant(new long[] {SIZES[i - 1], SIZES[i]}), TFloat32.class),
                        tf.constant(0.5f)),
                    tf.constant(2 * limit)));
        Variable<TFloat32> b =
            tf.variable(tf.zeros(tf.constant(new long[] {SIZES[i]}), TFloat32.class));
        h = tf.nn.biasAdd(tf.linalg.matMul(h, w), b);
        if (i < SIZES.length - 1) {
          h = tf.nn.relu(h);
        }
      }
      Operand<TFloat32> loss =
          tf.math.mean(tf.math.squaredDifference(h, batch), tf.constant(new int[] {0, 1}));
      Op train = new Adam(graph).minimize(loss);
      session.initialize();
      double[] rates = new double[epochs];
      for (int epoch = 0; epoch < epochs; epoch++) {
        Progress progress = Progress.start("bare loop", steps);
        long start = System.nanoTime();
        for (int step = 0; step < steps; step++) {
          float[] values =
              Arrays.copyOfRange(
                  x.pixels(), step * BATCH_SIZE * pixels, (step + 1) * BATCH_SIZE * pixels);
          try (TFloat32 feed =
              TFloat32.tensorOf(
                  Shape.of(BATCH_SIZE, pixels), DataBuffers.of(values, true, false))) {
            session.runner().feed(batch, feed).addTarget(train).run().close();
          }
          progress.update(step + 1);
        }
        progress.finish();
        rates[epoch] = steps / ((System.nanoTime() - start) / 1e9);
      }
      return rates;
    }
  }
}
