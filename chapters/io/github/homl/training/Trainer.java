package io.github.homl.training;

import io.github.homl.data.Batches;
import io.github.homl.data.Images;
import io.github.homl.layers.CallContext;
import io.github.homl.layers.Layer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code compile} + {@code fit} for a model from images to images. The graph is built once,
 * on the first {@code fit} or {@code evaluate} (when the image size is known): a training path whose
 * loss includes every extra loss term the layers added ({@code add_loss}, activity regularizers), its
 * update op, and an inference path for validation.
 */
public final class Trainer {

  private final Workspace ws;
  private final Layer model;
  private final Loss lossFunction;
  private final Supplier<KerasOptimizer> optimizer;

  private Checkpoints checkpoints;
  private boolean resume;

  private Placeholder<TFloat32> x;
  private Placeholder<TFloat32> y;
  private TrainStep step;
  private Operand<TFloat32> valLoss;

  Trainer(Workspace ws, Layer model, Loss lossFunction, Supplier<KerasOptimizer> optimizer) {
    this.ws = ws;
    this.model = model;
    this.lossFunction = lossFunction;
    this.optimizer = optimizer;
  }

  private void build(Images xSample, Images ySample) {
    if (step != null) {
      return;
    }
    x = ws.placeholder(-1, xSample.height(), xSample.width());
    y = ws.placeholder(-1, ySample.height(), ySample.width());
    Operand<TFloat32> loss = totalLoss(ws.training());
    step = ws.trainStep(loss, model, optimizer);
    valLoss = totalLoss(ws.inference());
  }

  /** The compiled loss plus every term the layers add on this path (Keras's model.losses). */
  private Operand<TFloat32> totalLoss(CallContext ctx) {
    Ops tf = ws.tf();
    Operand<TFloat32> loss = lossFunction.apply(tf, y, model.apply(ctx, x));
    List<Operand<TFloat32>> extra = ctx.losses();
    return extra.isEmpty() ? loss : tf.math.add(loss, tf.math.addN(extra));
  }

  /**
   * Saves a checkpoint after every epoch of {@code fit}; with {@code resume}, {@code fit} first
   * restores the latest one and continues from the epoch after it.
   */
  public Trainer withCheckpoints(Checkpoints checkpoints, boolean resume) {
    this.checkpoints = checkpoints;
    this.resume = resume;
    return this;
  }

  /** Trains for {@code epochs} with Keras's fit defaults: batch 32, reshuffled each epoch. */
  public History fit(Images xTrain, Images yTrain, int epochs, Images xValid, Images yValid) {
    return fit(xTrain, yTrain, epochs, 32, xValid, yValid);
  }

  /** Trains, printing one Keras-style line per epoch; stops with a clear error on a NaN loss. */
  public History fit(Images xTrain, Images yTrain, int epochs, int batchSize,
      Images xValid, Images yValid) {
    if (xTrain.count() != yTrain.count()) {
      throw new IllegalArgumentException("x has " + xTrain.count() + " images but y has "
          + yTrain.count());
    }
    build(xTrain, yTrain);
    Batches batches = Batches.of(xTrain, batchSize).shuffled(ws.seeds().next());
    History history = resume ? checkpoints.restore(ws) : new History();
    for (int epoch = history.size() + 1; epoch <= epochs; epoch++) {
      long start = System.nanoTime();
      double weightedSum = 0;
      List<int[]> epochBatches = batches.nextEpochIndices();
      for (int i = 0; i < epochBatches.size(); i++) {
        int[] indices = epochBatches.get(i);
        Images xBatch = xTrain.gather(indices);
        // an autoencoder's targets are its inputs: gather the batch once, not twice
        Images yBatch = yTrain == xTrain ? xBatch : yTrain.gather(indices);
        float loss = step.run(Map.of(x, xBatch, y, yBatch));
        if (!Float.isFinite(loss)) {
          throw new IllegalStateException(String.format(Locale.ROOT,
              "loss became %s at epoch %d, step %d/%d: training stopped", loss, epoch, i + 1,
              epochBatches.size()));
        }
        weightedSum += (double) loss * indices.length; // Keras weights batch losses by size
      }
      double loss = weightedSum / xTrain.count();
      double val = xValid == null ? Double.NaN : evaluate(xValid, yValid, batchSize);
      double seconds = (System.nanoTime() - start) / 1e9;
      history.add(new History.Epoch(epoch, loss, val, seconds, epochBatches.size()));
      printEpoch(epoch, epochs, epochBatches.size(), seconds, loss, val);
      if (checkpoints != null) {
        checkpoints.save(ws, history);
      }
    }
    return history;
  }

  /** The inference-mode loss over {@code x}, weighted by batch size as Keras's evaluate. */
  public double evaluate(Images xEval, Images yEval, int batchSize) {
    build(xEval, yEval);
    double sum = 0;
    for (int from = 0; from < xEval.count(); from += batchSize) {
      int to = Math.min(xEval.count(), from + batchSize);
      float[] value = ws.run(valLoss, Map.of(x, xEval.slice(from, to), y, yEval.slice(from, to)));
      sum += (double) value[0] * (to - from);
    }
    return sum / xEval.count();
  }

  private static void printEpoch(int epoch, int epochs, int steps, double seconds, double loss,
      double val) {
    System.out.printf(Locale.ROOT, "Epoch %d/%d%n%d/%d - %.0fs - %.0fms/step - loss: %.4f%s%n",
        epoch, epochs, steps, steps, seconds, seconds * 1000 / steps, loss,
        Double.isNaN(val) ? "" : String.format(Locale.ROOT, " - val_loss: %.4f", val));
  }
}
