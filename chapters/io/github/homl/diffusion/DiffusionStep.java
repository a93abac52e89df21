package io.github.homl.diffusion;

import io.github.homl.data.Images;
import io.github.homl.training.BatchStatistics;
import io.github.homl.training.GradientUpdate;
import io.github.homl.training.LossValues;
import io.github.homl.training.Losses;
import io.github.homl.training.Nadam;
import io.github.homl.training.TrainingStep;
import io.github.homl.training.WeightAverage;
import io.github.homl.training.Workspace;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The diffusion model's {@code compile(loss=Huber(), optimizer=Nadam())} as a training step: two
 * inputs and a target made in the graph from each batch of images ({@link NoisyBatch}). Given a
 * second U-Net of the same architecture, each step also updates it as a moving average of the
 * trained one's weights and BatchNormalization statistics ({@link WeightAverage}); the losses stay
 * the trained U-Net's, as in the book. After the training, {@link #recomputeAverageStatistics}
 * measures the average's statistics anew for its own weights.
 */
public final class DiffusionStep implements TrainingStep {

  private final Workspace ws;
  private final Images xTrain;
  private final Images xValid;
  private final Placeholder<TFloat32> images;
  private final GradientUpdate step;
  private final Operand<TFloat32> valLoss;
  private final BatchStatistics averageStatistics;

  /** Builds the training path (Huber loss, the legacy Nadam) and the inference path. */
  public DiffusionStep(
      Workspace ws, DiffusionUnet model, Schedule schedule, Images xTrain, Images xValid) {
    this(ws, model, null, 0, schedule, xTrain, xValid);
  }

  /**
   * The same step, followed in each run by an update of {@code averaged} towards {@code model} with
   * decay {@code decay} ({@code averaged == null}: no average).
   */
  public DiffusionStep(
      Workspace ws,
      DiffusionUnet model,
      DiffusionUnet averaged,
      float decay,
      Schedule schedule,
      Images xTrain,
      Images xValid) {
    this.ws = ws;
    this.xTrain = xTrain;
    this.xValid = xValid;
    Ops tf = ws.tf();
    images = ws.placeholder(-1, 28, 28);
    NoisyBatch train = NoisyBatch.prepareBatch(ws, schedule, images);
    Operand<TFloat32> loss =
        Losses.HUBER.apply(
            tf,
            train.noise(),
            model.call(model.layers(ws.training()), train.xNoisy(), train.time()));
    GradientUpdate update = ws.gradientUpdate(loss, model, Nadam::legacy);
    if (averaged != null) {
      averaged.call(averaged.layers(ws.inference()), train.xNoisy(), train.time()); // its weights
      update =
          new WeightAverage(ws, "weight_average", model.variables(), averaged.variables(), decay)
              .after(update);
      averageStatistics =
          new BatchStatistics(
              ws,
              images,
              averaged.call(averaged.layers(ws.training()), train.xNoisy(), train.time()),
              xTrain);
    } else {
      averageStatistics = null;
    }
    step = update;
    NoisyBatch valid = NoisyBatch.prepareBatch(ws, schedule, images);
    valLoss =
        Losses.HUBER.apply(
            tf,
            valid.noise(),
            model.call(model.layers(ws.inference()), valid.xNoisy(), valid.time()));
  }

  /**
   * Recomputes the moving average's BatchNormalization statistics for its own weights ({@link
   * BatchStatistics}): {@code batches} batches of {@code batchSize} noisy training images, drawn
   * with {@code Random(seed)}, fresh time steps and noise each.
   *
   * @throws IllegalStateException if the step keeps no average
   */
  public void recomputeAverageStatistics(int batches, int batchSize, long seed) {
    if (averageStatistics == null) {
      throw new IllegalStateException("this DiffusionStep keeps no moving average of the weights");
    }
    averageStatistics.recompute(batches, batchSize, seed);
  }

  @Override
  public LossValues trainStep(Batch batch) {
    return LossValues.of(
        "loss", step.run(ws.feeds(batch).images(images, xTrain.gather(batch.indices()))));
  }

  /** The validation loss: fresh time steps and noise at every batch, as the book's valid_set. */
  @Override
  public LossValues testStep(Batch batch) {
    return LossValues.of(
        "loss", ws.run(valLoss, ws.feeds(batch).images(images, xValid.gather(batch.indices())))[0]);
  }
}
