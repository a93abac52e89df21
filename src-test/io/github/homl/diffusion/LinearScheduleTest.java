package io.github.homl.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The original DDPM's linear schedule, against numpy's {@code linspace(1e-4, 0.02, 1000)}. */
class LinearScheduleTest {

  private static final Schedule LINEAR = Schedule.linear(1000);

  /** {@code b = np.linspace(1e-4, 0.02, 1000); np.cumprod((1 - b).astype(np.float32))}. */
  @ParameterizedTest(name = "t = {0}")
  @CsvSource({
    "1,    0.9999,     0.9999,      1e-4",
    "250,  0.9949399,  0.52408534,  0.00506006006",
    "500,  0.98995996, 0.07858724,  0.01004004004",
    "1000, 0.98,       4.0358325e-05, 0.02"
  })
  void linearScheduleMatchesNumpy(int t, double alpha, double alphaCumprod, double beta) {
    assertEquals(alpha, LINEAR.alpha()[t], 1e-7, "alpha");
    assertEquals(alphaCumprod, LINEAR.alphaCumprod()[t], 1e-5 * alphaCumprod, "alpha_cumprod");
    assertEquals(beta, LINEAR.beta()[t], 1e-6 * beta + 1e-9, "beta");
  }

  @Test
  void startsAtAlphaZeroEqualToOneAndGrowsBetaEvenly() {
    assertEquals(1001, LINEAR.beta().length);
    assertEquals(1f, LINEAR.alphaCumprod()[0]);
    assertEquals(0f, LINEAR.beta()[0]);
    double step = (0.02 - 1e-4) / 999;
    for (int t = 2; t <= 1000; t++) {
      assertEquals(step, LINEAR.beta()[t] - LINEAR.beta()[t - 1], 1e-7, "t = " + t);
    }
  }

  @Test
  void fewerStepsScaleBetaSoTheLastStepIsStillNoise() {
    Schedule quick = Schedule.linear(40);
    assertEquals(0.0025, quick.beta()[1], 1e-8);
    assertEquals(0.5, quick.beta()[40], 1e-7);
    assertTrue(quick.alphaCumprod()[40] < 1e-5, "alpha_cumprod_T " + quick.alphaCumprod()[40]);
  }

  @Test
  void kindsParseByNameAndCarryTheirPapersT() {
    assertSame(Schedule.Kind.LINEAR, Schedule.Kind.parse("--schedule", "Linear"));
    assertEquals(1000, Schedule.Kind.LINEAR.bookT());
    assertEquals(4000, Schedule.Kind.COSINE.bookT());
    assertEquals(
        Schedule.varianceSchedule(100).alphaCumprod()[50],
        Schedule.Kind.COSINE.of(100).alphaCumprod()[50]);
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class, () -> Schedule.Kind.parse("--schedule", "sigmoid"));
    assertEquals("--schedule must be cosine or linear, got 'sigmoid'", error.getMessage());
  }
}
