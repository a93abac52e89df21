package io.github.homl.training;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The command-line options every section takes; shared by each {@code main} and the CLI's run. */
public final class RunOptions {

  @Option(names = "--epochs", paramLabel = "N", description = "epochs to train (default: the book's)")
  Integer epochs;

  @Option(names = "--quick", description = "a few hundred images, one epoch: finishes in seconds")
  boolean quick;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "workspace seed, the book's tf.random.set_seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--data", paramLabel = "DIR",
      description = "directory with the four Fashion-MNIST IDX files (.gz or not)")
  Path data;

  @Option(names = "--out", paramLabel = "DIR",
      description = "where figures and histories are written (default: images/generative)")
  Path out;

  @Option(names = "--resume",
      description = "continue each model from its last checkpoint in <out>/checkpoints")
  boolean resume;

  public RunConfig toConfig() {
    return new RunConfig(epochs, quick, seed, data, out, resume);
  }
}
