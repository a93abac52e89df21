package io.github.homl.evaluation;

import static io.github.homl.layers.Activation.RELU;

import io.github.homl.data.FashionMnist;
import io.github.homl.data.Images;
import io.github.homl.layers.Dense;
import io.github.homl.layers.Flatten;
import io.github.homl.layers.Sequential;
import io.github.homl.training.Adam;
import io.github.homl.training.FitOptions;
import io.github.homl.training.Seeds;
import io.github.homl.training.Workspace;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Exercise 11's yardstick for an image set other than Fashion-MNIST, where FID-FMNIST means nothing
 * (the committed evaluator knows only Fashion-MNIST's classes and 28×28 images).
 *
 * <p>A small dense classifier (Flatten → Dense(128, relu) → Dense(64, relu) = features → Dense(k))
 * is trained on the set's own training images for {@value #EPOCHS} epochs (seconds for a few
 * thousand small images). Its 64 hidden activations replace the evaluator's features: {@code
 * FID-data} is the Fréchet distance between the samples and the test images in that space, and
 * {@code FID-data floor} the same distance from the validation images to the test images, the value
 * real images score (with few test images both are biased upwards, so read a sample's score against
 * the floor). Its predictions give class coverage as for Fashion-MNIST, and its test accuracy tells
 * how far the yardstick can be trusted. A set without labels gets no yardstick: the scores are
 * skipped with a note.
 */
public final class DataYardstick {

  static final int EPOCHS = 30;
  static final int FEATURES = 64;

  /** Samples scored: the set's test images are fewer than Fashion-MNIST's. */
  public static final int SAMPLES = 2_000;

  private DataYardstick() {}

  /**
   * The scores of {@code sample.apply(samples)} (images in [0, 1] of the set's size) against {@code
   * data}'s test images, printed and returned as measures named {@code <name> ...}; the yardstick
   * trains from {@code seeds}.
   */
  public static Map<String, Double> score(
      Seeds seeds, int samples, String name, FashionMnist data, IntFunction<Images> sample) {
    Map<String, Double> measures = new LinkedHashMap<>();
    if (data.classes() < 2) {
      System.out.println(
          "scores of " + name + " skipped: the data set has no labels to train a yardstick on");
      return measures;
    }
    int height = data.xTrain().height();
    int width = data.xTrain().width();
    try (Workspace ws = Workspace.forDenseModel(seeds)) {
      Sequential features =
          Sequential.of(new Flatten(), new Dense(128, RELU), new Dense(FEATURES, RELU));
      Sequential classifier = Sequential.of(features, new Dense(data.classes()));
      ClassifierTrainer trainer =
          new ClassifierTrainer(ws, classifier, data.classes(), Adam::new, height, width);
      System.out.printf(
          Locale.ROOT,
          "yardstick for %s: a dense classifier on the %d training images, %d epochs%n",
          name,
          data.xTrain().count(),
          EPOCHS);
      trainer.fit(data.xTrain(), data.yTrain(), EPOCHS, FitOptions.<int[]>defaults().quiet());
      double accuracy = trainer.accuracy(data.xTest(), data.yTest());
      Images generated = sample.apply(samples);
      Gaussian test = gaussian(ws, features, data.xTest());
      measures.put(name + " FID-data", gaussian(ws, features, generated).frechetDistance(test));
      measures.put(
          name + " FID-data floor", gaussian(ws, features, data.xValid()).frechetDistance(test));
      measures.put(
          name + " coverage", Metrics.classCoverage(trainer.predict(generated), data.classes()));
      measures.put(name + " yardstick test accuracy", accuracy);
      measures.forEach((key, value) -> System.out.printf(Locale.ROOT, "%s: %.4f%n", key, value));
      return measures;
    }
  }

  private static Gaussian gaussian(Workspace ws, Sequential features, Images images) {
    return Gaussian.of(ws.encode(features, images).values(), images.count(), FEATURES);
  }
}
