package io.github.homl.gan;

import io.github.homl.data.Batches;
import io.github.homl.data.Images;
import io.github.homl.layers.AvgPool2D;
import io.github.homl.layers.CallContext;
import io.github.homl.layers.UpSampling2D;
import io.github.homl.training.CheckpointFolder;
import io.github.homl.training.Fit;
import io.github.homl.training.GradientUpdate;
import io.github.homl.training.History;
import io.github.homl.training.KerasOptimizer;
import io.github.homl.training.LossValues;
import io.github.homl.training.TrainingStep;
import io.github.homl.training.WeightAverage;
import io.github.homl.training.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Progressive growing, as the progressive GAN trains and StyleGAN (which changed only the
 * generator) trains too: one pair of training steps per stage (7×7, 14×14, 28×28), each the book's
 * two {@code train_gan} phases on the networks at that stage's size, and a {@link FadeIn} that says
 * which stage and fade-in weight α a global step trains.
 */
public final class GrowingGan {

  /** A generator that grows: its images and variables at each stage. */
  public interface GrowingGenerator {

    int stages();

    /** Images of stage {@code stage} ({@code 7·2^stage} pixels wide), without fade-in. */
    Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> codings, int stage);

    /** The variables on the fade-in path of stage {@code stage}. */
    List<Variable<TFloat32>> trainableVariables(int stage);
  }

  /** The generator's batch of fakes at {@code stage}, fading in at {@code alpha}. */
  @FunctionalInterface
  public interface Fakes {
    Operand<TFloat32> at(CallContext ctx, int stage, Operand<TFloat32> alpha);
  }

  /** The discriminator's and the generator's training steps of one stage. */
  private record Stage(GradientUpdate discriminatorStep, GradientUpdate generatorStep) {}

  /** 7×7; 14×14 fade-in; 14×14; 28×28 fade-in; 28×28. */
  public static final int PHASES = 5;

  /** Where one training step is in the growth schedule. */
  public record FadeIn(int stage, float alpha, boolean fading) {

    /** The stage and α of global step {@code step} out of {@code totalSteps}. */
    public static FadeIn at(long step, long totalSteps) {
      double progress = (double) step * PHASES / totalSteps;
      int phase = Math.min(PHASES - 1, (int) progress);
      boolean fading = phase % 2 == 1;
      return new FadeIn((phase + 1) / 2, fading ? (float) (progress - phase) : 1f, fading);
    }
  }

  private final Workspace ws;
  private final Placeholder<TFloat32> xBatch;
  private final Placeholder<TFloat32> alpha;
  private final List<Stage> stages = new ArrayList<>();

  /**
   * Builds the training steps of every stage.
   *
   * @param fakes the generator's fakes, for phase 1 (inference mode) and phase 2 (training)
   * @param generatorOptimizer a fresh optimizer for each stage's generator (the discriminator's is
   *     {@link ProGanTraining#adam})
   * @param batchSize the batch of real 28×28 images fed each step
   */
  public GrowingGan(
      Workspace ws,
      GrowingGenerator generator,
      Fakes fakes,
      Supplier<KerasOptimizer> generatorOptimizer,
      ProGanDiscriminator discriminator,
      int batchSize) {
    this.ws = ws;
    this.xBatch = ws.placeholder(batchSize, 28, 28);
    Ops tf = ws.tf();
    this.alpha = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar())); // fade-in's α
    for (int stage = 0; stage < generator.stages(); stage++) {
      Operand<TFloat32> real = realImages(stage);

      // phase 1 - training the discriminator (the book calls generator(noise) in inference mode)
      Operand<TFloat32> generatedImages = fakes.at(ws.inference(), stage, alpha);
      Operand<TFloat32> dLoss =
          GanLosses.discriminatorLoss(
              tf,
              discriminator.atStage(ws.training(), generatedImages, stage, alpha),
              discriminator.atStage(ws.training(), real, stage, alpha));
      int s = stage;
      GradientUpdate discriminatorStep =
          ws.gradientUpdate(dLoss, () -> discriminator.trainableVariables(s), ProGanTraining::adam);

      // phase 2 - training the generator through the discriminator, whose variables stay fixed
      Operand<TFloat32> fakeImages = fakes.at(ws.training(), stage, alpha);
      Operand<TFloat32> gLoss =
          GanLosses.generatorLoss(
              tf, discriminator.atStage(ws.training(), fakeImages, stage, alpha));
      GradientUpdate generatorStep =
          ws.gradientUpdate(gLoss, () -> generator.trainableVariables(s), generatorOptimizer);
      stages.add(new Stage(discriminatorStep, generatorStep));
    }
  }

  /**
   * Makes every stage's generator step update {@code average} too, after the generator's update and
   * in the same run.
   */
  public void averageGenerator(WeightAverage average) {
    stages.replaceAll(
        stage -> new Stage(stage.discriminatorStep(), average.after(stage.generatorStep())));
  }

  /**
   * The real images at {@code stage}'s size, {@code [batch, r, r, 1]}: average-pooled and, as in
   * the paper, faded in too (at α = 0 they are the enlarged half-size images).
   */
  private Operand<TFloat32> realImages(int stage) {
    Ops tf = ws.tf();
    Operand<TFloat32> real = tf.reshape(xBatch, tf.constant(new long[] {-1, 28, 28, 1}));
    int factor = 28 / (7 << stage);
    if (factor > 1) {
      real = new AvgPool2D(factor).apply(ws.inference(), real);
    }
    if (stage > 0) {
      Operand<TFloat32> coarse =
          new UpSampling2D(2).apply(ws.inference(), new AvgPool2D(2).apply(ws.inference(), real));
      real = Growth.lerp(tf, coarse, real, alpha);
    }
    return real;
  }

  /**
   * Trains {@code epochs} epochs of shuffled, drop-remainder batches of {@code xTrain} (the batch
   * size of {@code xBatch}) with the held-out losses on {@code xValid}, checkpointed in {@code
   * checkpoints} as model {@code name}, watched by {@code listeners}: the five phases are spread
   * over the run's steps.
   */
  public History fit(
      CheckpointFolder checkpoints,
      String name,
      Images xTrain,
      Images xValid,
      IntConsumer stageDone,
      int epochs,
      List<Fit.Listener> listeners) {
    int batchSize = (int) xBatch.shape().get(0);
    Batches batches =
        Batches.of(xTrain.count(), batchSize).shuffled(ws.seeds().shuffle()).dropRemainder();
    return Fit.of(
            ws, step(xTrain, xValid, stageDone, (long) epochs * batches.stepsPerEpoch()), batches)
        .validation(Batches.of(xValid.count(), batchSize).dropRemainder())
        .checkpoints(checkpoints.model(name), checkpoints.resume())
        .listeners(listeners)
        .run(epochs);
  }

  /**
   * The book's {@code train_gan} step, growing: global step {@code s} of {@code totalSteps} trains
   * the stage and α of {@link FadeIn#at}; after the last step of each stage {@code stageDone} gets
   * the stage (a growth figure takes its snapshot).
   */
  private TrainingStep step(Images xTrain, Images xValid, IntConsumer stageDone, long totalSteps) {
    return new TrainingStep() {
      private FadeIn fadeIn = FadeIn.at(0, 1);

      @Override
      public LossValues trainStep(Batch batch) {
        fadeIn = FadeIn.at(batch.step(), totalSteps);
        LossValues losses = twoPhases().trainStep(batch);
        if (batch.step() + 1 == totalSteps
            || FadeIn.at(batch.step() + 1, totalSteps).stage() != fadeIn.stage()) {
          stageDone.accept(fadeIn.stage());
        }
        return losses;
      }

      @Override
      public LossValues testStep(Batch batch) {
        return twoPhases().testStep(batch);
      }

      @Override
      public String describe() {
        int size = 7 << fadeIn.stage();
        return String.format(Locale.ROOT, " - at %dx%d, alpha %.2f", size, size, fadeIn.alpha());
      }

      private TwoPhaseStep twoPhases() {
        Stage stage = stages.get(fadeIn.stage());
        float a = fadeIn.alpha();
        return new TwoPhaseStep(
            ws,
            stage.discriminatorStep(),
            stage.generatorStep(),
            xBatch,
            xTrain,
            xValid,
            batch -> ws.feeds(batch).scalar(alpha, a));
      }
    };
  }
}
