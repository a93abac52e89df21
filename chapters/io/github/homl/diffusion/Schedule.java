package io.github.homl.diffusion;

/**
 * The variance schedule of a DDPM: α_t, ᾱ_t = α_1···α_t and β_t = 1 − α_t for t = 0..T (index t),
 * all float32.
 */
public record Schedule(float[] alpha, float[] alphaCumprod, float[] beta) {

  public int T() {
    return alpha.length - 1;
  }

  /** The notebook's {@code variance_schedule(T)}: the cosine schedule with s = 0.008. */
  public static Schedule varianceSchedule(int T) {
    if (T < 2) {
      throw new IllegalArgumentException("T must be at least 2, got " + T);
    }
    return varianceSchedule(T, 0.008, 0.999);
  }

  /** {@code f(t) = cos²((t/T + s)/(1 + s)·π/2)}, {@code α_t = clip(f(t)/f(t−1), 1−maxBeta, 1)}. */
  public static Schedule varianceSchedule(int T, double s, double maxBeta) {
    double[] f = new double[T + 1];
    for (int t = 0; t <= T; t++) {
      f[t] = Math.pow(Math.cos(((double) t / T + s) / (1 + s) * Math.PI / 2), 2);
    }
    float[] alpha = new float[T + 1];
    float[] alphaCumprod = new float[T + 1];
    float[] beta = new float[T + 1];
    alpha[0] = 1f; // add α₀ = 1
    for (int t = 1; t <= T; t++) {
      alpha[t] = (float) Math.min(Math.max(f[t] / f[t - 1], 1 - maxBeta), 1);
    }
    float product = 1f; // np.cumprod of a float32 array multiplies in float32
    for (int t = 0; t <= T; t++) {
      beta[t] = 1f - alpha[t];
      product *= alpha[t];
      alphaCumprod[t] = product;
    }
    return new Schedule(alpha, alphaCumprod, beta);
  }
}
