package io.github.homl.chapter17;

import static io.github.homl.layers.Activation.RELU;

import io.github.homl.config.RunConfig;
import io.github.homl.data.FashionMnist;
import io.github.homl.data.Images;
import io.github.homl.data.TensorValue;
import io.github.homl.data.Vectors;
import io.github.homl.evaluation.DataYardstick;
import io.github.homl.evaluation.SampleScores;
import io.github.homl.figures.Figures;
import io.github.homl.figures.ImageGrid;
import io.github.homl.layers.CallContext;
import io.github.homl.layers.Dense;
import io.github.homl.layers.Flatten;
import io.github.homl.layers.Layer;
import io.github.homl.layers.Reshape;
import io.github.homl.layers.Sequential;
import io.github.homl.saving.LoadedModel;
import io.github.homl.saving.Pretrained;
import io.github.homl.saving.SavedGenerator;
import io.github.homl.saving.SavedModels;
import io.github.homl.training.History;
import io.github.homl.training.Losses;
import io.github.homl.training.Nadam;
import io.github.homl.training.RunReport;
import io.github.homl.training.Trainer;
import io.github.homl.training.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Variational Autoencoders: an encoder that outputs a mean μ and a log-variance γ = log σ² for 10
 * codings, a {@link Sampling} layer that draws {@code codings = μ + exp(γ/2)·ε}, a decoder, and the
 * latent loss (the KL divergence to N(0, I), divided by 784 to match the per-pixel MSE). Trained 25
 * epochs at batch 128 with Nadam (the book's val_loss 0.0311).
 *
 * <p>Writes {@code vae_generated_images_plot.png} (Figure 17-12: 21 images decoded from random
 * codings), {@code semantic_interpolation_plot.png} (Figure 17-13: codings swept along axis 3), and
 * {@code vae_latent_interpolation_plot.png}: a true interpolation between an encoded trouser and an
 * encoded pullover from the test set, under the pixel-level blend of the same two images, and
 * {@code vae_vector_arithmetic_plot.png}: Figure 17-17's arithmetic on codings, with the mean
 * codings of Fashion-MNIST classes (pullover − T-shirt/top + dress, and two more).
 *
 * <p>Ends with the yardstick ({@link SampleScores}): FID-FMNIST, KID and class coverage of 10,000
 * fresh samples, printed and saved as {@code vae_scores.json}.
 *
 * <p>Exercise 11 ("a VAE on a dataset of your choice"): {@code run vae --data DIR} trains on any
 * image set in IDX or {@code .npy} ({@link io.github.homl.data.ImageSets}), of any image size, with
 * the same layers (the decoder's last Dense outputs h·w values, the latent loss is divided by h·w)
 * and the same figures; FID-FMNIST then gives way to {@link DataYardstick} (a classifier trained on
 * the set itself). {@code docs/exercise11.md} shows it on scikit-learn's handwritten digits.
 *
 * <p><b>Deviations:</b> Keras's functional API becomes two small classes ({@link
 * VariationalEncoder}, {@link VariationalAe}). Figure 17-13 sweeps the coding axis that this run's
 * encoder uses most (largest variance of μ on the validation set) where the book hard-codes axis 3,
 * chosen by eye for its own run: in ours axis 3 may be unused, and the sweep would show one image
 * seven times. The latent interpolation between two images is ours (the book's text describes it,
 * its notebook only sweeps one axis). The 21 codings of Figure 17-12 are drawn with {@code
 * java.util.Random(seed)} (as the GANs' figures), not by a random op of the graph, so that {@code
 * run vae --pretrained} draws the same 21 images from the committed SavedModel.
 */
public final class VariationalAutoencoder {

  // begin listing codings_size
  static final int CODINGS_SIZE = 10;

  // end listing

