package io.github.homl.stablediffusion;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The arithmetic of KerasCV's {@code StableDiffusion.generate_image} around the U-Net, in float32
 * as TensorFlow and numpy do it there: the {@code num_steps} timesteps spread over the 1,000
 * training steps, the ᾱ table ({@code alphas_cumprod.txt}, KerasCV's {@code _ALPHAS_CUMPROD}), the
 * sinusoidal timestep embedding the U-Net takes and classifier-free guidance.
 *
 * <p>The deterministic DDIM update (η = 0) is the diffusion section's own, {@link
 * io.github.homl.diffusion.ReverseStep#ddim}, run on the host by a {@link
 * io.github.homl.diffusion.HostStep}: KerasCV's update is the same DDIM eq. 12, with its ᾱ as
 * float64 (Python floats), as that step takes them. What differs from the diffusion section's DDIM,
 * to match KerasCV: x̂_0 is not clipped ({@link io.github.homl.diffusion.ReverseStep#NO_CLIP}), so
 * ε is used as predicted; the time steps are KerasCV's ({@link #timesteps}: 0 to 999 upwards,
 * numpy's rounding, run from the last), not {@link io.github.homl.diffusion.ReverseStep#ddimTimes};
 * and the step after t = 0 lands on ᾱ = 1, which KerasCV's table does not hold ({@code alphas_prev
 * = [1.0] + alphas[:-1]}).
 */
public final class Ddim {

  /** Stable Diffusion's training steps. */
  public static final int TRAINING_STEPS = 1000;

  /** Width of the timestep embedding the U-Net reads. */
  public static final int EMBEDDING_DIM = 320;

  private static final double[] ALPHAS_CUMPROD = readAlphas();

  private Ddim() {}

  /**
   * KerasCV's timesteps: {@code round(arange(steps) * 999 / (steps - 1))} with numpy's rounding
   * (half to even), 0 to 999; the loop runs them from the last to the first.
   */
  public static int[] timesteps(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
    }
    double ratio = steps > 1 ? (TRAINING_STEPS - 1) / (double) (steps - 1) : TRAINING_STEPS;
    int[] t = new int[steps];
    for (int i = 0; i < steps; i++) {
      t[i] = (int) Math.rint(i * ratio);
    }
    return t;
  }

  /** ᾱ_t, KerasCV's {@code _ALPHAS_CUMPROD[t]}. */
  public static double alphaBar(int t) {
    return ALPHAS_CUMPROD[t];
  }

  /**
   * KerasCV's {@code _get_timestep_embedding(t)}: {@code [cos(t f), sin(t f)]} with {@code f_i =
   * exp(-ln(10000) i / 160)}, i = 0..159, each op rounded to float32 as TensorFlow computes it.
   */
  public static float[] timestepEmbedding(int t) {
    int half = EMBEDDING_DIM / 2;
    float minusLogPeriod = (float) -Math.log(10000);
    float[] embedding = new float[EMBEDDING_DIM];
    for (int i = 0; i < half; i++) {
      float freq = (float) Math.exp((minusLogPeriod * i) / half);
      float arg = t * freq;
      embedding[i] = (float) Math.cos(arg);
      embedding[half + i] = (float) Math.sin(arg);
    }
    return embedding;
  }

  /** Classifier-free guidance: {@code u + w (c - u)}, in place in {@code conditional}. */
  public static void guide(float[] unconditional, float[] conditional, float guidance) {
    for (int i = 0; i < conditional.length; i++) {
      conditional[i] = unconditional[i] + guidance * (conditional[i] - unconditional[i]);
    }
  }

  private static double[] readAlphas() {
    double[] alphas = new double[TRAINING_STEPS];
    try (InputStream in = Ddim.class.getResourceAsStream("alphas_cumprod.txt")) {
      if (in == null) {
        throw new IllegalStateException("alphas_cumprod.txt is missing beside Ddim");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      int n = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.startsWith("#")) {
          alphas[n++] = Double.parseDouble(line);
        }
      }
      if (n != TRAINING_STEPS) {
        throw new IllegalStateException("alphas_cumprod.txt has " + n + " values, expected 1000");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return alphas;
  }
}
