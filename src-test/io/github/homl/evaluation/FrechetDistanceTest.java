package io.github.homl.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** FID's statistics and matrix square root, on synthetic features (no TensorFlow). */
class FrechetDistanceTest {

  @Test
  void fidOfASetWithItselfIsZero() {
    float[] features = correlatedFeatures(new Random(1), 3000, 128, 0f);
    Gaussian g = Gaussian.of(features, 3000, 128);

    double fid = g.frechetDistance(g);

    double trace = 0;
    for (int j = 0; j < 128; j++) {
      trace += g.covariance()[j][j];
    }
    assertEquals(0, fid, 1e-9 * trace, "FID of a set with itself; trace of Σ = " + trace);
  }

  @Test
  void twoDimensionalGaussiansMatchTheClosedForm() {
    double[][] sigma1 = {{2.0, 0.5}, {0.5, 1.0}};
    double[][] sigma2 = {{1.0, -0.3}, {-0.3, 3.0}};
    Gaussian g1 = new Gaussian(new double[] {0, 0}, sigma1, 1000);
    Gaussian g2 = new Gaussian(new double[] {1, 2}, sigma2, 1000);

    assertEquals(closedForm(new double[] {1, 2}, sigma1, sigma2), g1.frechetDistance(g2), 1e-12);
    assertEquals(closedForm(new double[] {1, 2}, sigma1, sigma2), g2.frechetDistance(g1), 1e-12);
  }

  @Test
  void sampledTwoDimensionalGaussiansApproachTheClosedForm() {
    double[][] sigma1 = {{2.0, 0.5}, {0.5, 1.0}};
    double[][] sigma2 = {{1.0, -0.3}, {-0.3, 3.0}};
    Random random = new Random(7);
    int n = 200_000;
    Gaussian g1 = Gaussian.of(sample(random, new double[] {0, 0}, sigma1, n), n, 2);
    Gaussian g2 = Gaussian.of(sample(random, new double[] {1, 2}, sigma2, n), n, 2);

    double expected = closedForm(new double[] {1, 2}, sigma1, sigma2);
    assertEquals(expected, g1.frechetDistance(g2), 0.02 * expected);
  }

  @Test
  void fidGrowsWithTheFeatureShiftAndIsSymmetric() {
    Random random = new Random(3);
    float[] base = correlatedFeatures(random, 2000, 32, 0f);
    Gaussian reference = Gaussian.of(base, 2000, 32);
    double previous = -1;
    for (float shift : new float[] {0.1f, 0.3f, 1f, 3f}) {
      Gaussian shifted = Gaussian.of(correlatedFeatures(new Random(4), 2000, 32, shift), 2000, 32);
      double fid = reference.frechetDistance(shifted);
      assertTrue(fid > previous, "FID " + fid + " at shift " + shift + " after " + previous);
      assertEquals(fid, shifted.frechetDistance(reference), 1e-9 * (1 + fid), "symmetry");
      previous = fid;
    }
  }

  @Test
  void jacobiReconstructsASymmetricMatrixAndItsSquareRoot() {
    Random random = new Random(5);
    int n = 40;
    double[][] b = new double[n][n];
    for (double[] row : b) {
      for (int j = 0; j < n; j++) {
        row[j] = random.nextGaussian();
      }
    }
    // B Bᵀ with a zero eigenvalue: B's last row repeats its first
    double[][] psd = new double[n][n];
    b[n - 1] = b[0].clone();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int k = 0; k < n; k++) {
          psd[i][j] += b[i][k] * b[j][k];
        }
      }
    }

    SymmetricEigen eigen = SymmetricEigen.of(psd);
    double[][] root = SymmetricEigen.sqrtPsd(psd);

    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double reconstructed = 0;
        double squared = 0;
        for (int k = 0; k < n; k++) {
          reconstructed += eigen.vectors()[i][k] * eigen.values()[k] * eigen.vectors()[j][k];
          squared += root[i][k] * root[k][j];
        }
        assertEquals(psd[i][j], reconstructed, 1e-9 * n, "V Λ Vᵀ at " + i + "," + j);
        assertEquals(psd[i][j], squared, 1e-8 * n, "√A √A at " + i + "," + j);
      }
    }
  }

  /** |Δμ|² + tr Σ1 + tr Σ2 - 2 tr √(Σ1 Σ2), where tr √M = √(tr M + 2 √det M) for 2x2 M. */
  private static double closedForm(double[] meanDiff, double[][] s1, double[][] s2) {
    double traceProduct =
        s1[0][0] * s2[0][0] + s1[0][1] * s2[1][0] + s1[1][0] * s2[0][1] + s1[1][1] * s2[1][1];
    double det1 = s1[0][0] * s1[1][1] - s1[0][1] * s1[1][0];
    double det2 = s2[0][0] * s2[1][1] - s2[0][1] * s2[1][0];
    double crossTrace = Math.sqrt(traceProduct + 2 * Math.sqrt(det1 * det2));
    return meanDiff[0] * meanDiff[0]
        + meanDiff[1] * meanDiff[1]
        + s1[0][0]
        + s1[1][1]
        + s2[0][0]
        + s2[1][1]
        - 2 * crossTrace;
  }

  /** Samples N(mean, Σ) in 2-D through the Cholesky factor of Σ. */
  private static float[] sample(Random random, double[] mean, double[][] sigma, int n) {
    double l00 = Math.sqrt(sigma[0][0]);
    double l10 = sigma[1][0] / l00;
    double l11 = Math.sqrt(sigma[1][1] - l10 * l10);
    float[] out = new float[2 * n];
    for (int i = 0; i < n; i++) {
      double z0 = random.nextGaussian();
      double z1 = random.nextGaussian();
      out[2 * i] = (float) (mean[0] + l00 * z0);
      out[2 * i + 1] = (float) (mean[1] + l10 * z0 + l11 * z1);
    }
    return out;
  }

  /** ReLU'd features with correlated components (8 latent factors), shifted by {@code shift}. */
  static float[] correlatedFeatures(Random random, int n, int dim, float shift) {
    int factors = 8;
    double[][] mixing = new double[factors][dim];
    Random fixed = new Random(99); // the same mixing for every set
    for (double[] row : mixing) {
      for (int j = 0; j < dim; j++) {
        row[j] = fixed.nextGaussian();
      }
    }
    float[] out = new float[n * dim];
    for (int i = 0; i < n; i++) {
      double[] z = new double[factors];
      for (int f = 0; f < factors; f++) {
        z[f] = random.nextGaussian();
      }
      for (int j = 0; j < dim; j++) {
        double value = 0.3 * random.nextGaussian() + shift;
        for (int f = 0; f < factors; f++) {
          value += z[f] * mixing[f][j] / Math.sqrt(factors);
        }
        out[i * dim + j] = (float) Math.max(0, value);
      }
    }
    return out;
  }
}
