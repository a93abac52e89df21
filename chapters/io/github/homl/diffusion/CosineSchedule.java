package io.github.homl.diffusion;

/**
 * The book's variance schedule, the notebook's {@code variance_schedule(T)}: the cosine schedule of
 * Improved DDPM with {@code s = 0.008}, each β_t clipped to 0.999.
 *
 * <p>{@code f(t) = cos²((t/T + s)/(1 + s)·π/2)}, {@code α_t = clip(f(t)/f(t−1), 1 − 0.999, 1)}
 * for t = 1..T with α_0 = 1, {@code β_t = 1 − α_t} and {@code ᾱ_t = α_0·α_1···α_t}; every array
 * has T + 1 entries indexed by t, in float32 as NumPy computes them (f in float64, then α cast to
 * float32, the cumulative product multiplied in float32).
 *
 * <p>Counterpart: {@code variance_schedule} in the notebook and in {@code
 * savedmodels/keras/models.py}; the same semantics as the schedule of the diffusion section.
 */
public final class CosineSchedule {

  private static final double S = 0.008;
  private static final double MAX_BETA = 0.999;

  private final float[] alpha;
  private final float[] alphaCumprod;
  private final float[] beta;

  private CosineSchedule(float[] alpha, float[] alphaCumprod, float[] beta) {
    this.alpha = alpha;
    this.alphaCumprod = alphaCumprod;
    this.beta = beta;
  }

  /** {@code variance_schedule(T)}; T must be at least 2 (a reverse step needs t = T − 1 ≥ 1). */
  public static CosineSchedule varianceSchedule(int T) {
    if (T < 2) {
      throw new IllegalArgumentException("T must be at least 2, got " + T);
    }
    double[] f = new double[T + 1];
    for (int t = 0; t <= T; t++) {
      f[t] = Math.pow(Math.cos(((double) t / T + S) / (1 + S) * Math.PI / 2), 2);
    }
    float[] alpha = new float[T + 1];
    float[] alphaCumprod = new float[T + 1];
    float[] beta = new float[T + 1];
    alpha[0] = 1f; // add α₀ = 1
    for (int t = 1; t <= T; t++) {
      alpha[t] = (float) Math.min(Math.max(f[t] / f[t - 1], 1 - MAX_BETA), 1);
    }
    float product = 1f; // np.cumprod of a float32 array multiplies in float32
    for (int t = 0; t <= T; t++) {
      beta[t] = 1f - alpha[t];
      product *= alpha[t];
      alphaCumprod[t] = product;
    }
    return new CosineSchedule(alpha, alphaCumprod, beta);
  }

  public int T() {
    return alpha.length - 1;
  }

  /** α_t. */
  public float alpha(int t) {
    return alpha[t];
  }

  /** ᾱ_t = α_1···α_t. */
  public float alphaCumprod(int t) {
    return alphaCumprod[t];
  }

  /** β_t = 1 − α_t. */
  public float beta(int t) {
    return beta[t];
  }
}