  public static RunReport run(RunConfig config) {
    FashionMnist data = config.loadAnyData(); // exercise 11: --data DIR may hold another set
    if (config.pretrained()) { // extra code – the committed decoder and encoder instead of training
      if (!data.fashionMnist()) {
        throw new IllegalArgumentException(
            "--pretrained: the committed VAE learned Fashion-MNIST; train one on --data "
                + config.dataDir()
                + " without --pretrained");
      }
      try (SavedGenerator saved = Pretrained.generator("vae", "variational_ae", CODINGS_SIZE)) {
        return results(
            config,
            data,
            Pretrained.history("vae", "variational_ae"),
            codings -> saved.decode(codings.values()),
            images -> encodeMeans(saved.model(), images));
      }
    }
    try (Workspace ws = config.denseWorkspace()) {
      // begin listing vae_model
      int height = data.xTrain().height(); // 28 × 28 for Fashion-MNIST
      int width = data.xTrain().width();
      VariationalEncoder variationalEncoder = new VariationalEncoder(CODINGS_SIZE);
      Sequential variationalDecoder =
          Sequential.of(
              new Dense(100, RELU),
              new Dense(150, RELU),
              new Dense(height * width),
              new Reshape(height, width));
      VariationalAe variationalAe =
          new VariationalAe(variationalEncoder, variationalDecoder, height * width);
      // end listing

      Trainer trainer =
          ws.compile(variationalAe, Losses.MSE, Nadam::legacy)
              .withCheckpoints(config.checkpoints("variational_ae"), config.resume());
      History history =
          trainer.fit(
              data.xTrain(),
              data.xTrain(),
              config.epochs(25), // epochs=25
              config
                  .fitOptions()
                  .batchSize(128) // batch_size=128
                  .validation(data.xValid(), data.xValid()));
      // extra code – hands the trained decoder and encoder to the CLI's export command (if asked)
      config.export(
          ws,
          "variational_ae",
          history,
          () -> signatures(ws, variationalEncoder, variationalDecoder, height, width));
      return results(
          config,
          data,
          history,
          codings -> ws.predict(variationalDecoder, codings),
          images -> ws.encode(variationalEncoder.meanLayer(), images).values());
    }
  }

  /**
   * The figures and scores, from a decoder (codings to images) and the encoder's means μ ({@code
   * [n, codings]} row by row): the trained networks or the pretrained SavedModel.
   */
  private static RunReport results(
      RunConfig config,
      FashionMnist data,
      History history,
      Function<Vectors, Images> decoder,
      Function<Images, float[]> encoderMeans) {
    List<Path> figures = new ArrayList<>();
    // Figure 17-12: codings = tf.random.normal(shape=[3 * 7, codings_size])
    Vectors codings = Vectors.gaussian(config.seeds().figures(), 3 * 7, CODINGS_SIZE);
    Images images = decoder.apply(codings);
    figures.add(Figures.saveImages(images, 7, config.outDir(), "vae_generated_images_plot"));

    // Figure 17-13: codings[:, axis] = np.linspace(-0.8, 0.8, 7), other codings 0
    // begin listing semantic_interpolation
    int axis = mostUsedAxis(encoderMeans.apply(data.xValid()), data.xValid().count());
    System.out.println("semantic interpolation along coding axis " + axis);
    float[] sweep = new float[7 * CODINGS_SIZE];
    for (int i = 0; i < 7; i++) {
      sweep[i * CODINGS_SIZE + axis] = -0.8f + 1.6f * i / 6;
    }
    // end listing
    figures.add(
        Figures.saveImages(
            decoder.apply(Vectors.of(sweep, CODINGS_SIZE)),
            7,
            config.outDir(),
            "semantic_interpolation_plot"));

    // extra code – interpolating between two encoded images, as the book's text describes
    figures.add(
        Figures.saveFig(
            latentInterpolation(decoder, encoderMeans, data),
            config.outDir(),
            "vae_latent_interpolation_plot"));
    // Figure 17-17 – extra code: arithmetic on the mean codings of classes, decoded
    if (data.fashionMnist()) {
      figures.add(
          Figures.saveFig(
              vectorArithmetic(decoder, encoderMeans, data),
              config.outDir(),
              "vae_vector_arithmetic_plot"));
    }
    // extra code – FID-FMNIST, KID and coverage of decoded codings ~ N(0, I)
    Random noise = new Random(config.seeds().scoring());
    IntFunction<Images> samples = n -> decoder.apply(Vectors.gaussian(noise, n, CODINGS_SIZE));
    Map<String, Double> scores =
        data.fashionMnist()
            ? config.outputs().scores().score("vae", samples)
            : DataYardstick.score(
                config.seeds(),
                config.samples(DataYardstick.SAMPLES),
                "vae",
                data,
                samples); // exercise 11: another set
    return new RunReport(Map.of("variational_ae", history), scores, figures);
  }

