package io.github.homl.chapter17;

import io.github.homl.data.Images;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** The inputs of the GAN sections: shuffled batches, seeded codings and one-hot labels. */
final class GanData {

  /** The book's {@code dataset.shuffle(1000)}. */
  static final int SHUFFLE_BUFFER_SIZE = 1000;

  private GanData() {}

  /**
   * One epoch of {@code Dataset.shuffle(1000).batch(batch_size, drop_remainder=True)} over {@code
   * n} images: tf.data's shuffle keeps a buffer of the next 1,000 images and emits a random one of
   * them each time, refilling its slot from the input, so an image moves about a thousand places at
   * most (each call draws a fresh order, as {@code reshuffle_each_iteration} defaults to true).
   */
  static List<int[]> shuffledBatches(int n, int batchSize, Random random) {
    int[] order = new int[n];
    int[] buffer = new int[Math.min(SHUFFLE_BUFFER_SIZE, n)];
    int filled = 0;
    int next = 0;
    while (filled < buffer.length) {
      buffer[filled++] = next++;
    }
    for (int out = 0; out < n; out++) {
      int slot = random.nextInt(filled);
      order[out] = buffer[slot];
      buffer[slot] = next < n ? next++ : buffer[--filled];
    }
    List<int[]> batches = new ArrayList<>();
    for (int from = 0; from + batchSize <= n; from += batchSize) { // drop_remainder=True
      batches.add(Arrays.copyOfRange(order, from, from + batchSize));
    }
    return batches;
  }

  /**
   * {@code tf.random.set_seed(seed); tf.random.normal([n, codingsSize])}, drawn in Java: codings
   * {@code [n, codingsSize]} as images of width 1.
   */
  static Images seededNoise(long seed, int n, int codingsSize) {
    return noise(new Random(seed), n, codingsSize);
  }

  /** {@code n} codings of N(0, 1) drawn from {@code random}, as images of width 1. */
  static Images noise(Random random, int n, int codingsSize) {
    float[] values = new float[n * codingsSize];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return new Images(values, n, codingsSize, 1);
  }

  /** One-hot rows {@code [n, nClasses]}, as images of width 1. */
  static Images oneHot(int[] classes, int nClasses) {
    float[] values = new float[classes.length * nClasses];
    for (int i = 0; i < classes.length; i++) {
      values[i * nClasses + classes[i]] = 1f;
    }
    return new Images(values, classes.length, nClasses, 1);
  }

  /** {@code labels[indices]}, or null when there are no labels. */
  static int[] select(int[] labels, int[] indices) {
    if (labels == null) {
      return null;
    }
    int[] selected = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      selected[i] = labels[indices[i]];
    }
    return selected;
  }
}
