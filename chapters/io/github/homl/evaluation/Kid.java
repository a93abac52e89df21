package io.github.homl.evaluation;

import java.util.Random;

/**
 * Kernel Inception Distance (Bińkowski et al., 2018) on evaluator features: the unbiased estimate
 * of the squared maximum mean discrepancy between two sets under the cubic polynomial kernel {@code
 * k(x, y) = (x·y / d + 1)³}, averaged over random subsets. Unlike FID it has no bias from the
 * sample size, so it stays meaningful for a few hundred images; its standard deviation over the
 * subsets says how far to trust it.
 *
 * @param mean the mean of MMD² over the subsets (can be slightly negative: the estimate is
 *     unbiased)
 * @param std the standard deviation over the subsets (population form, as {@code numpy.std})
 * @param subsets how many subsets were drawn
 * @param subsetSize how many vectors of each set every subset holds
 */
public record Kid(double mean, double std, int subsets, int subsetSize) {

  /** torch-fidelity's and the paper's subset size; smaller sets use all their images. */
  public static final int DEFAULT_SUBSET_SIZE = 1000;

  public static final int DEFAULT_SUBSETS = 10;

  /**
   * KID between {@code x} ({@code nx} vectors) and {@code y} ({@code ny} vectors) of {@code dim}
   * values each, over {@code subsets} subsets of {@code min(subsetSize, nx, ny)} vectors drawn
   * without replacement from each set by {@code new Random(seed)}.
   */
  public static Kid of(
      float[] x, int nx, float[] y, int ny, int dim, int subsets, int subsetSize, long seed) {
    int m = Math.min(subsetSize, Math.min(nx, ny));
    if (m < 2) {
      throw new IllegalArgumentException(
          "KID needs at least 2 vectors in each set, got " + nx + " and " + ny);
    }
    if (subsets < 1) {
      throw new IllegalArgumentException("subsets must be at least 1, got " + subsets);
    }
    Random random = new Random(seed);
    double[] values = new double[subsets];
    for (int s = 0; s < subsets; s++) {
      double[][] a = pick(x, nx, dim, m, random);
      double[][] b = pick(y, ny, dim, m, random);
      values[s] = mmd2(a, b, dim);
    }
    double mean = 0;
    for (double v : values) {
      mean += v;
    }
    mean /= subsets;
    double variance = 0;
    for (double v : values) {
      variance += (v - mean) * (v - mean);
    }
    return new Kid(mean, Math.sqrt(variance / subsets), subsets, m);
  }

  /** KID with the default subsets (10 of up to 1000 vectors) and seed 42. */
  public static Kid of(float[] x, int nx, float[] y, int ny, int dim) {
    return of(x, nx, y, ny, dim, DEFAULT_SUBSETS, DEFAULT_SUBSET_SIZE, 42);
  }

  /**
   * The unbiased MMD²: the mean of k over distinct pairs within a, plus the same within b, minus
   * twice the mean of k over all pairs across a and b.
   */
  static double mmd2(double[][] a, double[][] b, int dim) {
    int m = a.length;
    double withinA = 0;
    double withinB = 0;
    double across = 0;
    for (int i = 0; i < m; i++) {
      for (int j = i + 1; j < m; j++) {
        withinA += kernel(a[i], a[j], dim);
        withinB += kernel(b[i], b[j], dim);
      }
      for (int j = 0; j < m; j++) {
        across += kernel(a[i], b[j], dim);
      }
    }
    // the sums over i < j count each distinct pair once; there are m(m-1)/2 of them
    return withinA / (m * (m - 1) / 2.0)
        + withinB / (m * (m - 1) / 2.0)
        - 2 * across / ((double) m * m);
  }

  private static double kernel(double[] u, double[] v, int dim) {
    // four partial sums: independent chains the JIT can pipeline (a single sum cannot be reordered)
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int k = 0;
    for (; k + 3 < dim; k += 4) {
      s0 += u[k] * v[k];
      s1 += u[k + 1] * v[k + 1];
      s2 += u[k + 2] * v[k + 2];
      s3 += u[k + 3] * v[k + 3];
    }
    for (; k < dim; k++) {
      s0 += u[k] * v[k];
    }
    double base = (s0 + s1 + s2 + s3) / dim + 1;
    return base * base * base;
  }

  /** {@code m} distinct rows of {@code features}, by a partial Fisher-Yates shuffle. */
  private static double[][] pick(float[] features, int n, int dim, int m, Random random) {
    if ((long) n * dim != features.length) {
      throw new IllegalArgumentException(
          "features has " + features.length + " values, not " + n + " x " + dim);
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    double[][] rows = new double[m][dim];
    for (int i = 0; i < m; i++) {
      int j = i + random.nextInt(n - i);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
      for (int k = 0; k < dim; k++) {
        rows[i][k] = features[order[i] * dim + k];
      }
    }
    return rows;
  }
}
