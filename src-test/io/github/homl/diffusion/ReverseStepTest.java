package io.github.homl.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The reverse step's ops, run on the host by {@link HostStep}, against the papers' formulas
 * computed here in Java, and the DDIM time steps against their definition.
 */
class ReverseStepTest {

  @Test
  void ddimTimeStepsAreTMinus1MinusIStepsOfTheEvenSpacingRoundedHalfUp() {
    for (int T : new int[] {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 40}) {
      for (int steps = 1; steps <= T - 1; steps++) {
        assertArrayEquals(definition(T, steps), ReverseStep.ddimTimes(T, steps), T + "/" + steps);
      }
    }
    // step counts where float32 arithmetic would round T − 1 − i·(T − 2)/(steps − 1) the other way
    for (int steps : new int[] {29, 57, 109, 217, 433}) {
      assertArrayEquals(definition(4000, steps), ReverseStep.ddimTimes(4000, steps), "" + steps);
    }
    assertEquals(1001, ReverseStep.ddimTimes(4000, 29)[21]); // 3999 − 21·3998/28 = 1000.5
    for (int steps : new int[] {50, 125, 205, 999}) {
      assertArrayEquals(definition(1000, steps), ReverseStep.ddimTimes(1000, steps), "" + steps);
    }
  }

  @Test
  void ddpmStepIsAlgorithm2WithSigmaSquaredBeta() {
    Schedule schedule = Schedule.varianceSchedule(40);
    float[] x = HostSampler.Noise.seeded(1, 50).slab(0);
    float[] eps = HostSampler.Noise.seeded(2, 50).slab(0);
    float[] z = HostSampler.Noise.seeded(3, 50).slab(0);
    int t = 17;
    double alpha = schedule.alpha()[t];
    double beta = schedule.beta()[t];
    double alphaCumprod = schedule.alphaCumprod()[t];
    float[] expected = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      expected[i] =
          (float)
              ((x[i] - beta / Math.sqrt(1 - alphaCumprod) * eps[i]) / Math.sqrt(alpha)
                  + Math.sqrt(beta) * z[i]);
    }
    try (HostStep step = new HostStep(1f)) {
      assertArrayEquals(expected, step.ddpm(x, eps, schedule, t, z), 1e-5f);
    }
  }

  @Test
  void ddimWithoutClipIsKerasCvsUpdateToTheBit() {
    float[] x = HostSampler.Noise.seeded(4, 64).slab(0);
    float[] eps = HostSampler.Noise.seeded(5, 64).slab(0);
    double alphaT = 0.99915; // KerasCV's ᾱ at t = 0 and at t = 500
    double alphaPrev = 0.27707;
    // KerasCV: pred_x0 = (latent - sqrt(1 - a_t) * e_t) / sqrt(a_t)
    //          latent = e_t * sqrt(1.0 - a_prev) + sqrt(a_prev) * pred_x0, roots of Python floats
    float c1 = (float) Math.sqrt(1 - alphaT);
    float c2 = (float) Math.sqrt(alphaT);
    float c3 = (float) Math.sqrt(1.0 - alphaPrev);
    float c4 = (float) Math.sqrt(alphaPrev);
    float[] expected = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      float predX0 = (x[i] - c1 * eps[i]) / c2;
      expected[i] = eps[i] * c3 + c4 * predX0;
    }
    try (HostStep step = new HostStep(ReverseStep.NO_CLIP)) {
      assertArrayEquals(expected, step.ddim(x, eps, alphaT, alphaPrev), 0f);
    }
  }

  @Test
  void ddimToAlphaCumprod1EndsOnTheClippedPredictionOfX0() {
    float[] x = HostSampler.Noise.seeded(6, 64).slab(0);
    float[] eps = HostSampler.Noise.seeded(7, 64).slab(0);
    double alphaT = 0.3;
    float[] expected = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      double x0 = (x[i] - Math.sqrt(1 - alphaT) * eps[i]) / Math.sqrt(alphaT);
      expected[i] = (float) Math.max(-0.5, Math.min(0.5, x0));
    }
    try (HostStep step = new HostStep(0.5f)) {
      assertArrayEquals(expected, step.ddim(x, eps, alphaT, 1.0), 1e-6f);
    }
  }

  @Test
  void ddimWithEtaIsEquation12WithEquation16sSigmaAndFreshNoise() {
    float[] x = HostSampler.Noise.seeded(8, 64).slab(0);
    float[] eps = HostSampler.Noise.seeded(9, 64).slab(0);
    float[] z = HostSampler.Noise.seeded(10, 64).slab(0);
    double alphaT = 0.3;
    double alphaPrev = 0.6;
    for (double eta : new double[] {0.5, 1}) {
      double sigma =
          eta * Math.sqrt((1 - alphaPrev) / (1 - alphaT)) * Math.sqrt(1 - alphaT / alphaPrev);
      float[] expected = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        double x0 = (x[i] - Math.sqrt(1 - alphaT) * eps[i]) / Math.sqrt(alphaT);
        x0 = Math.max(-1, Math.min(1, x0));
        double e = (x[i] - Math.sqrt(alphaT) * x0) / Math.sqrt(1 - alphaT);
        expected[i] =
            (float)
                (Math.sqrt(alphaPrev) * x0
                    + Math.sqrt(1 - alphaPrev - sigma * sigma) * e
                    + sigma * z[i]);
      }
      try (HostStep step = new HostStep(1f, eta)) {
        assertArrayEquals(expected, step.ddim(x, eps, alphaT, alphaPrev, z), 1e-5f, "eta " + eta);
      }
    }
  }

  @Test
  void ddimWithEtaAddsNoNoiseAtTheLastStepAndEqualsEtaZeroThere() {
    float[] x = HostSampler.Noise.seeded(11, 64).slab(0);
    float[] eps = HostSampler.Noise.seeded(12, 64).slab(0);
    float[] z = HostSampler.Noise.seeded(13, 64).slab(0);
    try (HostStep deterministic = new HostStep(1f);
        HostStep noisy = new HostStep(1f, 1)) {
      assertArrayEquals(
          deterministic.ddim(x, eps, 0.3, 1.0), noisy.ddim(x, eps, 0.3, 1.0, z), 1e-6f);
    }
  }

  /** round(T − 1 − i·(T − 2)/(steps − 1)), halves up, in double precision. */
  private static int[] definition(int T, int steps) {
    int[] times = new int[steps];
    for (int i = 0; i < steps; i++) {
      times[i] = steps == 1 ? T - 1 : (int) Math.round(T - 1 - (double) i * (T - 2) / (steps - 1));
    }
    return times;
  }
}
