package io.github.homl.evaluation;

import io.github.homl.data.Images;

/**
 * The simple scores: predicted classes, class coverage, conditional accuracy, reconstruction MSE.
 */
public final class Metrics {

  private Metrics() {}

  /** The index of the largest of each row of {@code logits} ({@code count × classes}). */
  public static int[] argmax(float[] logits, int classes) {
    if (classes < 1 || logits.length % classes != 0) {
      throw new IllegalArgumentException(logits.length + " logits are not rows of " + classes);
    }
    int[] predicted = new int[logits.length / classes];
    for (int i = 0; i < predicted.length; i++) {
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (logits[i * classes + c] > logits[i * classes + best]) {
          best = c;
        }
      }
      predicted[i] = best;
    }
    return predicted;
  }

  /** How many of {@code predicted} fall in each class {@code 0..classes-1}. */
  public static int[] histogram(int[] predicted, int classes) {
    int[] counts = new int[classes];
    for (int label : predicted) {
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException("class " + label + " outside 0.." + (classes - 1));
      }
      counts[label]++;
    }
    return counts;
  }

  /**
   * Class coverage: the entropy of the predicted-class histogram divided by {@code ln classes}. It
   * is 1 when every class is predicted equally often and 0 when one class takes everything; mode
   * collapse shows as a drop.
   */
  public static double classCoverage(int[] predicted, int classes) {
    if (predicted.length == 0) {
      throw new IllegalArgumentException("no predictions: coverage is undefined");
    }
    double entropy = 0;
    for (int count : histogram(predicted, classes)) {
      if (count > 0) {
        double p = (double) count / predicted.length;
        entropy -= p * Math.log(p);
      }
    }
    return entropy / Math.log(classes);
  }

  /** The fraction of images classified as the class they were generated for (or labelled with). */
  public static double conditionalAccuracy(int[] predicted, int[] requested) {
    if (predicted.length != requested.length) {
      throw new IllegalArgumentException(
          predicted.length + " predictions but " + requested.length + " requested labels");
    }
    if (predicted.length == 0) {
      throw new IllegalArgumentException("no predictions: accuracy is undefined");
    }
    int hits = 0;
    for (int i = 0; i < predicted.length; i++) {
      if (predicted[i] == requested[i]) {
        hits++;
      }
    }
    return (double) hits / predicted.length;
  }

  /**
   * For each class c, the fraction of the images requested as c that are classified as c (NaN for a
   * class never requested): which rows of a conditional generator's figure hold what they should.
   */
  public static double[] classAccuracies(int[] predicted, int[] requested, int classes) {
    conditionalAccuracy(predicted, requested); // the same argument checks
    int[] hits = new int[classes];
    int[] asked = new int[classes];
    for (int i = 0; i < predicted.length; i++) {
      if (requested[i] < 0 || requested[i] >= classes) {
        throw new IllegalArgumentException(
            "requested class " + requested[i] + " at " + i + " is outside 0.." + (classes - 1));
      }
      asked[requested[i]]++;
      if (predicted[i] == requested[i]) {
        hits[requested[i]]++;
      }
    }
    double[] accuracies = new double[classes];
    for (int c = 0; c < classes; c++) {
      accuracies[c] = asked[c] == 0 ? Double.NaN : (double) hits[c] / asked[c];
    }
    return accuracies;
  }

  /** The mean of {@code (original - reconstruction)²} over every pixel: Keras's "mse". */
  public static double reconstructionMse(Images originals, Images reconstructions) {
    if (originals.count() != reconstructions.count()
        || originals.pixelsPerImage() != reconstructions.pixelsPerImage()) {
      throw new IllegalArgumentException(
          "cannot compare " + originals + " with " + reconstructions);
    }
    if (originals.count() == 0) {
      throw new IllegalArgumentException("no images: MSE is undefined");
    }
    double sum = 0;
    float[] a = originals.pixels();
    float[] b = reconstructions.pixels();
    for (int k = 0; k < a.length; k++) {
      double diff = a[k] - b[k];
      sum += diff * diff;
    }
    return sum / a.length;
  }
}
