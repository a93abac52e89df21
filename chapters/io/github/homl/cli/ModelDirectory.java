package io.github.homl.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model DIR}, the SavedModel that {@code generate} and {@code sample} run. */
final class ModelDirectory {

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description = "the SavedModel directory")
  Path dir;
}
