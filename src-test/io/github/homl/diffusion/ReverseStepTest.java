package io.github.homl.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The DDIM time steps against their definition. */
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

  /** round(T − 1 − i·(T − 2)/(steps − 1)), halves up, in double precision. */
  private static int[] definition(int T, int steps) {
    int[] times = new int[steps];
    for (int i = 0; i < steps; i++) {
      times[i] = steps == 1 ? T - 1 : (int) Math.round(T - 1 - (double) i * (T - 2) / (steps - 1));
    }
    return times;
  }
}
