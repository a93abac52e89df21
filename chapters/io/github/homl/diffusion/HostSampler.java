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
 * loaded SavedModel signature, whoever exported it, or a U-Net in a live session) and applies the
 * update with the ops the in-graph loop uses ({@link ReverseStep}, run by a {@link HostStep}).
 *
 * <ul>
 *   <li>{@link #ddpm}: the book's {@code generate(model)}, DDPM Algorithm 2 with σ_t² = β_t, for t
 *       = T − 1 down to 1 (t = T is never used, as in the notebook), z = 0 at t = 1;
 *   <li>{@link #ddim}: DDIM at {@code steps} time steps spaced evenly from T − 1 down to 1 ({@link
 *       ReverseStep#ddimTimes}), the last step landing on ᾱ_0 = 1; x̂_0 is clipped to [−1, 1], as
 *       the diffusion section's DDIM does. Deterministic (η = 0) unless given an η, whose z are
 *       slabs 1, 2, ... as DDPM's.
 * </ul>
 *
 * <p>The noise comes from a {@link Noise}: slab 0 is x_T, slab j (j ≥ 1) the z of the j-th DDPM
 * step (t = T − j). The same noise gives the same images as {@code savedmodels/keras/samplers.py},
 * which performs the same float32 operations in the same order (but for DDIM's √(1 − ᾱ), taken here
 * in float64, which can move its last bit). A run longer than about 15 s prints a progress line
 * (step, steps/s, ETA) at most every 15 s.
 */
public final class HostSampler {

  /** DDIM's bound on x̂_0: [−1, 1], the images' range. */
  private static final float CLIP = 1f;

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

  /**
   * How a loop shows its progress: a {@link Progress} for {@code steps} steps of loop {@code name}.
   */
  @FunctionalInterface
  private interface Display {
    Progress start(String name, int steps);
  }

  private final Denoiser denoiser;
  private final Schedule schedule;
  private final int n;
  private final Display display;

  /** A sampler of {@code n} images a call, printing progress to {@code progress} (null: silent). */
  public HostSampler(Denoiser denoiser, Schedule schedule, int n, PrintStream progress) {
    this(denoiser, schedule, n, progress, System::nanoTime);
  }

  HostSampler(
      Denoiser denoiser, Schedule schedule, int n, PrintStream progress, LongSupplier clock) {
    this(
        denoiser,
        schedule,
        n,
        (name, steps) ->
            new Progress(progress, false, Progress.LINE_SECONDS, clock, name, List.of(), steps));
  }

  /**
   * A sampler of {@code n} images a call that shows progress as the sections' loops do ({@link
   * Progress#start}): a bar on a terminal, else a line at most every 15 s.
   */
  static HostSampler withProgressBar(Denoiser denoiser, Schedule schedule, int n) {
    return new HostSampler(denoiser, schedule, n, Progress::start);
  }

  private HostSampler(Denoiser denoiser, Schedule schedule, int n, Display display) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, got " + n);
    }
    this.denoiser = denoiser;
    this.schedule = schedule;
    this.n = n;
    this.display = display;
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
    float[] x = noise.slab(0);
    Progress bar = display.start("ddpm", T - 1);
    try (HostStep step = new HostStep(CLIP)) {
      for (int t = T - 1, j = 1; t >= 1; t--, j++) {
        float[] z = t > 1 ? noise.slab(j) : new float[x.length]; // z = 0 at t = 1
        x = step.ddpm(x, predict(x, t), schedule, t, z);
        observer.after(t - 1, x);
        bar.update(j);
      }
    }
    bar.finish();
    return x;
  }

  /** DDIM (η = 0) in {@code steps} steps from x_T = slab 0; returns x_0, {@code [n, h, w, c]}. */
  public float[] ddim(int steps, Noise noise) {
    return ddim(steps, 0, noise);
  }

  /**
   * DDIM in {@code steps} steps from x_T = slab 0, each step but the last adding {@code eta}'s
   * share of fresh noise z = slab i + 1 ({@link ReverseStep}'s eq. 16; η = 0: deterministic, one
   * slab); returns x_0, {@code [n, h, w, c]}.
   */
  public float[] ddim(int steps, double eta, Noise noise) {
    int[] times = ReverseStep.ddimTimes(schedule.T(), steps);
    float[] alphaCumprod = schedule.alphaCumprod();
    float[] x = noise.slab(0);
    Progress bar = display.start("ddim", steps);
    try (HostStep step = new HostStep(CLIP, eta)) {
      for (int i = 0; i < steps; i++) {
        int t = times[i];
        boolean last = i + 1 == steps;
        int prev = last ? 0 : times[i + 1];
        float[] z = eta == 0 ? null : last ? new float[x.length] : noise.slab(i + 1); // σ_last = 0
        x = step.ddim(x, predict(x, t), alphaCumprod[t], alphaCumprod[prev], z);
        bar.update(i + 1);
      }
    }
    bar.finish();
    return x;
  }

  /** How many noise slabs DDIM needs: x_T, and with η > 0 a z for each step but the last. */
  public static int ddimNoiseSlabs(int steps, double eta) {
    return eta == 0 ? 1 : steps;
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
}
