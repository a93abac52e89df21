package io.github.homl.evaluation;

/**
 * The eigen-decomposition {@code A = V diag(λ) Vᵀ} of a real symmetric matrix by cyclic Jacobi
 * rotations, in double precision. Jacobi is slow for large matrices (O(n³) per sweep, a few sweeps)
 * but accurate for small eigenvalues, which is what a covariance square root needs; for the 128
 * evaluator features it takes milliseconds.
 *
 * @param values the eigenvalues, in no particular order
 * @param vectors the eigenvectors as columns: {@code vectors[i][k]} is component i of vector k
 */
record SymmetricEigen(double[] values, double[][] vectors) {

  private static final int MAX_SWEEPS = 100;

  /** Decomposes {@code a}, which must be square and symmetric (it is not modified). */
  static SymmetricEigen of(double[][] a) {
    int n = a.length;
    double[][] m = new double[n][];
    for (int i = 0; i < n; i++) {
      if (a[i].length != n) {
        throw new IllegalArgumentException(
            "matrix is not square: row " + i + " has " + a[i].length + " columns, expected " + n);
      }
      m[i] = a[i].clone();
    }
    double scale = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (Math.abs(a[i][j] - a[j][i]) > 1e-9 * (Math.abs(a[i][j]) + Math.abs(a[j][i]) + 1e-300)) {
          throw new IllegalArgumentException(
              "matrix is not symmetric at (" + i + ", " + j + "): " + a[i][j] + " vs " + a[j][i]);
        }
        scale += a[i][j] * a[i][j];
      }
    }
    double[][] v = identity(n);
    for (int sweep = 0; sweep < MAX_SWEEPS && offDiagonal(m) > 1e-30 * scale; sweep++) {
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          rotate(m, v, p, q);
        }
      }
    }
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = m[i][i];
    }
    return new SymmetricEigen(values, v);
  }

  /**
   * The symmetric square root {@code V diag(√max(λ, 0)) Vᵀ} of a positive semi-definite matrix;
   * eigenvalues below zero can only be rounding errors here, so they are clipped to zero.
   */
  static double[][] sqrtPsd(double[][] a) {
    SymmetricEigen eigen = of(a);
    int n = a.length;
    double[] roots = new double[n];
    for (int k = 0; k < n; k++) {
      roots[k] = Math.sqrt(Math.max(eigen.values[k], 0));
    }
    double[][] v = eigen.vectors;
    double[][] root = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        double sum = 0;
        for (int k = 0; k < n; k++) {
          sum += v[i][k] * roots[k] * v[j][k];
        }
        root[i][j] = sum;
        root[j][i] = sum;
      }
    }
    return root;
  }

  /** One Jacobi rotation in the (p, q) plane that zeroes {@code m[p][q]}; V accumulates it. */
  private static void rotate(double[][] m, double[][] v, int p, int q) {
    double apq = m[p][q];
    if (apq == 0) {
      return;
    }
    double theta = (m[q][q] - m[p][p]) / (2 * apq);
    // the smaller root of t² + 2θt - 1 = 0, so the rotation angle is at most π/4
    double t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    double c = 1 / Math.sqrt(t * t + 1);
    double s = t * c;
    int n = m.length;
    for (int k = 0; k < n; k++) { // columns p and q: M J
      double mkp = m[k][p];
      double mkq = m[k][q];
      m[k][p] = c * mkp - s * mkq;
      m[k][q] = s * mkp + c * mkq;
    }
    for (int k = 0; k < n; k++) { // rows p and q: Jᵀ (M J)
      double mpk = m[p][k];
      double mqk = m[q][k];
      m[p][k] = c * mpk - s * mqk;
      m[q][k] = s * mpk + c * mqk;
    }
    m[p][q] = 0; // exactly, rather than a rounding residue
    m[q][p] = 0;
    for (int k = 0; k < n; k++) {
      double vkp = v[k][p];
      double vkq = v[k][q];
      v[k][p] = c * vkp - s * vkq;
      v[k][q] = s * vkp + c * vkq;
    }
  }

  private static double offDiagonal(double[][] m) {
    double sum = 0;
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m.length; j++) {
        if (i != j) {
          sum += m[i][j] * m[i][j];
        }
      }
    }
    return sum;
  }

  private static double[][] identity(int n) {
    double[][] id = new double[n][n];
    for (int i = 0; i < n; i++) {
      id[i][i] = 1;
    }
    return id;
  }
}
