package io.github.homl.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.layers.GraphRuns;
import io.github.homl.training.Workspace;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The cosine schedule and the time encoding against the values in docs/notebook-reference.md. */
class DiffusionScheduleTest {

  private static final Schedule SCHEDULE = Schedule.varianceSchedule(4000);

  /**
   * Re-running the notebook's {@code variance_schedule(4000)} with numpy
   * (docs/notebook-reference.md, "Diffusion: the variance schedule").
   */
  @ParameterizedTest(name = "t = {0}")
  @CsvSource({
    "1,    0.99999011, 0.99999011, 9.894e-06",
    "1000, 0.99966890, 0.84701133, 3.311e-4",
    "2000, 0.99921167, 0.49384302, 7.883e-4",
    "3000, 0.99810505, 0.14427191, 1.895e-3",
    "3999, 0.25000003, 1.518e-07,  0.75",
    "4000, 0.001,      1.518e-10,  0.999"
  })
  void varianceScheduleMatchesTheNotebook(int t, double alpha, double alphaCumprod, double beta) {
    assertEquals(alpha, SCHEDULE.alpha()[t], 1e-7 * alpha + 1e-9, "alpha");
    // the table gives 8 significant digits above 1e-6 and 4 below
    double cumprodDigits = alphaCumprod > 1e-6 ? 2e-7 : 1e-3;
    assertEquals(
        alphaCumprod, SCHEDULE.alphaCumprod()[t], cumprodDigits * alphaCumprod, "alpha_cumprod");
    assertEquals(beta, SCHEDULE.beta()[t], 1e-3 * beta, "beta");
  }

  @Test
  void scheduleStartsAtAlphaZeroEqualToOneAndHasTPlusOneEntries() {
    assertEquals(4001, SCHEDULE.alpha().length);
    assertEquals(4001, SCHEDULE.alphaCumprod().length);
    assertEquals(4001, SCHEDULE.beta().length);
    assertEquals(1f, SCHEDULE.alpha()[0]);
    assertEquals(1f, SCHEDULE.alphaCumprod()[0]);
    assertEquals(0f, SCHEDULE.beta()[0]);
  }

  @Test
  void onlyTheLastStepHitsTheBetaClip() {
    for (int t = 1; t < 4000; t++) {
      assertTrue(SCHEDULE.beta()[t] < 0.999f, "beta clipped at t = " + t);
      assertTrue(SCHEDULE.alphaCumprod()[t] < SCHEDULE.alphaCumprod()[t - 1], "t = " + t);
    }
    assertEquals(0.001f, SCHEDULE.alpha()[4000], 1e-9f);
  }

  @Test
  void timeEncodingInterleavesSinAndCosAsTheNotebook() {
    try (Workspace ws = Workspace.create(42)) {
      Operand<TFloat32> rows =
          new TimeEncoding(4000, 64).apply(ws.tf(), ws.tf().constant(new int[] {1, 4000}));
      assertArrayEquals(new long[] {2, 64}, rows.shape().asArray());

      float[] values = GraphRuns.run(ws, Map.of(), rows);

      float[] first = java.util.Arrays.copyOfRange(values, 0, 6);
      assertArrayEquals(
          new float[] {0.84147f, 0.54030f, 0.68156f, 0.73176f, 0.53317f, 0.84601f},
          first,
          1e-5f,
          "t = 1");
      float[] lastFour = java.util.Arrays.copyOfRange(values, 128 - 4, 128);
      assertArrayEquals(
          new float[] {0.65283f, 0.75751f, 0.50847f, 0.86108f}, lastFour, 1e-5f, "t = 4000");
    }
  }

  @Test
  void ddimTimeStepsRunFromTMinusOneDownToOneWithoutRepeats() {
    int[] times = ReverseStep.ddimTimes(4000, 50);

    assertEquals(50, times.length);
    assertEquals(3999, times[0]);
    assertEquals(1, times[49]);
    for (int i = 1; i < times.length; i++) {
      assertTrue(times[i] < times[i - 1], "not decreasing at " + i);
    }
    assertArrayEquals(new int[] {9, 8, 7, 6, 5, 4, 3, 2, 1}, ReverseStep.ddimTimes(10, 9));
  }
}
