package io.github.homl.data;

import java.util.Objects;
import java.util.Random;

/**
 * A batch of {@code count} vectors of {@code size} floats in one flat row-major array: codings
 * {@code [n, codings_size]}, a VAE's means, a classifier's logits. Images are {@link Images}.
 */
public record Vectors(float[] values, int count, int size) {

  public Vectors {
    Objects.requireNonNull(values, "values");
    if (count < 0 || size < 0 || (long) count * size != values.length) {
      throw new IllegalArgumentException(
          values.length + " values do not make " + count + " vectors of " + size);
    }
  }

  /** {@code values} cut into vectors of {@code size}. */
  public static Vectors of(float[] values, int size) {
    if (size <= 0 || values.length % size != 0) {
      throw new IllegalArgumentException(
          values.length + " values do not divide into vectors of " + size);
    }
    return new Vectors(values, values.length / size, size);
  }

  /** {@code n} vectors of N(0, 1) values drawn from {@code random} ({@code tf.random.normal}). */
  public static Vectors gaussian(Random random, int n, int size) {
    float[] values = new float[n * size];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return new Vectors(values, n, size);
  }

  /** {@code tf.random.set_seed(seed); tf.random.normal([n, size])}, drawn in Java. */
  public static Vectors gaussian(long seed, int n, int size) {
    return gaussian(new Random(seed), n, size);
  }

  /** The vectors at {@code indices}, in that order (an index may repeat). */
  public Vectors gather(int[] indices) {
    return new Vectors(Rows.gather(values, size, count, indices, "vectors"), indices.length, size);
  }

  @Override
  public String toString() {
    return "Vectors[count=" + count + ", size=" + size + "]";
  }
}
