package io.github.homl.chapter17;

import static io.github.homl.layers.Activation.RELU;
import static io.github.homl.layers.Activation.SIGMOID;
import static io.github.homl.layers.Padding.SAME;

import io.github.homl.data.FashionMnist;
import io.github.homl.data.Images;
import io.github.homl.figures.Figures;
import io.github.homl.figures.ImageGrid;
import io.github.homl.layers.Conv2D;
import io.github.homl.layers.Conv2DTranspose;
import io.github.homl.layers.Dense;
import io.github.homl.layers.Flatten;
import io.github.homl.layers.GaussianNoise;
import io.github.homl.layers.Layer;
import io.github.homl.layers.MaxPool2D;
import io.github.homl.layers.Reshape;
import io.github.homl.layers.Sequential;
import io.github.homl.training.History;
import io.github.homl.training.Losses;
import io.github.homl.training.Nadam;
import io.github.homl.training.RunConfig;
import io.github.homl.training.RunReport;
import io.github.homl.training.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Exercise 10: "Try using a denoising autoencoder to pretrain an image classifier. [...] Split
 * the dataset into a training set and a test set. Train a deep denoising autoencoder on the full
 * training set. Check that the images are fairly well reconstructed. Visualize the images that
 * most activate each neuron in the coding layer. Build a classification DNN, reusing the lower
 * layers of the autoencoder. Train it using only 500 images from the training set. Does it perform
 * better with or without pretraining?"
 *
 * <p>The notebook's encoder and decoder (GaussianNoise(0.1) → Conv2D(32, 3, same, relu) →
 * MaxPool2D → Flatten → Dense(512, relu); Dense(·, relu) → Reshape → Conv2DTranspose(·, 3,
 * strides 2, same, sigmoid); binary cross-entropy, Nadam) pretrain on the 55,000 training images.
 * Then a classifier {@code encoder → Dense(10)} trains on 500 labelled training images (Adam,
 * batch 32, 30 epochs) with its encoder from scratch, pretrained and fine-tuned, or pretrained and
 * frozen, for three seeds; each seed draws its own 500 images, shared by the three variants. Our
 * run (seeds 42-44): 0.797 ± 0.009 from scratch, 0.795 ± 0.008 fine-tuned, 0.778 ± 0.012 frozen:
 * with this shallow encoder, pretraining does not help.
 *
 * <p>Writes {@code exercise10_denoising_plot.png} (originals, noisy, denoised: the notebook's
 * unsaved plot) and {@code exercise10_coding_neurons_plot.png} (one row per coding neuron: the 8
 * training images that activate it most, for the 6 neurons whose activation varies most).
 *
 * <p><b>Deviations:</b> Fashion-MNIST 28x28x1 instead of the notebook's CIFAR-10 32x32x3 (so the
 * decoder is Dense(14·14·32) → Conv2DTranspose(1)); 5 pretraining epochs instead of 10, so that the
 * whole run takes about 7 CPU-minutes. The notebook stops after the denoising plot; the neuron
 * figure, the classifiers and their comparison are ours.
 */
public final class Exercise10Pretraining {

  private static final int PRETRAIN_EPOCHS = 5;
  private static final int NEURONS = 6;
  private static final int TOP_IMAGES = 8;

  private Exercise10Pretraining() {}

  public static void main(String[] args) {
    System.out.print(run(RunConfig.fromArgs(args)).summary());
  }

