package io.github.homl.chapter17;

import io.github.homl.data.Batches;
import io.github.homl.data.Images;
import io.github.homl.training.Adam;
import io.github.homl.training.Checkpoints;
import io.github.homl.training.History;
import io.github.homl.training.KerasOptimizer;
import io.github.homl.training.RunConfig;
import io.github.homl.training.TrainStep;
import io.github.homl.training.Workspace;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * What {@link ProgressiveGan} and {@link StyleGan} train with: the paper's Adam, the book's GAN
 * loss computed from logits, and the bookkeeping of their loops.
 */
final class ProGanTraining {

  private ProGanTraining() {}

  /** The paper's Adam: lr 1e-3, β1 = 0, β2 = 0.99, ε = 1e-8. */
  static KerasOptimizer adam() {
    return new Adam(1e-3f, 0f, 0.99f, 1e-8f);
  }

  /**
   * The book's discriminator loss, BCE with fake = 0 and real = 1 averaged over both halves, from
   * logits: {@code (mean(softplus(fake)) + mean(softplus(-real))) / 2}.
   */
  static Operand<TFloat32> discriminatorLoss(
      Ops tf, Operand<TFloat32> fakeLogits, Operand<TFloat32> realLogits) {
    Operand<TFloat32> fake = meanSoftplus(tf, fakeLogits);
    Operand<TFloat32> real = meanSoftplus(tf, tf.math.neg(realLogits));
    return tf.math.mul(tf.constant(0.5f), tf.math.add(fake, real));
  }

  /** The book's generator loss, BCE with the fakes labelled real: {@code mean(softplus(-fake))}. */
  static Operand<TFloat32> generatorLoss(Ops tf, Operand<TFloat32> fakeLogits) {
    return meanSoftplus(tf, tf.math.neg(fakeLogits));
  }

  private static Operand<TFloat32> meanSoftplus(Ops tf, Operand<TFloat32> logits) {
    // BCE(y, sigmoid(l)) = softplus(-l) for y = 1 and softplus(l) for y = 0
    return tf.math.mean(tf.math.softplus(logits), tf.constant(new int[] {0, 1}));
  }

  /**
   * The two phases of one training step, as in the book's {@code train_gan}, with the losses they
   * minimize (fetched alone, without an update, for the held-out losses).
   */
  record GanStep(
      TrainStep discriminatorStep,
      TrainStep generatorStep,
      Operand<TFloat32> dLoss,
      Operand<TFloat32> gLoss) {}

  /**
   * The mean d_loss and g_loss over the held-out images {@code xValid} (in batches of {@code
   * batchSize}, fed to {@code xBatch}, the remainder dropped) with fresh noise: no update runs.
   */
  static double[] heldOutLosses(
      Workspace ws,
      GanStep step,
      Placeholder<TFloat32> xBatch,
      Images xValid,
      int batchSize,
      Map<Operand<TFloat32>, Images> otherFeeds) {
    double dSum = 0;
    double gSum = 0;
    List<Images> batches = Batches.of(xValid, batchSize).dropRemainder().nextEpoch();
    for (Images batch : batches) {
      Map<Operand<TFloat32>, Images> feeds = new HashMap<>(otherFeeds);
      feeds.put(xBatch, batch);
      List<float[]> losses = ws.runAll(List.of(step.dLoss(), step.gLoss()), feeds);
      dSum += losses.get(0)[0];
      gSum += losses.get(1)[0];
    }
    return new double[] {dSum / batches.size(), gSum / batches.size()};
  }

  /** What one epoch of {@link #trainEpochs} does beyond the shared bookkeeping. */
  interface EpochSteps {
    /** Trains on {@code batch}, global step {@code step} of the run; returns d_loss and g_loss. */
    float[] train(long step, Images batch);

    /** The held-out d_loss and g_loss after the epoch ({@link #heldOutLosses}). */
    double[] heldOut();

    /** Appended to the epoch's printed line. */
    default String describe() {
      return "";
    }
  }

  /**
   * The book's {@code train_gan} loop for ProGAN and StyleGAN: per epoch, one {@code steps.train}
   * per batch of {@code batches}, then the held-out losses, one printed line and a checkpoint under
   * {@code model}; with {@code --resume} it continues after the last checkpoint. Stops with a clear
   * error on a non-finite loss. Returns the histories named after {@code model}.
   */
  static Map<String, History> trainEpochs(Workspace ws, RunConfig config, String model,
      Batches batches, int epochs, EpochSteps steps) {
    Checkpoints checkpoints = config.checkpoints(model);
    GanHistories histories =
        config.resume() ? GanHistories.restore(checkpoints, ws) : GanHistories.empty();
    for (int epoch = histories.size() + 1; epoch <= epochs; epoch++) {
      long start = System.nanoTime();
      double dSum = 0;
      double gSum = 0;
      List<Images> epochBatches = batches.nextEpoch();
      for (int i = 0; i < epochBatches.size(); i++) {
        long step = (long) (epoch - 1) * epochBatches.size() + i;
        float[] losses = steps.train(step, epochBatches.get(i));
        requireFinite(losses[0], losses[1], epoch, i);
        dSum += losses[0];
        gSum += losses[1];
      }
      // extra code – the book prints no losses; we also measure them on the validation images
      addEpoch(histories, epochs, dSum, gSum, epochBatches.size(), steps.heldOut(), start,
          steps.describe());
      histories.save(checkpoints, ws);
    }
    return histories.named(model);
  }

  /**
   * Records and prints one epoch: the mean d_loss and g_loss of its steps as loss, the {@link
   * #heldOutLosses} as val_loss.
   */
  private static void addEpoch(
      GanHistories histories,
      int epochs,
      double dSum,
      double gSum,
      int steps,
      double[] heldOut,
      long startNanos,
      String extra) {
    int epoch = histories.size() + 1;
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double dLoss = dSum / steps;
    double gLoss = gSum / steps;
    histories.discriminator().add(new History.Epoch(epoch, dLoss, heldOut[0], seconds, steps));
    histories.generator().add(new History.Epoch(epoch, gLoss, heldOut[1], seconds, steps));
    System.out.printf(
        Locale.ROOT,
        "Epoch %d/%d - %.0fs - d_loss: %.4f - g_loss: %.4f - held-out d_loss: %.4f - "
            + "g_loss: %.4f%s%n",
        epoch,
        epochs,
        seconds,
        dLoss,
        gLoss,
        heldOut[0],
        heldOut[1],
        extra);
  }

  /** Stops training with a clear message when a loss is NaN or infinite. */
  private static void requireFinite(float dLoss, float gLoss, int epoch, int step) {
    if (!Float.isFinite(dLoss) || !Float.isFinite(gLoss)) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "d_loss %s, g_loss %s at epoch %d, step %d: training stopped",
              dLoss,
              gLoss,
              epoch,
              step + 1));
    }
  }

  /** Runs {@code target} once (an assign op), with no feeds and no fetches. */
  static void runTarget(Workspace ws, Op target) {
    ws.session().runner().addTarget(target).run().close();
  }

  /**
   * {@code count} codings of {@code size} drawn once in Java, as a constant {@code [count, size]}.
   */
  static Operand<TFloat32> fixedCodings(Ops tf, Random random, int count, int size) {
    return constant(tf, gaussian(random, count * size), count, size);
  }

  static float[] gaussian(Random random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  static Operand<TFloat32> constant(Ops tf, float[] values, long... dims) {
    return tf.constant(Shape.of(dims), DataBuffers.of(values, true, false));
  }
}