  /** The means μ that {@code export vae}'s {@code encode_distribution} signature gives. */
  private static float[] encodeMeans(LoadedModel model, Images images) {
    TensorValue pixels =
        TensorValue.of(images.pixels(), images.count(), images.height(), images.width());
    return model.call("encode_distribution", Map.of("images", pixels)).get("codings_mean").floats();
  }

  /**
   * The coding axis whose mean μ varies most over {@code images}: the book picks axis 3 by eye
   * ("axis 3 looks best in this case"); which axes a VAE uses depends on its training run, and an
   * unused axis (μ ≈ 0 for every image) decodes to the same image all along the sweep.
   */
  // begin listing most_used_axis
  public static int mostUsedAxis(float[] means, int count) { // means: [count, codings]
    int best = 0;
    double bestVariance = -1;
    for (int axis = 0; axis < CODINGS_SIZE; axis++) {
      double sum = 0;
      double sumSquares = 0;
      for (int i = 0; i < count; i++) {
        double mu = means[i * CODINGS_SIZE + axis];
        sum += mu;
        sumSquares += mu * mu;
      }
      double variance = sumSquares / count - Math.pow(sum / count, 2);
      if (variance > bestVariance) {
        bestVariance = variance;
        best = axis;
      }
    }
    return best;
  }

  // end listing

  /**
   * Extra code – what {@code export vae} writes: {@code serving_default} decodes ({@code codings
   * [-1, 10]} → {@code images}), {@code encode_distribution} encodes ({@code images [-1, 28, 28]} →
   * {@code codings_mean}, {@code codings_log_var}).
   */
  private static List<Signature> signatures(
      Workspace ws, VariationalEncoder encoder, Layer decoder, int height, int width) {
    Placeholder<TFloat32> images = SavedModels.floatInput(ws, "images", -1, height, width);
    Codings codings = encoder.call(ws.inference(), images);
    Signature encode =
        Signature.builder()
            .key("encode_distribution")
            .input("images", images)
            .output("codings_mean", SavedModels.output(ws, "codings_mean", codings.mean()))
            .output("codings_log_var", SavedModels.output(ws, "codings_log_var", codings.logVar()))
            .build();
    return List.of(
        SavedModels.inferenceSignature(
            ws,
            Signature.DEFAULT_KEY,
            decoder,
            org.tensorflow.ndarray.Shape.of(-1, CODINGS_SIZE),
            SavedModels.GENERATOR_INPUT,
            SavedModels.GENERATOR_OUTPUT),
        encode);
  }

  /**
   * Two rows: pixel-level blend, then decoded latent interpolation, trouser → pullover (on another
   * data set: the first test images of classes 1 and 2, else the first two test images).
   */
  private static java.awt.image.BufferedImage latentInterpolation(
      Function<Vectors, Images> decoder,
      Function<Images, float[]> encoderMeans,
      FashionMnist data) {
    boolean twoClasses = data.classes() > 2;
    int trouser = twoClasses ? firstOfClass(data.yTest(), 1) : 0;
    int pullover = twoClasses ? firstOfClass(data.yTest(), 2) : 1;
    Images pair = data.xTest().gather(new int[] {trouser, pullover});
    float[] means = encoderMeans.apply(pair); // [2, codings]
    int steps = 7;
    float[] codings = new float[steps * CODINGS_SIZE];
    float[] pixels = new float[steps * pair.pixelsPerImage()];
    for (int i = 0; i < steps; i++) {
      float t = i / (float) (steps - 1);
      for (int j = 0; j < CODINGS_SIZE; j++) {
        codings[i * CODINGS_SIZE + j] = (1 - t) * means[j] + t * means[CODINGS_SIZE + j];
      }
      for (int p = 0; p < pair.pixelsPerImage(); p++) {
        pixels[i * pair.pixelsPerImage() + p] =
            (1 - t) * pair.pixels()[p] + t * pair.pixels()[pair.pixelsPerImage() + p];
      }
    }
    Images blended = new Images(pixels, steps, pair.height(), pair.width());
    return ImageGrid.plotRows(List.of(blended, decoder.apply(Vectors.of(codings, CODINGS_SIZE))));
  }

