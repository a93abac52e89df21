package io.github.homl.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.homl.diffusion.Schedule;
import org.junit.jupiter.api.Test;

/** {@code --schedule} and {@code --mixing} reach the run's configuration, and bad values fail. */
class VariantsTest {

  @Test
  void defaultsAreTheBooksCosineScheduleAndTheSectionsMixing() {
    RunConfig config = RunConfig.fromArgs();
    assertSame(Schedule.Kind.COSINE, config.variants().schedule());
    assertNull(config.variants().mixing());
    assertEquals(0.25f, config.variants().mixing(0.25f));
  }

  @Test
  void optionsChooseTheLinearScheduleAndAMixingProbability() {
    RunConfig config = RunConfig.fromArgs("--schedule", "linear", "--mixing", "0.9", "--quick");
    assertSame(Schedule.Kind.LINEAR, config.variants().schedule());
    assertEquals(0.9f, config.variants().mixing(0f));
    assertSame(config.variants(), config.withPretrained().withTrainImages(64).variants());
  }

  @Test
  void scoreSamplesSetsTheYardsticksSampleCount() {
    assertEquals(10_000, RunConfig.fromArgs().outputs().samples());
    assertEquals(2_000, RunConfig.fromArgs("--score-samples", "2000").outputs().samples());
    assertEquals(
        "--score-samples must be at least 2, got 1",
        assertThrows(
                IllegalArgumentException.class, () -> RunConfig.fromArgs("--score-samples", "1"))
            .getMessage());
  }

  @Test
  void badValuesNameTheOption() {
    IllegalArgumentException schedule =
        assertThrows(IllegalArgumentException.class, () -> RunConfig.fromArgs("--schedule", "cos"));
    assertEquals("--schedule must be cosine or linear, got 'cos'", schedule.getMessage());
    IllegalArgumentException mixing =
        assertThrows(IllegalArgumentException.class, () -> RunConfig.fromArgs("--mixing", "1.5"));
    assertEquals("--mixing must be a probability in [0, 1], got 1.5", mixing.getMessage());
  }
}
