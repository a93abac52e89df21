package io.github.homl.training;

import io.github.homl.data.Batches;
import io.github.homl.layers.SeedStream;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one training loop, Keras's {@code fit}: it owns the epochs, batching and shuffling, the
 * progress display, timing, the stop on a non-finite loss (Keras's {@code TerminateOnNaN}), the
 * {@link History}, held-out evaluation, per-epoch checkpoints and {@code --resume}; the model
 * supplies only its {@link TrainingStep}.
 *
 * <pre>{@code
 * History history = Fit.of(ws, step, Batches.of(n, 32).shuffled(seed))
 *     .validation(Batches.of(nValid, 32))
 *     .checkpoints(config.checkpoints("dcgan"), config.resume())
 *     .run(epochs);
 * }</pre>
 *
 * <p>A resumed run equals an uninterrupted one: the checkpoint holds every variable (weights,
 * optimizer slots and step counters, BatchNormalization statistics), epoch {@code e}'s shuffle
 * depends on the seed and {@code e} alone, and each step feeds its random ops a key computed from
 * the seed, the epoch and the step ({@link io.github.homl.layers.RandomOps}).
 */
public final class Fit {

  private final Workspace ws;
  private final TrainingStep step;
  private final Batches train;
  private final long seed;
  private Batches valid;
  private Checkpoints checkpoints;
  private boolean resume;
  private PrintStream out = System.out;
  private boolean verbose = true;
  private boolean terminal = Progress.isTerminal();
  private double progressSeconds = Progress.LINE_SECONDS;

  /** Steps of the last epoch that {@code bench --profile} traces (0: none), after 10 untraced. */
  private static volatile int profileSteps;

  /**
   * Traces {@code steps} steps of the last epoch of every following fit and prints where their time
   * went ({@link RunTrace}); 0 stops it. For {@code bench --profile}.
   */
  public static void profile(int steps) {
    profileSteps = steps;
  }

  private Fit(Workspace ws, TrainingStep step, Batches train) {
    this.ws = ws;
    this.step = step;
    this.train = train;
    this.seed = ws.opSeeds().next();
  }

  /** Fits {@code step} over the training examples {@code train} cuts into batches. */
  public static Fit of(Workspace ws, TrainingStep step, Batches train) {
    return new Fit(ws, step, train);
  }

  /** Evaluates {@link TrainingStep#testStep} on these held-out batches after every epoch. */
  public Fit validation(Batches valid) {
    this.valid = valid;
    return this;
  }

  /**
   * Saves a checkpoint after every epoch; with {@code resume}, first restores the latest one and
   * continues from the epoch after it (no checkpoint is then an error that names the folder).
   */
  public Fit checkpoints(Checkpoints checkpoints, boolean resume) {
    this.checkpoints = checkpoints;
    this.resume = resume;
    return this;
  }

  /** Prints nothing (Keras's {@code verbose=0}). */
  public Fit quiet() {
    this.verbose = false;
    return this;
  }

  /** Prints to {@code out}, as a terminal (a redrawn bar) or not (a line every 15 s). */
  Fit printingTo(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
    return this;
  }

  /** Prints a progress line at most every {@code seconds} when not on a terminal. */
  Fit progressEvery(double seconds) {
    this.progressSeconds = seconds;
    return this;
  }

  /**
   * Calls {@code afterEpoch} with the history after each epoch (and its checkpoint): to score a
   * generator as it trains.
   */
  public Fit afterEachEpoch(java.util.function.Consumer<History> afterEpoch) {
    this.afterEpoch = afterEpoch;
    return this;
  }

  private java.util.function.Consumer<History> afterEpoch = history -> {};

  /** Trains up to epoch {@code epochs} and returns the whole history. */
  public History run(int epochs) {
    if (resume && checkpoints == null) {
      throw new IllegalStateException("--resume needs checkpoints, and this fit keeps none");
    }
    History history = resume ? checkpoints.restore(ws) : new History();
    if (history.size() >= epochs && verbose) {
      out.printf("Already trained %d of %d epochs: nothing to train%n", history.size(), epochs);
    }
    List<String> names = step.lossNames();
    for (int epoch = history.size() + 1; epoch <= epochs; epoch++) {
      long start = System.nanoTime();
      if (verbose) {
        out.printf("Epoch %d/%d%n", epoch, epochs);
      }
      List<int[]> batches = train.epoch(epoch);
      Progress progress =
          new Progress(
              verbose ? out : null,
              terminal,
              progressSeconds,
              System::nanoTime,
              "",
              names,
              batches.size());
      double[] sums = new double[names.size()];
      long seen = 0;
      int traceFrom = epoch == epochs && profileSteps > 0 ? Math.min(10, batches.size() - 1) : -1;
      RunTrace trace = null;
      for (int i = 0; i < batches.size(); i++) {
        if (i == traceFrom) {
          trace = ws.trace();
        }
        int[] indices = batches.get(i);
        long global = (long) (epoch - 1) * batches.size() + i;
        float[] losses =
            step.trainStep(
                new TrainingStep.Batch(indices, epoch, global, SeedStream.mix(seed, 1, epoch, i)));
        requireFinite(names, losses, epoch, i, batches.size(), history.size());
        seen += indices.length;
        double[] means = new double[names.size()];
        for (int k = 0; k < sums.length; k++) {
          sums[k] += (double) losses[k] * indices.length; // Keras weights batches by size
          means[k] = sums[k] / seen;
        }
        progress.update(i + 1, means);
        if (trace != null && (i == traceFrom + profileSteps - 1 || i == batches.size() - 1)) {
          ws.stopTrace();
          out.print(trace.table(25));
          trace = null;
        }
      }
      Map<String, Double> logs = new LinkedHashMap<>();
      for (int k = 0; k < names.size(); k++) {
        logs.put(names.get(k), sums[k] / seen);
      }
      if (valid != null) {
        double[] held = evaluate(epoch);
        for (int k = 0; k < names.size(); k++) {
          logs.put("val_" + names.get(k), held[k]);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      history.add(new History.Epoch(epoch, logs, seconds, batches.size()));
      progress.finish();
      if (verbose) {
        printEpoch(batches.size(), seconds, logs);
      }
      if (checkpoints != null) {
        checkpoints.save(ws, history);
      }
      afterEpoch.accept(history);
    }
    return history;
  }

  /** The held-out losses after epoch {@code epoch}, each weighted by batch size as Keras's. */
  private double[] evaluate(int epoch) {
    List<String> names = step.lossNames();
    double[] sums = new double[names.size()];
    long seen = 0;
    List<int[]> batches = valid.epoch(epoch);
    for (int i = 0; i < batches.size(); i++) {
      int[] indices = batches.get(i);
      float[] losses =
          step.testStep(
              new TrainingStep.Batch(indices, epoch, i, SeedStream.mix(seed, 2, epoch, i)));
      for (int k = 0; k < sums.length; k++) {
        sums[k] += (double) losses[k] * indices.length;
      }
      seen += indices.length;
    }
    for (int k = 0; k < sums.length; k++) {
      sums[k] = seen == 0 ? Double.NaN : sums[k] / seen;
    }
    return sums;
  }

  private void requireFinite(
      List<String> names, float[] losses, int epoch, int i, int steps, int done) {
    for (int k = 0; k < losses.length; k++) {
      if (!Float.isFinite(losses[k])) {
        String kept =
            checkpoints == null || done == 0
                ? ""
                : "; the last good checkpoint (epoch " + done + ") is kept in " + checkpoints.dir();
        throw new IllegalStateException(
            String.format(
                Locale.ROOT,
                "%s became %s at epoch %d, step %d/%d: training stopped%s",
                names.get(k),
                losses[k],
                epoch,
                i + 1,
                steps,
                kept));
      }
    }
  }

  private void printEpoch(int steps, double seconds, Map<String, Double> logs) {
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%d/%d - %.0fs - %.0fms/step",
                steps,
                steps,
                seconds,
                seconds * 1000 / steps));
    logs.forEach(
        (name, value) -> line.append(String.format(Locale.ROOT, " - %s: %.4f", name, value)));
    line.append(step.describe());
    out.println(line);
  }
}
