package io.github.homl.evaluation;

import io.github.homl.data.FashionMnist;
import io.github.homl.data.Images;
import io.github.homl.data.TensorValue;
import io.github.homl.saving.LoadedModel;
import io.github.homl.saving.SavedModels;
import io.github.homl.saving.SignatureInfo;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.tensorflow.Signature;

/**
 * The fixed yardstick for generated Fashion-MNIST images: the committed evaluator CNN ({@code
 * savedmodels/evaluator/}) and the scores computed in its feature space against the 10,000 test
 * images.
 *
 * <pre>{@code
 * try (Evaluator evaluator = Evaluator.load()) {
 *   Scores scores = evaluator.score("dcgan", generatedImages); // [n, 28, 28] in [0, 1]
 *   scores.print();
 * }
 * }</pre>
 *
 * {@code conditionalAccuracy(images, requestedLabels)} scores a conditional generator, and {@code
 * fid(images)} alone is cheap enough to follow a generator during training. The test set's features
 * and statistics are computed once per model and JVM, on first use, and shared by every evaluator
 * loaded afterwards.
 */
public final class Evaluator implements AutoCloseable {

  /** Where the committed evaluator lives, relative to the project root. */
  public static final Path DEFAULT_DIR = Path.of("savedmodels", "evaluator");

  /** The signature's input and outputs. */
  static final String INPUT = "images";

  static final String FEATURES = "features";
  static final String LOGITS = "logits";

  static final String METADATA = "evaluator.properties";

  private static final int BATCH_SIZE = 500;
  private static final Map<String, Reference> REFERENCES = new ConcurrentHashMap<>();

  private final Path dir;
  private final Path dataDir;
  private final LoadedModel model;
  private final Properties metadata;
  private FashionMnist data;

  private Evaluator(Path dir, Path dataDir, LoadedModel model, Properties metadata) {
    this.dir = dir;
    this.dataDir = dataDir;
    this.model = model;
    this.metadata = metadata;
  }

  /** The committed evaluator; the test images come from the usual Fashion-MNIST search. */
  public static Evaluator load() {
    return load(DEFAULT_DIR, null);
  }

