package io.github.homl.chapter17;

import io.github.homl.config.RunConfig;
import io.github.homl.data.FashionMnist;
import io.github.homl.evaluation.SampleScores;
import io.github.homl.gan.Conditioning;
import io.github.homl.gan.GanResults;
import io.github.homl.gan.GanStep;
import io.github.homl.layers.Sequential;
import io.github.homl.training.History;
import io.github.homl.training.RMSProp;
import io.github.homl.training.RunReport;
import io.github.homl.training.Workspace;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Exercise 12, conditional GAN (the notebook's answer is "TODO"; Mirza and Osindero 2014): the
 * book's DCGAN where both networks also get the class label. The generator sees the one-hot label
 * concatenated to its 100 codings; the discriminator sees it as 10 constant feature maps stacked on
 * the image's channel, so it can reject a good image of the wrong class. Fake labels are drawn
 * uniformly; real images come with their own labels. Training is the book's {@code train_gan}
 * ({@link GanStep}) for 50 epochs.
 *
 * <p>Writes {@code cgan_generated_images_plot.png}: 10 rows, one per class in Fashion-MNIST order
 * (T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot), 8 images
 * each; column j uses the same codings in every row, so a column shows one "style" across classes.
 * Also {@code cgan_losses_plot.png}.
 *
 * <p>Ends with the yardstick ({@link SampleScores}): FID-FMNIST, KID and class coverage of 10,000
 * fresh samples and the fraction the evaluator classifies as the requested class, printed and saved
 * as {@code cgan_scores.json}.
 */
public final class ConditionalGan {

  static final int N_CLASSES = 10;
  private static final int IMAGES_PER_CLASS = 8;

  public static RunReport run(RunConfig config) {
    if (config.pretrained()) { // extra code – the committed generator instead of training
      return GanResults.pretrainedConditional(
          config.outputs(),
          "cgan",
          "cgan_generator",
          "cgan",
          DeepConvolutionalGan.CODINGS_SIZE,
          N_CLASSES,
          IMAGES_PER_CLASS);
    }
    FashionMnist dcganData = config.loadData().scaled(2f, -1f); // as the DCGAN's, in [-1, 1]
    try (Workspace ws = config.workspace()) {
      Sequential generator = DeepConvolutionalGan.generator(); // input [batch, 100 + 10]
      Sequential discriminator = DeepConvolutionalGan.discriminator(); // input [batch, 28, 28, 11]

      GanStep cgan =
          new GanStep(
              ws,
              generator,
              discriminator,
              DeepConvolutionalGan.CODINGS_SIZE,
              DeepConvolutionalGan.BATCH_SIZE,
              new OneHotConditioning(N_CLASSES),
              RMSProp::new,
              dcganData.xTrain(),
              dcganData.yTrain(),
              dcganData.xValid(),
              dcganData.yValid());
      History history =
          cgan.trainGan(
              config.checkpointFolder(),
              "cgan",
              config.epochs(DeepConvolutionalGan.EPOCHS),
              config.fitListeners());
      // extra code – hands the trained generator to the CLI's export command (if it asked)
      config.export(ws, "cgan_generator", history, cgan::signatures);

      // one row per class, the same seeded codings in every row; then the scores
      return GanResults.conditionalReport(
          config.outputs(),
          "cgan",
          history,
          cgan::generate,
          DeepConvolutionalGan.CODINGS_SIZE,
          N_CLASSES,
          IMAGES_PER_CLASS);
    }
  }

  /** The label as a one-hot vector: after the codings, and as constant maps after the channels. */
  static final class OneHotConditioning extends Conditioning.OneHot {

    OneHotConditioning(int nClasses) {
      super(nClasses);
    }

    @Override
    public Operand<TFloat32> generatorInputs(
        Ops tf, Operand<TFloat32> codings, Operand<TInt32> classes) {
      // [batch, codings + nClasses]
      return tf.concat(List.of(codings, oneHot(tf, classes)), tf.constant(1));
    }

    @Override
    public Operand<TFloat32> discriminatorInputs(
        Ops tf, Operand<TFloat32> images, Operand<TInt32> classes) {
      long nClasses = nClasses();
      Operand<TFloat32> labels = oneHot(tf, classes);
      long height = images.shape().get(1);
      long width = images.shape().get(2);
      Operand<TFloat32> labelMaps =
          tf.math.mul(
              tf.reshape(labels, tf.constant(new long[] {-1, 1, 1, nClasses})), // [batch, 1, 1, n]
              tf.ones(tf.constant(new long[] {1, height, width, 1}), TFloat32.class));
      // [batch, h, w, channels + nClasses]
      return tf.concat(List.of(images, labelMaps), tf.constant(3));
    }
  }

  /** Runs this section with {@code run}'s options ({@code --epochs}, {@code --quick}, ...). */
  public static void main(String[] args) {
    System.out.print(run(RunConfig.fromArgs(args)).summary());
  }
}
