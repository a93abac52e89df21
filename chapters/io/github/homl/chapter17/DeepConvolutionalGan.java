package io.github.homl.chapter17;

import static io.github.homl.layers.Activation.RELU;
import static io.github.homl.layers.Activation.SIGMOID;
import static io.github.homl.layers.Activation.TANH;
import static io.github.homl.layers.Padding.SAME;

import io.github.homl.config.RunConfig;
import io.github.homl.data.FashionMnist;
import io.github.homl.evaluation.PixelRange;
import io.github.homl.evaluation.SampleScores;
import io.github.homl.gan.GanResults;
import io.github.homl.gan.GanStep;
import io.github.homl.layers.Activation;
import io.github.homl.layers.BatchNormalization;
import io.github.homl.layers.Conv2D;
import io.github.homl.layers.Conv2DTranspose;
import io.github.homl.layers.Dense;
import io.github.homl.layers.Dropout;
import io.github.homl.layers.Flatten;
import io.github.homl.layers.Reshape;
import io.github.homl.layers.Sequential;
import io.github.homl.training.History;
import io.github.homl.training.RunReport;
import io.github.homl.training.Workspace;
import java.util.function.UnaryOperator;

/**
 * Deep Convolutional GANs: a generator that projects 100 codings to 7×7×128, then upsamples with
 * two stride-2 transposed convolutions (BatchNormalization before each, tanh output), and a
 * discriminator of two stride-2 convolutions with leaky ReLU (0.2) and Dropout(0.4). The images are
 * scaled to [-1, 1] to match tanh; training is the GAN's {@code train_gan} for 50 epochs ({@link
 * GanStep}). In phase 1 the generator runs in inference mode, so its BatchNormalization layers use
 * their moving statistics there, as in the book's Keras code.
 *
 * <p>Writes {@code dcgan_generated_images_plot.png} (Figure 17-16: 32 images, 4×8, from {@code
 * tf.random.set_seed(42); tf.random.normal([32, 100])}, each image scaled on its own as imshow
 * does) and {@code dcgan_losses_plot.png} (mean d_loss and g_loss per epoch, and held-out).
 *
 * <p>Ends with the yardstick ({@link SampleScores}): FID-FMNIST, KID and class coverage of 10,000
 * fresh samples, printed and saved as {@code dcgan_scores.json}.
 *
 * <p><b>Deviations:</b> as for {@link GenerativeAdversarialNetwork}: the loss lines and curves are
 * ours, per-epoch grids are not saved, the figure's noise comes from {@code
 * java.util.Random(seed)}.
 */
public final class DeepConvolutionalGan {

  public static RunReport run(RunConfig config) {
    if (config.pretrained()) { // extra code – the committed generator instead of training
      return GanResults.pretrained(
          config.outputs(), "dcgan", CODINGS_SIZE, PixelRange.SYMMETRIC, UnaryOperator.identity());
    }
    // X_train_dcgan = X_train.reshape(-1, 28, 28, 1) * 2. - 1. (the channel axis is the feed's)
    try (Workspace ws = config.workspace()) {
      // begin listing dcgan_models
      FashionMnist dcganData = config.loadData().scaled(2f, -1f);
      Sequential generator = generator();
      Sequential discriminator = discriminator();

      GanStep gan =
          GanStep.of(
              ws,
              generator,
              discriminator,
              CODINGS_SIZE,
              BATCH_SIZE,
              dcganData.xTrain(),
              dcganData.xValid());
      // end listing
      History history =
          gan.trainGan(
              config.checkpointFolder(), "dcgan", config.epochs(EPOCHS), config.fitListeners());
      // extra code – hands the trained generator to the CLI's export command (if it asked)
      config.export(ws, "dcgan_generator", history, gan::signatures);

      // Figure 17-16: tf.random.set_seed(42); generator.predict(tf.random.normal([32, 100]));
      // extra code – both losses per epoch; FID-FMNIST, KID and coverage of samples in [0, 1]
      return GanResults.report(
          config.outputs(), "dcgan", history, gan::generate, CODINGS_SIZE, PixelRange.SYMMETRIC);
    }
  }

  // begin listing dcgan_settings
  static final int CODINGS_SIZE = 100;
  static final int BATCH_SIZE = 32;
  static final int EPOCHS = 50;

  // end listing
  // begin listing dcgan_networks
  /** The book's DCGAN {@code generator}: codings {@code [batch, 100]} to images in [-1, 1]. */
  public static Sequential generator() {
    return Sequential.of(
        new Dense(7 * 7 * 128),
        new Reshape(7, 7, 128),
        new BatchNormalization(),
        new Conv2DTranspose(64, 5).strides(2).padding(SAME).activation(RELU),
        new BatchNormalization(),
        new Conv2DTranspose(1, 5).strides(2).padding(SAME).activation(TANH));
  }

  /** The book's DCGAN {@code discriminator}: images {@code [batch, 28, 28, 1]} to P(real). */
  public static Sequential discriminator() {
    return Sequential.of(
        new Conv2D(64, 5).strides(2).padding(SAME).activation(Activation.leakyRelu(0.2f)),
        new Dropout(0.4f),
        new Conv2D(128, 5).strides(2).padding(SAME).activation(Activation.leakyRelu(0.2f)),
        new Dropout(0.4f),
        new Flatten(),
        new Dense(1, SIGMOID));
  }

  // end listing

  /** Runs this section with {@code run}'s options ({@code --epochs}, {@code --quick}, ...). */
  public static void main(String[] args) {
    System.out.print(run(RunConfig.fromArgs(args)).summary());
  }
}