  /**
   * The evaluator in {@code dir}, scoring against the test images found in {@code dataDir} (null:
   * the usual search, see {@link FashionMnist#load}).
   */
  public static Evaluator load(Path dir, Path dataDir) {
    LoadedModel model = SavedModels.load(dir);
    try {
      SignatureInfo serving = model.signature(Signature.DEFAULT_KEY);
      if (serving.input(INPUT) == null
          || serving.outputs().stream()
                  .filter(o -> o.name().equals(FEATURES) || o.name().equals(LOGITS))
                  .count()
              != 2) {
        throw new IllegalArgumentException(
            dir
                + " is not an evaluator: expected "
                + INPUT
                + " -> "
                + FEATURES
                + ", "
                + LOGITS
                + ", got "
                + serving);
      }
      return new Evaluator(dir, dataDir, model, readMetadata(dir));
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** The test accuracy recorded when this evaluator was trained, or NaN if none is recorded. */
  public double recordedTestAccuracy() {
    return Double.parseDouble(metadata.getProperty("test_accuracy", "NaN"));
  }

  /** The features and logits of a set of images, each flattened row after row. */
  public record Outputs(float[] features, float[] logits, int count) {}

  /** Runs the evaluator on {@code images} ({@code [n, 28, 28]}) in batches of 500. */
  public Outputs run(Images images) {
    requireFashionMnistSize(images);
    int n = images.count();
    float[] features = new float[n * EvaluatorNet.FEATURES];
    float[] logits = new float[n * EvaluatorNet.CLASSES];
    for (int from = 0; from < n; from += BATCH_SIZE) {
      int to = Math.min(n, from + BATCH_SIZE);
      Images batch = images.slice(from, to);
      Map<String, TensorValue> outputs =
          model.call(
              Signature.DEFAULT_KEY,
              Map.of(INPUT, TensorValue.of(batch.pixels(), to - from, 28, 28)));
      copy(
          outputs.get(FEATURES),
          features,
          from * EvaluatorNet.FEATURES,
          (to - from) * EvaluatorNet.FEATURES);
      copy(
          outputs.get(LOGITS),
          logits,
          from * EvaluatorNet.CLASSES,
          (to - from) * EvaluatorNet.CLASSES);
    }
    return new Outputs(features, logits, n);
  }

  /** The predicted class of each image. */
  public int[] predict(Images images) {
    return Metrics.argmax(run(images).logits(), EvaluatorNet.CLASSES);
  }

  /** The fraction of {@code images} classified as their {@code labels}. */
  public double accuracy(Images images, int[] labels) {
    return Metrics.conditionalAccuracy(predict(images), labels);
  }

  /** The accuracy on the 10,000 test images (from the cached reference outputs). */
  public double testAccuracy() {
    return Metrics.conditionalAccuracy(
        Metrics.argmax(reference().logits(), EvaluatorNet.CLASSES), data().yTest());
  }

  /** The fraction of generated images classified as the class each was requested for. */
  public double conditionalAccuracy(Images generated, int[] requestedLabels) {
    return accuracy(PixelRange.forEvaluator(generated), requestedLabels);
  }

  /**
   * FID-FMNIST, KID and class coverage of {@code generated}: {@code [n, 28, 28]} in [0, 1] (pixels
   * outside are clipped, as the notebook clips before plotting; [-1, 1] images are an error).
   */
  public Scores score(String name, Images generated) {
    return score(name, run(PixelRange.forEvaluator(generated)), reference());
  }

  /** FID-FMNIST alone (no KID): cheap enough to follow a generator during training. */
  public double fid(Images generated) {
    Outputs outputs = run(PixelRange.forEvaluator(generated));
    return Gaussian.of(outputs.features(), outputs.count(), EvaluatorNet.FEATURES)
        .frechetDistance(reference().statistics());
  }

  /** {@link #score(String, Images)} plus the conditional accuracy for {@code requestedLabels}. */
  public Scores score(String name, Images generated, int[] requestedLabels) {
    Outputs outputs = run(PixelRange.forEvaluator(generated));
    int[] predicted = Metrics.argmax(outputs.logits(), EvaluatorNet.CLASSES);
    return score(name, outputs, reference())
        .withConditionalAccuracy(
            Metrics.conditionalAccuracy(predicted, requestedLabels),
            Metrics.classAccuracies(predicted, requestedLabels, EvaluatorNet.CLASSES));
  }

  /** The real-vs-real floor: the first 10,000 training images scored against the test images. */
  public Scores realVsReal() {
    Images train = data().xTrain().take(10_000);
    return score("real: 10,000 train vs test", train);
  }

  private static Scores score(String name, Outputs outputs, Reference reference) {
    int[] predicted = Metrics.argmax(outputs.logits(), EvaluatorNet.CLASSES);
    double fid =
        Gaussian.of(outputs.features(), outputs.count(), EvaluatorNet.FEATURES)
            .frechetDistance(reference.statistics());
    Kid kid =
        Kid.of(
            outputs.features(),
            outputs.count(),
            reference.features(),
            reference.count(),
            EvaluatorNet.FEATURES);
    return new Scores(
        name,
        outputs.count(),
        fid,
        kid,
        Metrics.classCoverage(predicted, EvaluatorNet.CLASSES),
        Metrics.histogram(predicted, EvaluatorNet.CLASSES),
        Double.NaN,
        new double[0],
        Double.NaN);
  }

  /** The test images' outputs and feature statistics, computed once per model and data source. */
  private record Reference(float[] features, float[] logits, int count, Gaussian statistics) {}

  private Reference reference() {
    // keyed by the model's files too, so a retrained evaluator never meets a stale reference
    String key =
        dir.toAbsolutePath().normalize()
            + "|"
            + modified(dir.resolve("saved_model.pb"))
            + "|"
            + dataDir;
    return REFERENCES.computeIfAbsent(
        key,
        k -> {
          Images test = data().xTest();
          Outputs outputs = run(test);
          return new Reference(
              outputs.features(),
              outputs.logits(),
              outputs.count(),
              Gaussian.of(outputs.features(), outputs.count(), EvaluatorNet.FEATURES));
        });
  }

  /** Fashion-MNIST, loaded on first use by this evaluator. */
  private synchronized FashionMnist data() {
    if (data == null) {
      data = FashionMnist.load(dataDir);
    }
    return data;
  }

  static void requireFashionMnistSize(Images images) {
    if (images.height() != 28 || images.width() != 28) {
      throw new IllegalArgumentException(
          "the evaluator scores 28x28 images, got "
              + images.count()
              + " images of "
              + images.height()
              + "x"
              + images.width());
    }
  }

  private static Properties readMetadata(Path dir) {
    Properties properties = new Properties();
    Path file = dir.resolve(METADATA);
    if (Files.isRegularFile(file)) {
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    return properties;
  }

  private static String modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toString();
    } catch (IOException e) {
      return "?";
    }
  }

  private static void copy(TensorValue value, float[] into, int offset, int length) {
    if (value.size() != length) {
      throw new IllegalStateException(
          "the evaluator returned " + value + ", expected " + length + " values");
    }
    System.arraycopy(value.floats(), 0, into, offset, length);
  }

  @Override
  public void close() {
    model.close();
  }
}