  /**
   * Figure 17-17 in Fashion-MNIST terms: each row decodes the mean codings μ of the test images of
   * classes A, B and C, then A − B + C. The book's figure (from the DCGAN paper) averages the
   * codings of three generated images per concept; here the VAE's encoder gives the codings of
   * every real test image of a class, so each mean is over about 1,000 images.
   */
  private static java.awt.image.BufferedImage vectorArithmetic(
      Function<Vectors, Images> decoder,
      Function<Images, float[]> encoderMeans,
      FashionMnist data) {
    int[][] equations = { // {A, B, C}: A − B + C
      {2, 0, 3}, // pullover − T-shirt/top + dress: long sleeves onto a dress
      {0, 2, 4}, // T-shirt/top − pullover + coat: short sleeves onto a coat
      {9, 7, 5}, // ankle boot − sneaker + sandal: a boot's shaft onto a sandal
    };
    float[][] means = new float[FashionMnist.CLASS_NAMES.length][];
    List<Images> rows = new ArrayList<>();
    for (int[] abc : equations) {
      float[] codings = new float[4 * CODINGS_SIZE];
      for (int k = 0; k < 3; k++) {
        int label = abc[k];
        if (means[label] == null) {
          means[label] = meanCoding(encoderMeans, data.xTest(), data.yTest(), label);
        }
        float sign = k == 1 ? -1 : 1;
        for (int j = 0; j < CODINGS_SIZE; j++) {
          codings[k * CODINGS_SIZE + j] = means[label][j];
          codings[3 * CODINGS_SIZE + j] += sign * means[label][j];
        }
      }
      System.out.printf(
          "vector arithmetic: %s - %s + %s%n",
          FashionMnist.CLASS_NAMES[abc[0]],
          FashionMnist.CLASS_NAMES[abc[1]],
          FashionMnist.CLASS_NAMES[abc[2]]);
      rows.add(decoder.apply(Vectors.of(codings, CODINGS_SIZE)));
    }
    return ImageGrid.plotRows(rows);
  }

  /** The mean of μ over the images of class {@code label}. */
  private static float[] meanCoding(
      Function<Images, float[]> encoderMeans, Images images, int[] labels, int label) {
    int[] members =
        java.util.stream.IntStream.range(0, labels.length)
            .filter(i -> labels[i] == label)
            .toArray();
    float[] mu = encoderMeans.apply(images.gather(members));
    float[] mean = new float[CODINGS_SIZE];
    for (int i = 0; i < members.length; i++) {
      for (int j = 0; j < CODINGS_SIZE; j++) {
        mean[j] += mu[i * CODINGS_SIZE + j] / members.length;
      }
    }
    return mean;
  }

