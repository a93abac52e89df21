package io.github.homl.training;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Keras's progress display for one epoch: on a terminal a bar redrawn in place ({@code 512/1719
 * [=====>......] - ETA: 41s - d_loss: 0.6123 - g_loss: 0.9876}); when the output is a file or a
 * pipe, one line at most every {@link #LINE_SECONDS} seconds with the step, steps/s, the running
 * mean losses and the ETA, so a long epoch never reads as a hang.
 */
public final class Progress {

  /** Seconds between two progress lines in a file or pipe. */
  static final double LINE_SECONDS = 15;

  private static final int BAR_WIDTH = 30;

  private final PrintStream out;
  private final boolean terminal;
  private final List<String> names;
  private final int steps;
  private final long start = System.nanoTime();
  private long lastPrint = start;

  private final double lineSeconds;

  Progress(PrintStream out, boolean terminal, double lineSeconds, List<String> names, int steps) {
    this.out = out;
    this.terminal = terminal;
    this.lineSeconds = lineSeconds;
    this.names = names;
    this.steps = steps;
  }

  /** Progress over {@code steps} steps with no losses (a sampler), on standard output. */
  public static Progress start(int steps) {
    return new Progress(System.out, isTerminal(), LINE_SECONDS, List.of(), steps);
  }

  /** After step {@code done}. */
  public void update(int done) {
    update(done, new double[0]);
  }

  /**
   * Whether standard output is a terminal (Java 17: {@code System.console()} is null otherwise).
   */
  static boolean isTerminal() {
    return System.console() != null;
  }

  /** After step {@code done} of the epoch, with the running mean of each loss. */
  void update(int done, double[] means) {
    long now = System.nanoTime();
    double elapsed = (now - start) / 1e9;
    if (terminal) {
      if ((now - lastPrint) / 1e9 < 0.1 && done < steps) {
        return;
      }
      lastPrint = now;
      int filled = (int) ((long) BAR_WIDTH * done / steps);
      String bar =
          "=".repeat(Math.max(0, filled - 1))
              + (done < steps ? ">" : "=")
              + ".".repeat(BAR_WIDTH - Math.max(filled, 1));
      out.printf(
          Locale.ROOT,
          "\r%d/%d [%s] - ETA: %s%s",
          done,
          steps,
          bar,
          duration(eta(done, elapsed)),
          losses(means));
      out.flush();
    } else if ((now - lastPrint) / 1e9 >= lineSeconds && done < steps) {
      lastPrint = now;
      out.printf(
          Locale.ROOT,
          "  step %d/%d - %.1f steps/s - ETA: %s%s%n",
          done,
          steps,
          done / elapsed,
          duration(eta(done, elapsed)),
          losses(means));
    }
  }

  /** Ends the bar's line on a terminal, before the epoch's summary line. */
  public void finish() {
    if (terminal) {
      out.print('\r');
      out.print(" ".repeat(BAR_WIDTH + 60));
      out.print('\r');
    }
  }

  private double eta(int done, double elapsed) {
    return done == 0 ? Double.NaN : elapsed / done * (steps - done);
  }

  private String losses(double[] means) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      text.append(String.format(Locale.ROOT, " - %s: %.4f", names.get(i), means[i]));
    }
    return text.toString();
  }

  static String duration(double seconds) {
    if (Double.isNaN(seconds)) {
      return "?";
    }
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : s >= 60 ? String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60) : s + "s";
  }
}
