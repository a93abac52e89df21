package io.github.homl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What {@code export --to-pretrained} records as the command that exports a model again. */
class ExportCommandTest {

  @Test
  void theRecordedCommandNamesTheSeedOnlyWhenItIsNotTheDefault() {
    assertEquals(
        "export stylegan --resume --epochs 20 --to-pretrained",
        ExportCommand.pretrainedCommand("stylegan", 20, 42, null));
    assertEquals(
        "export stylegan --seed 43 --resume --epochs 20 --to-pretrained",
        ExportCommand.pretrainedCommand("stylegan", 20, 43, null));
  }

  @Test
  void theRecordedCommandNamesEpochsAndModelOnlyWhenGiven() {
    assertEquals(
        "export latent_diffusion --resume --to-pretrained --model latent_diffusion",
        ExportCommand.pretrainedCommand("latent_diffusion", null, 42, "latent_diffusion"));
  }
}
