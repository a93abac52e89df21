package io.github.homl.training;

import io.github.homl.data.Images;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Recomputes a network's BatchNormalization moving statistics for the weights it has now: runs it
 * in training mode, which moves each moving mean and variance towards the batch moments (Keras's
 * momentum, 0.99), over random batches of the training images, and updates no weight.
 *
 * <p>Why: a moving average of the weights ({@link WeightAverage}) also averages the moving
 * statistics, but those were measured with the raw weights of past updates, so they fit the
 * averaged weights only roughly. SWA (Izmailov et al. 2018) recomputes them this way after
 * averaging (PyTorch's {@code update_bn}); Keras has no counterpart.
 */
public final class BatchStatistics {

  private final Workspace ws;
  private final Placeholder<TFloat32> images;
  private final Operand<TFloat32> forward;
  private final Images data;

  /**
   * The statistics of the network whose training-mode output is {@code output}, computed from
   * images fed to {@code images}, drawn from {@code data}.
   */
  public BatchStatistics(
      Workspace ws, Placeholder<TFloat32> images, Operand<TFloat32> output, Images data) {
    this.ws = ws;
    this.images = images;
    this.data = data;
    Ops tf = ws.tf();
    int rank = output.shape().numDimensions();
    int[] axes = new int[rank];
    for (int i = 0; i < rank; i++) {
      axes[i] = i;
    }
    this.forward = tf.sum(output, tf.constant(axes)); // runs the output and its updates
  }

  /**
   * {@code batches} forward passes on {@code batchSize} images drawn with replacement, each with
   * its own random key (both from {@code Random(seed)}), with a progress line: after {@code n}
   * batches the statistics left from before weigh {@code 0.99^n} (400: 2%).
   */
  public void recompute(int batches, int batchSize, long seed) {
    if (batches < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "expected batches >= 1 and batchSize >= 1, got " + batches + ", " + batchSize);
    }
    Random random = new Random(seed);
    Progress progress = Progress.start("batch-norm statistics", batches);
    for (int b = 0; b < batches; b++) {
      int[] indices = new int[batchSize];
      for (int i = 0; i < batchSize; i++) {
        indices[i] = random.nextInt(data.count());
      }
      Feeds feeds = Feeds.of().scalarLong(ws.random().key(), random.nextLong()); // noise, dropout
      ws.run(forward, feeds.images(images, data.gather(indices)));
      progress.update(b + 1);
    }
    progress.finish();
  }
}
