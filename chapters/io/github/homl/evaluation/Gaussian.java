package io.github.homl.evaluation;

/**
 * The mean and covariance of a set of feature vectors, in double precision, and the Fréchet
 * distance between two such Gaussians: the statistic behind FID.
 *
 * @param mean the feature means, {@code [d]}
 * @param covariance the unbiased sample covariance ({@code n - 1} in the denominator, as {@code
 *     numpy.cov}), {@code [d][d]}
 * @param count how many vectors the statistics come from
 */
public record Gaussian(double[] mean, double[][] covariance, int count) {

  public Gaussian {
    if (covariance.length != mean.length) {
      throw new IllegalArgumentException(
          "covariance is "
              + covariance.length
              + "x"
              + covariance.length
              + " but mean has "
              + mean.length
              + " components");
    }
  }

  /**
   * The statistics of {@code count} vectors of {@code dim} values each, stored row after row in
   * {@code features} (the layout of a {@code [count, dim]} tensor).
   */
  public static Gaussian of(float[] features, int count, int dim) {
    if (count < 2) {
      throw new IllegalArgumentException("need at least 2 vectors for a covariance, got " + count);
    }
    if ((long) count * dim != features.length) {
      throw new IllegalArgumentException(
          "features has " + features.length + " values, not " + count + " x " + dim);
    }
    double[] mean = new double[dim];
    for (int i = 0; i < count; i++) {
      for (int j = 0; j < dim; j++) {
        mean[j] += features[i * dim + j];
      }
    }
    for (int j = 0; j < dim; j++) {
      mean[j] /= count;
    }
    double[][] covariance = new double[dim][dim];
    double[] centred = new double[dim];
    for (int i = 0; i < count; i++) {
      for (int j = 0; j < dim; j++) {
        centred[j] = features[i * dim + j] - mean[j];
      }
      for (int j = 0; j < dim; j++) {
        double cj = centred[j];
        double[] row = covariance[j];
        for (int k = j; k < dim; k++) {
          row[k] += cj * centred[k];
        }
      }
    }
    for (int j = 0; j < dim; j++) {
      for (int k = j; k < dim; k++) {
        covariance[j][k] /= count - 1;
        covariance[k][j] = covariance[j][k];
      }
    }
    return new Gaussian(mean, covariance, count);
  }

  /**
   * The Fréchet distance {@code |μ1 - μ2|² + tr Σ1 + tr Σ2 - 2 tr (Σ1^½ Σ2 Σ1^½)^½}. The cross term
   * uses the symmetric form (not {@code sqrtm(Σ1 Σ2)}, which is not symmetric and needs a complex
   * square root): both square roots come from symmetric eigen-decompositions, with rounding
   * negatives clipped to zero, so the result is real, and zero for a set against itself up to
   * rounding (about 1e-10).
   */
  public double frechetDistance(Gaussian other) {
    int d = mean.length;
    if (other.mean.length != d) {
      throw new IllegalArgumentException(
          "cannot compare " + d + "-d and " + other.mean.length + "-d features");
    }
    double meanTerm = 0;
    double traces = 0;
    for (int j = 0; j < d; j++) {
      double diff = mean[j] - other.mean[j];
      meanTerm += diff * diff;
      traces += covariance[j][j] + other.covariance[j][j];
    }
    double[][] root1 = SymmetricEigen.sqrtPsd(covariance);
    double[][] product = multiply(multiply(root1, other.covariance), root1);
    for (int i = 0; i < d; i++) { // symmetric in exact arithmetic; remove the rounding asymmetry
      for (int j = i + 1; j < d; j++) {
        double average = (product[i][j] + product[j][i]) / 2;
        product[i][j] = average;
        product[j][i] = average;
      }
    }
    double crossTrace = 0;
    for (double lambda : SymmetricEigen.of(product).values()) {
      crossTrace += Math.sqrt(Math.max(lambda, 0));
    }
    return meanTerm + traces - 2 * crossTrace; // not clipped: a negative value would show a bug
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    int n = a.length;
    int m = b[0].length;
    double[][] c = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < b.length; k++) {
        double aik = a[i][k];
        for (int j = 0; j < m; j++) {
          c[i][j] += aik * b[k][j];
        }
      }
    }
    return c;
  }
}