  private static int firstOfClass(int[] labels, int label) {
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == label) {
        return i;
      }
    }
    throw new IllegalArgumentException("no image of class " + label + " in the test set");
  }

  /**
   * The book's {@code Sampling} layer: {@code tf.random.normal(tf.shape(log_var)) * exp(log_var /
   * 2) + mean}.
   */
  static final class Sampling {

    /** Samples in every mode, as the book's layer (it has no training flag). */
    Operand<TFloat32> apply(CallContext ctx, Operand<TFloat32> mean, Operand<TFloat32> logVar) {
      Ops tf = ctx.withSubScope("sampling").tf();
      Operand<TFloat32> epsilon = ctx.random().normal(tf.shape(logVar));
      return tf.math.add(
          tf.math.mul(epsilon, tf.math.exp(tf.math.div(logVar, tf.constant(2f)))), mean);
    }
  }

  /** What the encoder outputs: {@code [codings_mean, codings_log_var, codings]}. */
  record Codings(Operand<TFloat32> mean, Operand<TFloat32> logVar, Operand<TFloat32> codings) {}

  /**
   * The book's {@code variational_encoder}: two hidden layers, then the codings' means μ and
   * log-variances γ, then a sample.
   */
  public static final class VariationalEncoder implements io.github.homl.layers.Trainable {

    private final Sequential hidden =
        Sequential.of(new Flatten(), new Dense(150, RELU), new Dense(100, RELU));
    private final Dense codingsMean; // μ
    private final Dense codingsLogVar; // γ
    private final Sampling sampling = new Sampling();

    public VariationalEncoder(int codingsSize) {
      codingsMean = new Dense(codingsSize);
      codingsLogVar = new Dense(codingsSize);
    }

    Codings call(CallContext ctx, Operand<TFloat32> inputs) {
      Operand<TFloat32> z = hidden.apply(ctx, inputs);
      Operand<TFloat32> mean = codingsMean.apply(ctx, z);
      Operand<TFloat32> logVar = codingsLogVar.apply(ctx, z);
      return new Codings(mean, logVar, sampling.apply(ctx, mean, logVar));
    }

    /** The encoder seen as a layer that outputs μ (for encoding without sampling). */
    public Layer meanLayer() {
      VariationalEncoder encoder = this;
      return new Layer() {
        @Override
        public Operand<TFloat32> apply(CallContext ctx, Operand<TFloat32> inputs) {
          return encoder.call(ctx, inputs).mean();
        }

        @Override
        public List<Variable<TFloat32>> trainableVariables() {
          return encoder.trainableVariables();
        }
      };
    }

    @Override
    public List<Variable<TFloat32>> trainableVariables() {
      List<Variable<TFloat32>> variables = new ArrayList<>(hidden.trainableVariables());
      variables.addAll(codingsMean.trainableVariables());
      variables.addAll(codingsLogVar.trainableVariables());
      return List.copyOf(variables);
    }
  }

  /**
   * The book's {@code variational_ae}: decodes the sampled codings and adds the latent loss {@code
   * mean(-0.5 · sum(1 + γ - exp(γ) - μ², axis=-1)) / 784} ({@code add_loss}; 784 is the pixel
   * count, another for another image size).
   */
  public static final class VariationalAe implements Layer {

    private final VariationalEncoder encoder;
    private final Layer decoder;
    private final int pixels;

    /** {@code pixels}: 784 for Fashion-MNIST, what the latent loss is divided by. */
    public VariationalAe(VariationalEncoder encoder, Layer decoder, int pixels) {
      this.encoder = encoder;
      this.decoder = decoder;
      this.pixels = pixels;
    }

    @Override
    public Operand<TFloat32> apply(CallContext ctx, Operand<TFloat32> inputs) {
      Codings codings = encoder.call(ctx, inputs);
      Ops tf = ctx.tf();
      Operand<TFloat32> mean = codings.mean();
      Operand<TFloat32> logVar = codings.logVar();
      Operand<TFloat32> latentLoss =
          tf.math.mul(
              tf.constant(-0.5f),
              tf.reduceSum(
                  tf.math.sub(
                      tf.math.sub(tf.math.add(tf.constant(1f), logVar), tf.math.exp(logVar)),
                      tf.math.square(mean)),
                  tf.constant(-1)));
      ctx.addLoss(
          tf.math.div(tf.math.mean(latentLoss, tf.constant(0)), tf.constant((float) pixels)));
      return decoder.apply(ctx, codings.codings());
    }

    @Override
    public List<Variable<TFloat32>> trainableVariables() {
      List<Variable<TFloat32>> variables = new ArrayList<>(encoder.trainableVariables());
      variables.addAll(decoder.trainableVariables());
      return List.copyOf(variables);
    }
  }

  /** Runs this section with {@code run}'s options ({@code --epochs}, {@code --quick}, ...). */
  public static void main(String[] args) {
    System.out.print(run(RunConfig.fromArgs(args)).summary());
  }
}
