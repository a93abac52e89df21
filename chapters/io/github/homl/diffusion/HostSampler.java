package io.github.homl.diffusion;

import io.github.homl.data.Images;
import io.github.homl.training.Progress;
import java.io.PrintStream;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * The reverse diffusion process on the host: a loop in Java that calls a denoiser once per step (a
 * loaded SavedModel signature, whoever exported it) and applies the update in float32.
 *
 * <ul>
 *   <li>{@link #ddpm}: the book's {@code generate(model)}, DDPM Algorithm 2 with σ_t² = β_t, for t
 *       = T − 1 down to 1 (t = T is never used, as in the notebook): {@code x_{t−1} = 1/√α_t · (x_t
 *       − β_t/√(1 − ᾱ_t) · ε) + √β_t · z}, z = 0 at t = 1;
 *   <li>{@link #ddim}: DDIM with η = 0 (deterministic) at {@code steps} time steps spaced evenly
 *       from T − 1 down to 1 ({@link ReverseStep#ddimTimes}), the last step landing on ᾱ_0 = 1;
 *       x̂_0 is clipped to [−1, 1], as the diffusion section's DDIM does.
 * </ul>
 *
 * <p>The noise comes from a {@link Noise}: slab 0 is x_T, slab j (j ≥ 1) the z of the j-th DDPM
 * step (t = T − j). The same noise gives the same images as {@code savedmodels/keras/samplers.py},
 * which performs the same float32 operations in the same order. A run longer than about 15 s prints
 * a progress line (step, steps/s, ETA) at most every 15 s.
 */
public final class HostSampler {

  /** The denoiser: predicted noise for {@code n} images {@code x} at time step {@code t}. */
  @FunctionalInterface
  public interface Denoiser {
    float[] predictNoise(float[] x, int n, int t);
  }

  /** Slab {@code index} of the noise, {@code n·h·w·c} values; slabs are asked for in order. */
  @FunctionalInterface
  public interface Noise {
    float[] slab(int index);

    /** N(0, 1) values from {@code new Random(seed)}, slab after slab. */
    static Noise seeded(long seed, int size) {
      return from(new Random(seed), size);
    }

    /** N(0, 1) values from {@code random}, slab after slab, {@code size} values each. */
    static Noise from(Random random, int size) {
      return index -> {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
          values[i] = (float) random.nextGaussian();
        }
        return values;
      };
    }
  }

  private final Denoiser denoiser;
  private final Schedule schedule;
  private final int n;
  private final PrintStream progress;
  private final LongSupplier clock;

  /** A sampler of {@code n} images a call, printing progress to {@code progress} (null: silent). */
  public HostSampler(Denoiser denoiser, Schedule schedule, int n, PrintStream progress) {
    this(denoiser, schedule, n, progress, System::nanoTime);
  }

  HostSampler(
      Denoiser denoiser, Schedule schedule, int n, PrintStream progress, LongSupplier clock) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, got " + n);
    }
    this.denoiser = denoiser;
    this.schedule = schedule;
    this.n = n;
    this.progress = progress;
    this.clock = clock;
  }

  /**
   * {@code n} one-channel images {@code [n, height, width]} drawn by {@code run} (e.g. {@code
   * (host, noise) -> host.ddim(50, noise)}) on a sampler of {@code n} images of {@code denoiser},
   * x_T and any z drawn from {@code random} in order; progress to {@code progress} (null: silent).
   */
  public static Images images(
      Denoiser denoiser,
      Schedule schedule,
      int n,
      int height,
      int width,
      Random random,
      PrintStream progress,
      BiFunction<HostSampler, Noise, float[]> run) {
    HostSampler host = new HostSampler(denoiser, schedule, n, progress);
    return new Images(run.apply(host, Noise.from(random, n * height * width)), n, height, width);
  }

  /** How many noise slabs DDPM needs: x_T and a z for each t = T − 1 .. 2. */
  public static int ddpmNoiseSlabs(int T) {
    return T - 1;
  }

  /** Sees x_{t} after each reverse step, for t = T − 2 down to 0 (Figure 17-20's trajectory). */
  @FunctionalInterface
  public interface Observer {
    void after(int t, float[] x);
  }

  /** The book's DDPM reverse process from x_T = slab 0; returns x_0, {@code [n, h, w, c]}. */
  public float[] ddpm(Noise noise) {
    return ddpm(noise, (t, x) -> {});
  }

  /** {@link #ddpm(Noise)}, showing {@code observer} each x_{t−1} as it is computed. */
  public float[] ddpm(Noise noise, Observer observer) {
    int T = schedule.T();
    float[] x = noise.slab(0).clone();
    Progress bar = progress("ddpm", T - 1);
    for (int t = T - 1, j = 1; t >= 1; t--, j++) {
      float[] eps = predict(x, t);
      // DDPM Algorithm 2, step 4: x_{t-1} = 1/sqrt(alpha_t) (x_t - beta_t/sqrt(1 - ab_t) eps)
      float c1 = 1f / (float) Math.sqrt(schedule.alpha()[t]);
      float c2 = schedule.beta()[t] / (float) Math.sqrt(1f - schedule.alphaCumprod()[t]);
      for (int i = 0; i < x.length; i++) {
        x[i] = c1 * (x[i] - c2 * eps[i]);
      }
      if (t > 1) { // + sigma_t z with sigma_t^2 = beta_t; z = 0 at t = 1
        float sigma = (float) Math.sqrt(schedule.beta()[t]);
        float[] z = noise.slab(j);
        for (int i = 0; i < x.length; i++) {
          x[i] = x[i] + sigma * z[i];
        }
      }
      observer.after(t - 1, x);
      bar.update(j);
    }
    return x;
  }

  /** DDIM (η = 0) in {@code steps} steps from x_T = slab 0; returns x_0, {@code [n, h, w, c]}. */
  public float[] ddim(int steps, Noise noise) {
    int[] times = ReverseStep.ddimTimes(schedule.T(), steps);
    float[] x = noise.slab(0).clone();
    Progress bar = progress("ddim", steps);
    for (int i = 0; i < times.length; i++) {
      int t = times[i];
      int prev = i + 1 < times.length ? times[i + 1] : 0;
      float[] eps = predict(x, t);
      // DDIM eq. 12 with sigma = 0: x0 = (x_t - sqrt(1 - ab_t) eps) / sqrt(ab_t), clipped; eps
      // recomputed from x0; x_prev = sqrt(ab_prev) x0 + sqrt(1 - ab_prev) eps
      float sqrtA = (float) Math.sqrt(schedule.alphaCumprod()[t]);
      float sqrtOneMinusA = (float) Math.sqrt(1f - schedule.alphaCumprod()[t]);
      float sqrtPrev = (float) Math.sqrt(schedule.alphaCumprod()[prev]);
      float sqrtOneMinusPrev = (float) Math.sqrt(1f - schedule.alphaCumprod()[prev]);
      for (int k = 0; k < x.length; k++) {
        float x0 = Math.max(-1f, Math.min(1f, (x[k] - sqrtOneMinusA * eps[k]) / sqrtA));
        float epsFromX0 = (x[k] - sqrtA * x0) / sqrtOneMinusA;
        x[k] = sqrtPrev * x0 + sqrtOneMinusPrev * epsFromX0;
      }
      bar.update(i + 1);
    }
    return x;
  }

  private float[] predict(float[] x, int t) {
    float[] eps = denoiser.predictNoise(x, n, t);
    if (eps.length != x.length) {
      throw new IllegalStateException(
          "the denoiser returned "
              + eps.length
              + " values for "
              + x.length
              + " image values at t = "
              + t);
    }
    return eps;
  }

  private Progress progress(String name, int total) {
    return new Progress(progress, false, Progress.LINE_SECONDS, clock, name, List.of(), total);
  }
}
