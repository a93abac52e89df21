package io.github.homl.chapter17;

import static io.github.homl.layers.Activation.RELU;
import static io.github.homl.layers.Activation.SIGMOID;
import static io.github.homl.layers.Padding.SAME;

import io.github.homl.config.RunConfig;
import io.github.homl.data.FashionMnist;
import io.github.homl.data.Images;
import io.github.homl.evaluation.ClassifierTrainer;
import io.github.homl.figures.Figures;
import io.github.homl.figures.ImageGrid;
import io.github.homl.layers.CallContext;
import io.github.homl.layers.Conv2D;
import io.github.homl.layers.Conv2DTranspose;
import io.github.homl.layers.Dense;
import io.github.homl.layers.Flatten;
import io.github.homl.layers.GaussianNoise;
import io.github.homl.layers.Layer;
import io.github.homl.layers.MaxPool2D;
import io.github.homl.layers.Reshape;
import io.github.homl.layers.Sequential;
import io.github.homl.saving.SavedModels;
import io.github.homl.training.Adam;
import io.github.homl.training.FitOptions;
import io.github.homl.training.History;
import io.github.homl.training.Losses;
import io.github.homl.training.Nadam;
import io.github.homl.training.Precision;
import io.github.homl.training.RunReport;
import io.github.homl.training.Seeds;
import io.github.homl.training.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Exercise 10: "Try using a denoising autoencoder to pretrain an image classifier. [...] Split the
 * dataset into a training set and a test set. Train a deep denoising autoencoder on the full
 * training set. Check that the images are fairly well reconstructed. Visualize the images that most
 * activate each neuron in the coding layer. Build a classification DNN, reusing the lower layers of
 * the autoencoder. Train it using only 500 images from the training set. Does it perform better
 * with or without pretraining?"
 *
 * <p>The notebook's encoder and decoder (GaussianNoise(0.1) → Conv2D(32, 3, same, relu) → MaxPool2D
 * → Flatten → Dense(512, relu); Dense(·, relu) → Reshape → Conv2DTranspose(·, 3, strides 2, same,
 * sigmoid); binary cross-entropy, Nadam) pretrain on the 55,000 training images. Then a classifier
 * {@code encoder → Dense(10)} trains on 500 labelled training images (Adam, batch 32, 30 epochs)
 * with its encoder from scratch, pretrained and fine-tuned, or pretrained and frozen, for three
 * seeds; each seed draws its own 500 images, shared by the three variants. Our run (seeds 42-44):
 * 0.797 ± 0.009 from scratch, 0.795 ± 0.008 fine-tuned, 0.778 ± 0.012 frozen: with this shallow
 * encoder, pretraining does not help.
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

  public static RunReport run(RunConfig config) {
    FashionMnist data = config.loadData();
    History history;
    List<float[]> pretrained;
    List<Path> figures = new ArrayList<>();
    try (Workspace ws = config.workspace()) {
      Sequential denoisingEncoder = encoder();
      Sequential denoisingDecoder =
          Sequential.of(
              new Dense(14 * 14 * 32, RELU),
              new Reshape(14, 14, 32),
              new Conv2DTranspose(1, 3).strides(2).padding(SAME).activation(SIGMOID),
              new Reshape(28, 28));
      Sequential denoisingAe = Sequential.of(denoisingEncoder, denoisingDecoder);
      history =
          ws.compile(denoisingAe, Losses.BCE, Nadam::legacy)
              .withCheckpoints(config.checkpoints("exercise10_denoising_ae"), config.resume())
              .fit(
                  data.xTrain(),
                  data.xTrain(),
                  config.epochs(PRETRAIN_EPOCHS),
                  config.fitOptions().validation(data.xValid(), data.xValid()));
      // extra code – hands the pretrained encoder and decoder to the CLI's export command
      config.export(
          ws,
          "exercise10_denoising_ae",
          history,
          () -> SavedModels.autoencoder(ws, denoisingEncoder, denoisingDecoder));

      // the notebook's plot: 5 test images, the same with noise of σ = 0.1, and denoised
      Images originals = data.xTest().take(5);
      Images noisy = addNoise(originals, 0.1f, config.seeds().figures());
      figures.add(
          Figures.saveFig(
              ImageGrid.plotRows(List.of(originals, noisy, ws.predict(denoisingAe, noisy))),
              config.outDir(),
              "exercise10_denoising_plot"));

      figures.add(
          Figures.saveFig(
              ImageGrid.plotRows(mostActivating(ws, denoisingEncoder, data.xTrain())),
              config.outDir(),
              "exercise10_coding_neurons_plot"));
      pretrained = values(ws, denoisingEncoder.trainableVariables());
    }

    Map<String, Double> accuracies = compare(pretrained, data, config);
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
      float[] values = ws.encode(encoder, chunk).values(); // inference: no noise
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
      Arrays.sort(
          order, (a, b) -> Float.compare(codes[b * codings + neuron], codes[a * codings + neuron]));
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

  // ---- the second half: classifiers on 500 labels (from scratch, fine-tuned, frozen) ----

  static final int LABELLED = 500;
  static final int SEEDS = 3;
  private static final int CLASSIFIER_EPOCHS = 30;

  /** The three classifiers compared, in the order they are reported. */
  enum Variant {
    FROM_SCRATCH("from scratch"),
    FINE_TUNED("pretrained, fine-tuned"),
    FROZEN("pretrained, frozen");

    final String label;

    Variant(String label) {
      this.label = label;
    }
  }

  /**
   * Trains every variant for the run's seed and its next two repetitions, prints the table and
   * returns each variant's mean and standard deviation of the test accuracy.
   */
  static Map<String, Double> compare(
      List<float[]> pretrained, FashionMnist data, RunConfig config) {
    Map<Variant, double[]> accuracies = new EnumMap<>(Variant.class);
    for (Variant variant : Variant.values()) {
      accuracies.put(variant, new double[SEEDS]);
    }
    for (int s = 0; s < SEEDS; s++) {
      Seeds seeds = config.seeds().repetition(s);
      int[] labelled =
          sample(data.xTrain().count(), Math.min(LABELLED, data.xTrain().count()), seeds.shuffle());
      for (Variant variant : Variant.values()) {
        accuracies.get(variant)[s] =
            trainClassifier(
                variant,
                pretrained,
                data,
                labelled,
                seeds,
                config.epochs(CLASSIFIER_EPOCHS),
                config.precision(),
                s == 0 ? config : null);
      }
    }
    return report(accuracies);
  }

  /** Trains one classifier on the labelled images; returns its test accuracy. */
  private static double trainClassifier(
      Variant variant,
      List<float[]> pretrained,
      FashionMnist data,
      int[] labelled,
      Seeds seeds,
      int epochs,
      Precision precision,
      RunConfig exportFrom) {
    try (Workspace ws = Workspace.create(seeds, precision)) {
      Sequential encoder = Exercise10Pretraining.encoder();
      Dense head = new Dense(10);
      Sequential classifier = Sequential.of(encoder, head);
      Layer trained =
          variant == Variant.FROZEN
              ? new Layer() { // only the head's variables move
                @Override
                public Operand<TFloat32> apply(CallContext ctx, Operand<TFloat32> inputs) {
                  return classifier.apply(ctx, inputs);
                }

                @Override
                public List<Variable<TFloat32>> trainableVariables() {
                  return head.trainableVariables();
                }
              }
              : classifier;
      ClassifierTrainer trainer = new ClassifierTrainer(ws, trained, 10, Adam::new);
      if (variant != Variant.FROM_SCRATCH) {
        assign(ws, encoder.trainableVariables(), pretrained);
      }
      Images x = data.xTrain().gather(labelled);
      int[] y = new int[labelled.length];
      for (int i = 0; i < y.length; i++) {
        y[i] = data.yTrain()[labelled[i]];
      }
      History history = trainer.fit(x, y, epochs, FitOptions.<int[]>defaults().quiet());
      if (exportFrom != null) { // extra code – the first seed's classifiers go to export
        exportFrom.export(
            ws,
            "exercise10_" + variant.name().toLowerCase(Locale.ROOT),
            history,
            () -> List.of(classifierSignature(ws, classifier)));
      }
      double accuracy = trainer.accuracy(data.xTest(), data.yTest());
      System.out.printf(
          Locale.ROOT, "seed %d, %s: test accuracy %.4f%n", seeds.graph(), variant.label, accuracy);
      return accuracy;
    }
  }

  /** {@code serving_default}: {@code images [-1, 28, 28]} → class {@code probabilities}. */
  private static Signature classifierSignature(Workspace ws, Layer classifier) {
    Placeholder<TFloat32> images = SavedModels.floatInput(ws, "images", -1, 28, 28);
    return SavedModels.signature(
        ws,
        Signature.DEFAULT_KEY,
        Map.of("images", images),
        "probabilities",
        ws.tf().nn.softmax(classifier.apply(ws.inference(), images)));
  }

  /** Mean and standard deviation of each variant's accuracies, printed as a table. */
  private static Map<String, Double> report(Map<Variant, double[]> accuracies) {
    Map<String, Double> measures = new LinkedHashMap<>();
    System.out.printf(
        "%-26s test accuracy on %d labels (mean ± std over %d seeds)%n",
        "classifier", LABELLED, SEEDS);
    accuracies.forEach(
        (variant, values) -> {
          double mean = Arrays.stream(values).average().orElse(Double.NaN);
          double std =
              Math.sqrt(
                  Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum()
                      / (values.length - 1)); // sample std
          System.out.printf(
              Locale.ROOT,
              "%-26s %.4f ± %.4f   %s%n",
              variant.label,
              mean,
              std,
              Arrays.toString(values));
          measures.put(variant.label + " accuracy mean", mean);
          measures.put(variant.label + " accuracy std", std);
        });
    return measures;
  }

  /** {@code count} distinct indices below {@code n}, drawn with {@code new Random(seed)}. */
  private static int[] sample(int n, int count, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(n - i);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return Arrays.copyOf(order, count);
  }

  /** The current values of {@code variables}. */
  static List<float[]> values(Workspace ws, List<Variable<TFloat32>> variables) {
    return ws.runAll(List.copyOf(variables), Map.of());
  }

  /** Sets {@code variables} to {@code values}, in order (the weights of another workspace). */
  private static void assign(
      Workspace ws, List<Variable<TFloat32>> variables, List<float[]> values) {
    List<Operand<TFloat32>> assigns = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Variable<TFloat32> variable = variables.get(i);
      assigns.add(
          ws.tf()
              .assign(
                  variable,
                  ws.tf().constant(variable.shape(), DataBuffers.of(values.get(i), true, false))));
    }
    ws.runAll(assigns, Map.of());
  }

  /** Runs this section with {@code run}'s options ({@code --epochs}, {@code --quick}, ...). */
  public static void main(String[] args) {
    System.out.print(run(RunConfig.fromArgs(args)).summary());
  }
}