  static RunReport run(RunConfig config) {
    FashionMnist data = config.loadData();
    List<Path> figures = new ArrayList<>();
    History history;
    List<float[]> pretrained;
    try (Workspace ws = Workspace.create(config.seed())) {
      Sequential denoisingEncoder = encoder();
      Sequential denoisingDecoder = Sequential.of(
          new Dense(14 * 14 * 32, RELU),
          new Reshape(14, 14, 32),
          new Conv2DTranspose(1, 3).strides(2).padding(SAME).activation(SIGMOID),
          new Reshape(28, 28));
      Sequential denoisingAe = Sequential.of(denoisingEncoder, denoisingDecoder);
      history = ws.compile(denoisingAe, Losses.BCE, Nadam::legacy)
          .withCheckpoints(config.checkpoints("exercise10_denoising_ae"), config.resume())
          .fit(data.xTrain(), data.xTrain(), config.epochs(PRETRAIN_EPOCHS), data.xValid(),
              data.xValid());

      // the notebook's plot: 5 test images, the same with noise of σ = 0.1, and denoised
      Images originals = data.xTest().take(5);
      Images noisy = addNoise(originals, 0.1f, config.seed());
      figures.add(Figures.saveFig(ImageGrid.plotRows(List.of(originals, noisy,
          ws.predict(denoisingAe, noisy))), config.outDir(), "exercise10_denoising_plot"));

      figures.add(Figures.saveFig(ImageGrid.plotRows(mostActivating(ws, denoisingEncoder,
          data.xTrain())), config.outDir(), "exercise10_coding_neurons_plot"));
      pretrained = Exercise10Classifiers.values(ws, denoisingEncoder.trainableVariables());
    }

    Map<String, Double> accuracies = Exercise10Classifiers.compare(pretrained, data, config);
    return new RunReport(Map.of("exercise10_denoising_ae", history), accuracies, figures);
  }

  /** The notebook's {@code denoising_encoder}, on 28x28 images. */
  static Sequential encoder() {
    return Sequential.of(
        new Reshape(28, 28, 1),
        new GaussianNoise(0.1f),
        new Conv2D(32, 3).padding(SAME).activation(RELU),
        new MaxPool2D(),
        new Flatten(),
        new Dense(512, RELU));
  }

  /** Rows of the training images that most activate the coding neurons that vary most. */
  private static List<Images> mostActivating(Workspace ws, Layer encoder, Images images) {
    int codings = 512;
    double[] sum = new double[codings];
    double[] sumSquares = new double[codings];
    float[] codes = new float[images.count() * codings];
    for (int from = 0; from < images.count(); from += 5000) {
      Images chunk = images.slice(from, Math.min(images.count(), from + 5000));
      float[] values = ws.predict(encoder, chunk).pixels(); // inference: no noise
      System.arraycopy(values, 0, codes, from * codings, values.length);
    }
    for (int i = 0; i < images.count(); i++) {
      for (int j = 0; j < codings; j++) {
        double a = codes[i * codings + j];
        sum[j] += a;
        sumSquares[j] += a * a;
      }
    }
    Integer[] neurons = new Integer[codings];
    double[] variance = new double[codings];
    for (int j = 0; j < codings; j++) {
      neurons[j] = j;
      double mean = sum[j] / images.count();
      variance[j] = sumSquares[j] / images.count() - mean * mean;
    }
    Arrays.sort(neurons, (a, b) -> Double.compare(variance[b], variance[a]));
    List<Images> rows = new ArrayList<>();
    for (int r = 0; r < NEURONS; r++) {
      int neuron = neurons[r];
      Integer[] order = new Integer[images.count()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Float.compare(codes[b * codings + neuron],
          codes[a * codings + neuron]));
      int[] top = new int[Math.min(TOP_IMAGES, order.length)];
      for (int k = 0; k < top.length; k++) {
        top[k] = order[k];
      }
      rows.add(images.gather(top));
    }
    return rows;
  }

  /** {@code images + σ·N(0, 1)}, seeded (the notebook's {@code np.random.randn}). */
  private static Images addNoise(Images images, float stddev, long seed) {
    Random random = new Random(seed);
    float[] pixels = images.pixels().clone();
    for (int k = 0; k < pixels.length; k++) {
      pixels[k] += (float) (stddev * random.nextGaussian());
    }
    return new Images(pixels, images.count(), images.height(), images.width());
  }
}
