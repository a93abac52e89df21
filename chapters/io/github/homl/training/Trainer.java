package io.github.homl.training;

import io.github.homl.data.Batches;
import io.github.homl.data.Images;
import io.github.homl.layers.CallContext;
import io.github.homl.layers.Layer;
import java.util.List;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code compile} + {@code fit} for a model from images to images. The graph is built once,
 * on the first {@code fit} or {@code evaluate} (when the image size is known): a training path
 * whose loss includes every extra loss term the layers added ({@code add_loss}, activity
 * regularizers), its update op, and an inference path for validation. The loop is {@link Fit}'s.
 */
public final class Trainer {

  /** The name Keras logs a compiled model's loss under. */
  private static final String LOSS = "loss";

  private final Workspace ws;
  private final Layer model;
  private final Loss lossFunction;
  private final Supplier<KerasOptimizer> optimizer;

  private Checkpoints checkpoints;
  private boolean resume;

  private Placeholder<TFloat32> x;
  private Operand<TFloat32> y;
  private GradientUpdate update;
  private Operand<TFloat32> valLoss;

  Trainer(Workspace ws, Layer model, Loss lossFunction, Supplier<KerasOptimizer> optimizer) {
    this.ws = ws;
    this.model = model;
    this.lossFunction = lossFunction;
    this.optimizer = optimizer;
  }

  private void build(Images xSample, Images ySample) {
    if (update != null) {
      return;
    }
    x = ws.placeholder(-1, xSample.height(), xSample.width());
    boolean sameSize = xSample.height() == ySample.height() && xSample.width() == ySample.width();
    // an autoencoder's targets are its inputs: y defaults to x, so one tensor feeds both
    y =
        sameSize
            ? ws.tf().placeholderWithDefault(x, Shape.of(-1, ySample.height(), ySample.width()))
            : ws.placeholder(-1, ySample.height(), ySample.width());
    update = ws.gradientUpdate(totalLoss(ws.training()), model, optimizer);
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
  public History fit(Images xTrain, Images yTrain, int epochs) {
    return fit(xTrain, yTrain, epochs, FitOptions.defaults());
  }

  /**
   * Trains, printing Keras's progress and one line per epoch (unless quiet), with the held-out loss
   * on the options' validation data; stops on a NaN loss.
   */
  public History fit(Images xTrain, Images yTrain, int epochs, FitOptions<Images> options) {
    if (xTrain.count() != yTrain.count()) {
      throw new IllegalArgumentException(
          "x has " + xTrain.count() + " images but y has " + yTrain.count());
    }
    build(xTrain, yTrain);
    Fit fit =
        options.fit(ws, step(xTrain, yTrain, options.xValid(), options.yValid()), xTrain.count());
    if (checkpoints != null) {
      fit.checkpoints(checkpoints, resume);
    }
    return fit.run(epochs);
  }

  /** The inference-mode loss over {@code x}, weighted by batch size as Keras's evaluate. */
  public double evaluate(Images xEval, Images yEval, int batchSize) {
    build(xEval, yEval);
    TrainingStep eval = step(null, null, xEval, yEval);
    LossValues.Means means = new LossValues.Means();
    for (int[] indices : Batches.of(xEval.count(), batchSize).epoch(1)) {
      means.add(
          eval.testStep(new TrainingStep.Batch(indices, 1, 0, 0)), indices.length, "testStep");
    }
    return means.means().get(LOSS);
  }

  /** {@code train_step} and {@code test_step} of a model from images to images. */
  private TrainingStep step(Images xTrain, Images yTrain, Images xValid, Images yValid) {
    return TrainingStep.of(
        batch -> LossValues.of(LOSS, update.run(feeds(xTrain, yTrain, batch))),
        batch -> LossValues.of(LOSS, ws.run(valLoss, feeds(xValid, yValid, batch))[0]));
  }

  private Feeds feeds(Images xs, Images ys, TrainingStep.Batch batch) {
    Feeds feeds = ws.feeds(batch).images(x, xs.gather(batch.indices()));
    // an autoencoder's targets are its inputs, which y reads when it is not fed
    return ys == xs ? feeds : feeds.images(y, ys.gather(batch.indices()));
  }
}
