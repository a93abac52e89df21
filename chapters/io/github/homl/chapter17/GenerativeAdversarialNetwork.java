package io.github.homl.chapter17;

import static io.github.homl.layers.Activation.RELU;
import static io.github.homl.layers.Activation.SIGMOID;
import static io.github.homl.layers.Init.HE_NORMAL;

import io.github.homl.config.RunConfig;
import io.github.homl.data.FashionMnist;
import io.github.homl.evaluation.PixelRange;
import io.github.homl.evaluation.SampleScores;
import io.github.homl.gan.GanResults;
import io.github.homl.gan.GanStep;
import io.github.homl.layers.Dense;
import io.github.homl.layers.Flatten;
import io.github.homl.layers.Reshape;
import io.github.homl.layers.Sequential;
import io.github.homl.training.History;
import io.github.homl.training.RunReport;
import io.github.homl.training.Workspace;
import java.util.function.UnaryOperator;

/**
 * Generative Adversarial Networks: a dense generator (30 codings → 100 → 150 → 784, sigmoid) and a
 * dense discriminator (784 → 150 → 100 → 1, sigmoid), he_normal hidden layers, trained 50 epochs
 * with the book's two-phase {@code train_gan} ({@link io.github.homl.gan.GanStep}): binary
 * cross-entropy, RMSprop, batches of 32 with the remainder dropped. The discriminator is compiled
 * first and then frozen inside {@code gan}; here each phase simply owns its network's variables.
 *
 * <p>Writes {@code gan_generated_images_plot.png} (Figure 17-15: 32 images, 4×8, from {@code
 * tf.random.set_seed(42); tf.random.normal([32, 30])}) and {@code gan_losses_plot.png} (mean d_loss
 * and g_loss per epoch, and the same losses on held-out data in inference mode).
 *
 * <p>Ends with the yardstick ({@link SampleScores}): FID-FMNIST, KID and class coverage of 10,000
 * fresh samples, printed and saved as {@code gan_scores.json}.
 *
 * <p><b>Deviations:</b> the per-epoch loss lines and curves are ours (the book prints only "Epoch
 * k/50"); the 4×8 grids the notebook shows after each epoch are not saved. The figure's noise comes
 * from {@code java.util.Random(seed)}, not TF's generator.
 */
public final class GenerativeAdversarialNetwork {

  public static RunReport run(RunConfig config) {
    int codingsSize = 30;
    int batchSize = 32;
    int nEpochs = 50;
    if (config.pretrained()) { // extra code – the committed generator instead of training
      return GanResults.pretrained(
          config.outputs(), "gan", codingsSize, PixelRange.UNIT, UnaryOperator.identity());
    }
    FashionMnist data = config.loadData();
    try (Workspace ws = config.denseWorkspace()) {
      // begin listing gan_models
      Sequential generator =
          Sequential.of(
              new Dense(100, RELU).kernelInitializer(HE_NORMAL),
              new Dense(150, RELU).kernelInitializer(HE_NORMAL),
              new Dense(28 * 28, SIGMOID),
              new Reshape(28, 28));
      Sequential discriminator =
          Sequential.of(
              new Flatten(),
              new Dense(150, RELU).kernelInitializer(HE_NORMAL),
              new Dense(100, RELU).kernelInitializer(HE_NORMAL),
              new Dense(1, SIGMOID));

      GanStep gan =
          GanStep.of(
              ws, generator, discriminator, codingsSize, batchSize, data.xTrain(), data.xValid());
      // end listing
      History history =
          gan.trainGan(
              config.checkpointFolder(), "gan", config.epochs(nEpochs), config.fitListeners());
      // extra code – hands the trained generator to the CLI's export command (if it asked)
      config.export(ws, "gan_generator", history, gan::signatures);

      // Figure 17-15: tf.random.set_seed(42); generator.predict(tf.random.normal([32, 30]));
      // extra code – both losses per epoch, then FID-FMNIST, KID and coverage of fresh samples
      return GanResults.report(
          config.outputs(), "gan", history, gan::generate, codingsSize, PixelRange.UNIT);
    }
  }

  /** Runs this section with {@code run}'s options ({@code --epochs}, {@code --quick}, ...). */
  public static void main(String[] args) {
    System.out.print(run(RunConfig.fromArgs(args)).summary());
  }
}
