package io.github.homl.training;

import io.github.homl.data.Batches;
import io.github.homl.layers.SeedStream;
import java.io.PrintStream;
import java.util.Collections;
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
    this.seed = ws.seeds().next();
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
              List.of(),
              batches.size());
      LossValues.Means means = new LossValues.Means();
      int traceFrom = epoch == epochs && profileSteps > 0 ? Math.min(10, batches.size() - 1) : -1;
      RunTrace trace = null;
      for (int i = 0; i < batches.size(); i++) {
        if (i == traceFrom) {
          trace = ws.trace();
        }
        int[] indices = batches.get(i);
        long global = (long) (epoch - 1) * batches.size() + i;
        LossValues losses =
            step.trainStep(
                new TrainingStep.Batch(indices, epoch, global, SeedStream.mix(seed, 1, epoch, i)));
        requireFinite(losses, epoch, i, batches.size(), history.size());
        means.add(losses, indices.length, "trainStep");
        progress.update(i + 1, means.means());
        if (trace != null && (i == traceFrom + profileSteps - 1 || i == batches.size() - 1)) {
          ws.stopTrace();
          out.print(trace.table(25));
          trace = null;
        }
      }
      if (means.isEmpty()) {
        throw new IllegalStateException(
            "epoch " + epoch + " has no batch to train on: fewer examples than one whole batch?");
      }
      LossValues logs = means.means();
      if (valid != null) {
        logs = logs.followedBy(evaluate(epoch, logs.names()).prefixed("val_"));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      history.add(new History.Epoch(epoch, logs.asMap(), seconds, batches.size()));
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

  /**
   * The held-out losses after epoch {@code epoch}, each weighted by batch size as Keras's; NaN
   * under the training losses' {@code names} when there is no held-out batch.
   */
  private LossValues evaluate(int epoch, List<String> names) {
    LossValues.Means means = new LossValues.Means();
    List<int[]> batches = valid.epoch(epoch);
    for (int i = 0; i < batches.size(); i++) {
      int[] indices = batches.get(i);
      LossValues losses =
          step.testStep(
              new TrainingStep.Batch(indices, epoch, i, SeedStream.mix(seed, 2, epoch, i)));
      means.add(losses, indices.length, "testStep");
    }
    return means.isEmpty()
        ? new LossValues(names, Collections.nCopies(names.size(), Double.NaN))
        : means.means();
  }

  private void requireFinite(LossValues losses, int epoch, int i, int steps, int done) {
    for (Map.Entry<String, Double> loss : losses) {
      if (!Double.isFinite(loss.getValue())) {
        String kept =
            checkpoints == null || done == 0
                ? ""
                : "; the last good checkpoint (epoch " + done + ") is kept in " + checkpoints.dir();
        throw new IllegalStateException(
            String.format(
                Locale.ROOT,
                "%s became %s at epoch %d, step %d/%d: training stopped%s",
                loss.getKey(),
                loss.getValue(),
                epoch,
                i + 1,
                steps,
                kept));
      }
    }
  }

  private void printEpoch(int steps, double seconds, LossValues logs) {
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%d/%d - %.0fs - %.0fms/step",
                steps,
                steps,
                seconds,
                seconds * 1000 / steps));
    line.append(Progress.joined(logs)).append(step.describe());
    out.println(line);
  }
}
