package io.github.homl.config;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The command-line options every section takes; shared by each {@code main} and the CLI's run. */
public final class RunOptions {

  @Mixin TrainingOptions training = new TrainingOptions();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "where figures, histories and checkpoints are written (default: " + "images/generative)")
  Path out;

  public RunConfig toConfig() {
    return training.toConfig(out);
  }
}
