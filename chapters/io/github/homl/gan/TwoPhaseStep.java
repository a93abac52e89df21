package io.github.homl.gan;

import io.github.homl.data.Images;
import io.github.homl.training.Feeds;
import io.github.homl.training.GradientUpdate;
import io.github.homl.training.LossValues;
import io.github.homl.training.TrainingStep;
import io.github.homl.training.Workspace;
import java.util.List;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The two phases of the book's {@code train_gan} as one training step, for GANs whose fakes are
 * made inside the graph (the progressive GAN and the StyleGAN-style generator): per batch one
 * discriminator update on the real images, then one generator update. The held-out losses are the
 * two losses fetched without an update, on validation images.
 *
 * @param discriminatorStep phase 1, fed the real batch
 * @param generatorStep phase 2
 * @param xBatch the real images' placeholder
 * @param xTrain the training images
 * @param xValid the held-out images
 * @param extraFeeds what both phases also feed for a batch (ProGAN's α), after the random key
 */
public record TwoPhaseStep(
    Workspace ws,
    GradientUpdate discriminatorStep,
    GradientUpdate generatorStep,
    Placeholder<TFloat32> xBatch,
    Images xTrain,
    Images xValid,
    Function<Batch, Feeds> extraFeeds)
    implements TrainingStep {

  /**
   * Phase 1, then phase 2: the GAN's losses as {@code train_gan} reports them, d_loss and g_loss.
   */
  @Override
  public LossValues trainStep(Batch batch) {
    float dLoss =
        discriminatorStep.run(feeds(batch).images(xBatch, xTrain.gather(batch.indices())));
    float gLoss = generatorStep.run(feeds(batch));
    return LossValues.of(GanLosses.NAMES, dLoss, gLoss);
  }

  @Override
  public LossValues testStep(Batch batch) {
    List<Operand<TFloat32>> losses = List.of(discriminatorStep.loss(), generatorStep.loss());
    return GanLosses.values(
        ws.runAll(losses, feeds(batch).images(xBatch, xValid.gather(batch.indices()))));
  }

  private Feeds feeds(Batch batch) {
    return extraFeeds.apply(batch);
  }
}
