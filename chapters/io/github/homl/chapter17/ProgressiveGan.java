package io.github.homl.chapter17;

import io.github.homl.config.RunConfig;
import io.github.homl.data.FashionMnist;
import io.github.homl.data.Images;
import io.github.homl.evaluation.PixelRange;
import io.github.homl.evaluation.SampleScores;
import io.github.homl.figures.Figures;
import io.github.homl.gan.GanResults;
import io.github.homl.gan.GrowingGan;
import io.github.homl.gan.ProGanDiscriminator;
import io.github.homl.gan.ProGanGenerator;
import io.github.homl.gan.ProGanGrowthPlot;
import io.github.homl.gan.ProGanTraining;
import io.github.homl.saving.SavedModels;
import io.github.homl.training.History;
import io.github.homl.training.RunReport;
import io.github.homl.training.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Progressive Growing of GANs — the book's "Progressive Growing of GANs" (Karras et al. 2018): a
 * small GAN on Fashion-MNIST that starts at 7×7 and grows to 14×14, then 28×28 (Figure 17-18),
 * fading each new block in with a weight α that rises linearly from 0 to 1. Every layer uses the
 * equalized learning rate ({@code EqualizedDense}, {@code EqualizedConv2D}); the generator uses
 * {@code PixelNormalization} after each convolution and the discriminator ends with {@code
 * MinibatchStdDev}.
 *
 * <p>Training is split into five equal phases of the run's steps: 7×7; fade-in of 14×14; 14×14;
 * fade-in of 28×28; 28×28. The real images are average-pooled to the current size and, during a
 * fade-in, blended with their enlarged half-size version by the same α, as in the paper. Each stage
 * has its own Adam (lr 1e-3, β1 0, β2 0.99, ε 1e-8, the paper's), so the optimizer state starts
 * afresh when the networks grow. Batch 32 with drop-remainder, {@value #EPOCHS} epochs, four per
 * phase (33 minutes on 2 cores, part of it beside the test suite); {@code --quick} runs all five
 * phases in one short epoch. The run's length is our choice (the book gives none): FID-FMNIST of
 * 10,000 samples was 51.6 after 5 epochs, 32.0 after 10 and 18.2 after 20 (coverage 0.966, 0.980,
 * 0.983), below the DCGAN's 25.0 at its 50 epochs. {@code --pretrained} draws the samples figure
 * and the scores from the committed generator (the growth figure needs the training run).
 *
 * <p>Writes {@code progan_generated_images_plot.png} (32 images from random codings, 4×8) and
 * {@code progan_growth_plot.png} (the same 8 codings at the end of each stage: 7×7, 14×14 and
 * 28×28, enlarged to 28×28). The histories {@code progan_discriminator} and {@code
 * progan_generator} hold the mean d_loss and g_loss of each epoch, and as val_loss the same losses
 * on the validation images at the epoch's last stage and α.
 *
 * <p>Ends with the yardstick ({@link SampleScores}): FID-FMNIST, KID and class coverage of 10,000
 * fresh samples (the linear output clipped to [-1, 1]), printed and saved as {@code
 * progan_scores.json}.
 *
 * <p><b>Deviations:</b> the notebook has no code for this section; sizes follow the book's text at
 * Fashion-MNIST scale (3 stages from 7×7, 64/32/16 feature maps, 64 codings) instead of the paper's
 * 4×4 to 1024×1024. The loss is the book's GAN loss (binary cross-entropy, fake = 0, real = 1)
 * computed from logits, {@code softplus(∓logit)}, as StyleGAN's non-saturating loss; the paper's
 * WGAN-GP would need second-order gradients, which TF Java's gradient registry lacks for several
 * ops here. The discriminator sees the fake and the real batch in two separate calls (the book's
 * {@code train_gan} concatenates them), so the minibatch standard deviation is taken over one kind
 * of image at a time, as in the paper; and {@code MinibatchStdDev} takes it over the batch only, as
 * the paper does (the book's text also spans the channels, see that class). No drift penalty, no
 * exponential moving average of the generator: one was tried (decay 0.999, with TensorFlow's
 * warm-up), and at 5 epochs its samples scored worse than the trained generator's in the same run
 * (FID-FMNIST 57.4 against 53.5, coverage 0.944 against 0.966): the average still holds the
 * fade-in's weights when the last phase ends. It may pay with longer phases.
 */
public final class ProgressiveGan {

  // begin listing progan_settings
  static final int CODINGS_SIZE = 64;
  static final int[] FILTERS = {64, 32, 16}; // feature maps at 7×7, 14×14, 28×28
  // end listing
  static final int BATCH_SIZE = 32;
  static final int EPOCHS = 20;

  public static RunReport run(RunConfig config) {
    if (config.pretrained()) { // extra code – the committed generator instead of training
      return GanResults.pretrained(
          config.outputs(),
          "progan",
          CODINGS_SIZE,
          PixelRange.SYMMETRIC,
          images -> images.clipped(-1f, 1f));
    }
    FashionMnist data = config.loadData().scaled(2, -1); // tanh-like range [-1, 1], as the DCGAN's
    Images xTrain = data.xTrain();
    Images xValid = data.xValid();
    List<Path> figures = new ArrayList<>();
    try (Workspace ws = config.workspace()) {
      // begin listing progan_networks
      ProGanGenerator generator = new ProGanGenerator(FILTERS);
      ProGanDiscriminator discriminator = new ProGanDiscriminator(FILTERS);
      // end listing
      GrowingGan gan =
          new GrowingGan(
              ws,
              generator,
              (ctx, stage, alpha) ->
                  generator.atStage(ctx, ws.normal(BATCH_SIZE, CODINGS_SIZE), stage, alpha),
              ProGanTraining::adam,
              discriminator,
              BATCH_SIZE);
      // extra code – the same codings rendered at the end of each stage
      ProGanGrowthPlot growth =
          new ProGanGrowthPlot(ws, generator, CODINGS_SIZE, config.seeds().figures());
      Operand<TFloat32> generatedImages =
          generator.call(ws.inference(), ws.normal(32, CODINGS_SIZE), FILTERS.length - 1);
      Operand<TFloat32> scoringSamples =
          generator.call(
              ws.inference(), ws.normal(SampleScores.BATCH, CODINGS_SIZE), FILTERS.length - 1);

      History history =
          gan.fit(
              config.checkpointFolder(),
              "progan",
              xTrain,
              xValid,
              stage -> growth.takeSnapshot(ws, stage),
              config.epochs(EPOCHS),
              config.fitListeners());
      // extra code – hands the trained generator (28×28) to the CLI's export command (if asked)
      config.export(ws, "progan_generator", history, () -> signatures(ws, generator));

      // Figure: 32 images from random codings, as the book's 4×8 GAN figures
      figures.add(
          Figures.saveImages(
              ws.images(generatedImages), 8, config.outDir(), "progan_generated_images_plot"));
      // extra code – one row per stage: 7×7, 14×14, 28×28
      figures.add(Figures.saveFig(growth.plot(ws), config.outDir(), "progan_growth_plot"));
      // extra code – FID-FMNIST, KID and coverage of fresh 28×28 samples
      Map<String, Double> scores =
          config.outputs().scores().score("progan", SampleScores.fromLinearOp(ws, scoringSamples));
      return new RunReport(Map.of("progan", history), scores, figures);
    }
  }

  /** {@code serving_default}: {@code codings [-1, 64]} → {@code images [-1, 28, 28, 1]}. */
  private static List<Signature> signatures(Workspace ws, ProGanGenerator generator) {
    Placeholder<TFloat32> codings = SavedModels.floatInput(ws, "codings", -1, CODINGS_SIZE);
    Operand<TFloat32> images =
        generator.call(ws.inference(), codings, FILTERS.length - 1); // the last stage, 28×28
    return List.of(
        Signature.builder()
            .input("codings", codings)
            .output("images", SavedModels.output(ws, "images", images))
            .build());
  }

  /** Runs this section with {@code run}'s options ({@code --epochs}, {@code --quick}, ...). */
  public static void main(String[] args) {
    System.out.print(run(RunConfig.fromArgs(args)).summary());
  }
}
