package io.github.homl.diffusion;

/**
 * The variance schedule of a DDPM: α_t, ᾱ_t = α_1···α_t and β_t = 1 − α_t for t = 0..T (index t),
 * all float32. Two kinds: the notebook's cosine schedule (Improved DDPM, T = 4000) and the original
 * DDPM's linear one (T = 1000, β from 1e-4 to 0.02), which the book describes but does not use.
 */
public record Schedule(float[] alpha, float[] alphaCumprod, float[] beta) {

  /** The two schedules, with the T each paper used; {@code --schedule cosine|linear}. */
  public enum Kind {
    COSINE(4000),
    LINEAR(1000);

    private final int bookT;

    Kind(int bookT) {
      this.bookT = bookT;
    }

    /** The paper's T: 4000 for the cosine schedule (the book's), 1000 for DDPM's linear one. */
    public int bookT() {
      return bookT;
    }

    /** This schedule over {@code T} steps. */
    public Schedule of(int T) {
      return this == COSINE ? varianceSchedule(T) : linear(T);
    }

    /** {@code cosine} or {@code linear} (any case), else a message naming {@code option}. */
    public static Kind parse(String option, String name) {
      for (Kind kind : values()) {
        if (kind.name().equalsIgnoreCase(name)) {
          return kind;
        }
      }
      throw new IllegalArgumentException(option + " must be cosine or linear, got '" + name + "'");
    }
  }

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

  /**
   * The original DDPM's linear schedule (Ho et al. 2020): β_1..β_T evenly spaced from 1e-4 to 0.02
   * for T = 1000. For another T both ends are scaled by 1000/T, as Improved DDPM's code does, so
   * that ᾱ_T stays near 0 (pure noise) however few the steps: {@code --quick}'s T = 40 runs β from
   * 0.0025 to 0.5.
   */
  public static Schedule linear(int T) {
    if (T < 2) {
      throw new IllegalArgumentException("T must be at least 2, got " + T);
    }
    double scale = 1000.0 / T;
    double first = 1e-4 * scale;
    double last = Math.min(0.02 * scale, 0.999);
    float[] alpha = new float[T + 1];
    float[] alphaCumprod = new float[T + 1];
    float[] beta = new float[T + 1];
    float product = 1f;
    for (int t = 0; t <= T; t++) {
      beta[t] = t == 0 ? 0f : (float) (first + (last - first) * (t - 1) / (T - 1));
      alpha[t] = 1f - beta[t];
      product *= alpha[t];
      alphaCumprod[t] = product;
    }
    return new Schedule(alpha, alphaCumprod, beta);
  }
}
