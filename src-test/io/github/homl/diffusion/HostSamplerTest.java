package io.github.homl.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.data.Npy;
import io.github.homl.data.TensorValue;
import io.github.homl.saving.SavedDenoiser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The host DDPM and DDIM loops against {@code savedmodels/keras/samplers.py}: the Keras 3 tiny
 * denoiser fixture, sampled with the committed noise, gives the committed images.
 */
class HostSamplerTest {

  static final Path DENOISER = Path.of("savedmodels", "python", "keras3_denoiser");
  static final int T = 30; // reference/sampling.json
  static final int DDIM_STEPS = 10;

  @Test
  void ddpmOnTheKeras3DenoiserMatchesThePythonReferenceSampler() {
    assertArrayEquals(reference("ddpm_samples"), sample("ddpm"), 1e-5f);
  }

  @Test
  void ddimOnTheKeras3DenoiserMatchesThePythonReferenceSampler() {
    assertArrayEquals(reference("ddim_samples"), sample("ddim"), 1e-5f);
  }

  @Test
  void ddimWithEtaDrawsXTThenOneZPerStepButTheLast() {
    try (SavedDenoiser denoiser = SavedDenoiser.open(DENOISER.resolve("model"), null)) {
      HostSampler sampler =
          new HostSampler(denoiser::predictNoise, Schedule.varianceSchedule(T), 2, null);
      List<Integer> asked = new ArrayList<>();
      HostSampler.Noise byIndex = index -> HostSampler.Noise.seeded(index, 2 * 8 * 8).slab(0);
      HostSampler.Noise recorded =
          index -> {
            asked.add(index);
            return byIndex.slab(index);
          };
      float[] noisy = sampler.ddim(5, 1, recorded);
      assertEquals(List.of(0, 1, 2, 3, 4), asked);
      assertEquals(5, HostSampler.ddimNoiseSlabs(5, 1));

      asked.clear();
      float[] deterministic = sampler.ddim(5, 0, recorded);
      assertEquals(List.of(0), asked);
      assertEquals(1, HostSampler.ddimNoiseSlabs(5, 0));
      assertArrayEquals(deterministic, sampler.ddim(5, byIndex));
      assertFalse(Arrays.equals(deterministic, noisy), "eta = 1 adds noise");
    }
  }

  @Test
  void ddimTimesRunEvenlyFromTMinus1DownTo1() {
    assertArrayEquals(new int[] {29, 22, 15, 8, 1}, ReverseStep.ddimTimes(30, 5));
    assertArrayEquals(new int[] {3999}, ReverseStep.ddimTimes(4000, 1));
    var error = assertThrows(IllegalArgumentException.class, () -> ReverseStep.ddimTimes(30, 30));
    assertEquals("DDIM steps must be in 1..29 for T = 30, got 30", error.getMessage());
  }

  @Test
  void cosineScheduleIsTheNotebooksVarianceSchedule() {
    Schedule schedule = Schedule.varianceSchedule(4000);
    assertEquals(4000, schedule.T());
    assertEquals(1f, schedule.alpha()[0]);
    assertEquals(0.999f, schedule.beta()[4000], 1e-6f); // clipped at max_beta
    assertTrue(schedule.alphaCumprod()[4000] < 1e-6f);
    for (int t = 1; t <= 4000; t++) {
      assertEquals(1f - schedule.alpha()[t], schedule.beta()[t]);
      assertTrue(schedule.alphaCumprod()[t] <= schedule.alphaCumprod()[t - 1]);
    }
  }

  @Test
  void longRunsPrintProgressAtMostEvery15Seconds() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long[] now = {0};
    // every denoiser call takes 4 s on this clock: 99 DDPM steps, a line every 4th step
    HostSampler sampler =
        new HostSampler(
            (x, n, t) -> {
              now[0] += 4_000_000_000L;
              return new float[x.length];
            },
            Schedule.varianceSchedule(100),
            1,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            () -> now[0]);
    sampler.ddpm(HostSampler.Noise.seeded(1, 4));
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(24, lines.length, Arrays.toString(lines));
    assertEquals("ddpm: step 4/99 - 4.0 s/step - ETA: 6:20", lines[0]); // slower than 1 step/s
  }

  private static float[] sample(String kind) {
    TensorValue noise = Npy.read(DENOISER.resolve("reference/noise.npy"));
    int n = (int) noise.shape()[1];
    int size = n * 8 * 8;
    float[] values = noise.floats();
    HostSampler.Noise slabs = index -> Arrays.copyOfRange(values, index * size, (index + 1) * size);
    try (SavedDenoiser denoiser = SavedDenoiser.open(DENOISER.resolve("model"), null)) {
      assertArrayEquals(new int[] {8, 8, 1}, denoiser.imageShape());
      HostSampler sampler =
          new HostSampler(denoiser::predictNoise, Schedule.varianceSchedule(T), n, null);
      float[] x = kind.equals("ddpm") ? sampler.ddpm(slabs) : sampler.ddim(DDIM_STEPS, slabs);
      float[] samples = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        samples[i] = x[i] * 0.5f + 0.5f; // samplers.to_samples
      }
      return samples;
    }
  }

  private static float[] reference(String name) {
    return Npy.read(DENOISER.resolve("reference").resolve(name + ".npy")).floats();
  }
}
