package io.github.homl.cli;

import picocli.CommandLine.Option;

/**
 * How many images {@code generate} and {@code sample} draw and how the grid lays them out (a
 * picocli mixin).
 */
final class GridOptions {

  /** Images drawn when neither {@code --n} nor an input file says how many. */
  static final int DEFAULT_N = 32;

  @Option(
      names = "--n",
      paramLabel = "N",
      description =
          "images to draw (default: " + DEFAULT_N + ", or the batch of --input or --noise)")
  Integer n;

  @Option(
      names = "--cols",
      defaultValue = "8",
      paramLabel = "N",
      description =
          "grid columns (default: ${DEFAULT-VALUE}; Figure 17-12 uses 7); for a conditional"
              + " generator, also the images per class in its one-row-per-class figure")
  int cols;

  /** {@code --n}, else {@link #DEFAULT_N}. */
  int count() {
    return n != null ? n : DEFAULT_N;
  }

  /** Refuses fewer than one grid column. */
  void checkCols() {
    if (cols < 1) {
      throw new IllegalArgumentException("--cols must be at least 1, got " + cols);
    }
  }
}
