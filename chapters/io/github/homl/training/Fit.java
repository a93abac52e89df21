package io.github.homl.training;

import io.github.homl.data.Batches;
import io.github.homl.layers.SeedStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one training loop, Keras's {@code fit}: it owns the epochs, batching and shuffling, timing,
 * the stop on a non-finite loss (Keras's {@code TerminateOnNaN}), the {@link History}, held-out
 * evaluation and {@code --resume}; the model supplies only its {@link TrainingStep}. What watches
 * the loop is a {@link Listener}, as Keras's callbacks: the progress display (on unless {@link
 * #quiet}), the per-epoch checkpoint ({@link #checkpoints}) and any other registered with {@link
 * #listener}.
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

  /**
   * Where a fit stands when it calls a listener: its workspace, the epoch (from 1) of the {@code
   * epochs} it trains up to, and that epoch's steps.
   */
  public record Position(Workspace ws, int epoch, int epochs, int steps) {}

  /**
   * What watches a fit, as Keras's callbacks: the progress display, the per-epoch checkpoint,
   * {@code bench --profile}'s tracing ({@link RunTrace#profiler}) and a section's scoring after
   * each epoch. A fit calls its progress display first, then its checkpoint, then the other
   * listeners in the order they were registered. Each method does nothing unless overridden.
   */
  public interface Listener {

    /** Before the first step of an epoch. */
    default void onEpochBegin(Position at) {}

    /** Before step {@code step} (from 0) of the epoch. */
    default void onStepBegin(Position at, int step) {}

    /**
     * After step {@code step}, with the epoch's running mean of each loss (batches weighted by
     * their size, as Keras's).
     */
    default void onStepEnd(Position at, int step, LossValues means) {}

    /** After an epoch and its held-out losses, which {@code history} now ends with. */
    default void onEpochEnd(Position at, History history) {}

    /** A listener calling {@code afterEpoch} with the history after each epoch. */
    static Listener afterEachEpoch(Consumer<History> afterEpoch) {
      return new Listener() {
        @Override
        public void onEpochEnd(Position at, History history) {
          afterEpoch.accept(history);
        }
      };
    }
  }

  private final Workspace ws;
  private final TrainingStep step;
  private final Batches train;
  private final long seed;
  private final List<Listener> listeners = new ArrayList<>();
  private Batches valid;
  private Checkpoints checkpoints;
  private boolean resume;
  private PrintStream out = System.out;
  private boolean verbose = true;
  private boolean terminal = Progress.isTerminal();
  private double progressSeconds = Progress.LINE_SECONDS;

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

  /** Calls {@code listener} as the fit goes, after the listeners registered before it. */
  public Fit listener(Listener listener) {
    listeners.add(listener);
    return this;
  }

  /** Calls each of {@code more}, in order, after the listeners registered before them. */
  public Fit listeners(List<? extends Listener> more) {
    listeners.addAll(more);
    return this;
  }

  /** Trains up to epoch {@code epochs} and returns the whole history. */
  public History run(int epochs) {
    if (resume && checkpoints == null) {
      throw new IllegalStateException("--resume needs checkpoints, and this fit keeps none");
    }
    History history = resume ? checkpoints.restore(ws) : new History();
    List<Listener> all = new ArrayList<>();
    if (verbose) {
      ProgressLogger progress = new ProgressLogger(out, terminal, progressSeconds, step);
      if (history.size() >= epochs) {
        progress.nothingToTrain(history.size(), epochs);
      }
      all.add(progress);
    }
    if (checkpoints != null) {
      all.add(Listener.afterEachEpoch(done -> checkpoints.save(ws, done)));
    }
    all.addAll(listeners);
    for (int epoch = history.size() + 1; epoch <= epochs; epoch++) {
      long start = System.nanoTime();
      List<int[]> batches = train.epoch(epoch);
      Position at = new Position(ws, epoch, epochs, batches.size());
      all.forEach(listener -> listener.onEpochBegin(at));
      LossValues.Means means = new LossValues.Means();
      for (int i = 0; i < batches.size(); i++) {
        int stepInEpoch = i;
        all.forEach(listener -> listener.onStepBegin(at, stepInEpoch));
        int[] indices = batches.get(i);
        long global = (long) (epoch - 1) * batches.size() + i;
        LossValues losses =
            step.trainStep(
                new TrainingStep.Batch(indices, epoch, global, SeedStream.mix(seed, 1, epoch, i)));
        requireFinite(losses, epoch, i, batches.size(), history.size());
        means.add(losses, indices.length, "trainStep");
        LossValues running = means.means();
        all.forEach(listener -> listener.onStepEnd(at, stepInEpoch, running));
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
      all.forEach(listener -> listener.onEpochEnd(at, history));
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
}
