package io.github.homl.training;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Keras's progress display for a long loop (an epoch, a sampler): on a terminal a bar redrawn in
 * place ({@code 512/1719 [=====>......] - ETA: 41s - d_loss: 0.6123 - g_loss: 0.9876}); when the
 * output is a file or a pipe, one line at most every {@link #LINE_SECONDS} seconds with the step,
 * steps/s (s/step when slower), the running mean losses and the ETA ({@code ddpm: step 734/3999 -
 * 9.8 steps/s - ETA: 5:33}), so a long loop never reads as a hang.
 */
public final class Progress {

  /** Seconds between two progress lines in a file or pipe. */
  public static final double LINE_SECONDS = 15;

  private static final int BAR_WIDTH = 30;

  private final PrintStream out;
  private final boolean terminal;
  private final long lineNanos;
  private final LongSupplier clock;
  private final String label;
  private final int steps;
  private final long start;
  private long lastPrint;

  /**
   * Progress over {@code steps} steps printed to {@code out} (null: nothing), as a bar or as lines
   * every {@code lineSeconds} by {@code clock} (nanoseconds); {@code label} starts each line. Each
   * {@link #update(int, LossValues)} names its losses, so {@code names} must be empty: it stays
   * until the samplers that pass it an empty list drop it.
   */
  public Progress(
      PrintStream out,
      boolean terminal,
      double lineSeconds,
      LongSupplier clock,
      String label,
      List<String> names,
      int steps) {
    if (!names.isEmpty()) {
      throw new IllegalArgumentException(
          "the losses " + names + " are named by each update's LossValues, not here");
    }
    this.out = out;
    this.terminal = terminal;
    this.lineNanos = (long) (lineSeconds * 1e9);
    this.clock = clock;
    this.label = label.isEmpty() ? " " : label + ":";
    this.steps = steps;
    this.start = clock.getAsLong();
    this.lastPrint = start;
  }

  /** Progress over {@code steps} steps of a loop named {@code label}, on standard output. */
  public static Progress start(String label, int steps) {
    return new Progress(
        System.out, isTerminal(), LINE_SECONDS, System::nanoTime, label, List.of(), steps);
  }

  /**
   * Whether standard output is a terminal (Java 17: {@code System.console()} is null otherwise).
   */
  static boolean isTerminal() {
    return System.console() != null;
  }

  /** After step {@code done}. */
  public void update(int done) {
    update(done, LossValues.NONE);
  }

  /** After step {@code done}, with the running mean of each loss. */
  public void update(int done, LossValues means) {
    if (out == null) {
      return;
    }
    long now = clock.getAsLong();
    double elapsed = (now - start) / 1e9;
    if (terminal) {
      if (now - lastPrint < 100_000_000L && done < steps) {
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
          joined(means));
      out.flush();
    } else if (now - lastPrint >= lineNanos && done < steps) {
      lastPrint = now;
      out.printf(
          Locale.ROOT,
          "%s step %d/%d - %s - ETA: %s%s%n",
          label,
          done,
          steps,
          rate(done, elapsed),
          duration(eta(done, elapsed)),
          joined(means));
    }
  }

  /** Ends the bar's line on a terminal, before what is printed next. */
  public void finish() {
    if (out != null && terminal) {
      out.print('\r');
      out.print(" ".repeat(BAR_WIDTH + 60));
      out.print('\r');
    }
  }

  /** Steps per second, or seconds per step when a step takes longer than a second. */
  private static String rate(int done, double elapsed) {
    double perSecond = done / elapsed;
    return perSecond >= 1
        ? String.format(Locale.ROOT, "%.1f steps/s", perSecond)
        : String.format(Locale.ROOT, "%.1f s/step", elapsed / done);
  }

  private double eta(int done, double elapsed) {
    return done == 0 ? Double.NaN : elapsed / done * (steps - done);
  }

  /** {@code " - "} and the losses, or nothing when there are none. */
  static String joined(LossValues losses) {
    return losses.size() == 0 ? "" : " - " + losses;
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
