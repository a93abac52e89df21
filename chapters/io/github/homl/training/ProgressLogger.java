package io.github.homl.training;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * A fit's progress display, as Keras's {@code ProgbarLogger}: {@code Epoch 3/10}, the {@link
 * Progress} bar (or lines) with the running mean losses, then the epoch's line {@code 1719/1719 -
 * 12s - 7ms/step - loss: 0.0412 - val_loss: 0.0398}, followed by what the step {@linkplain
 * TrainingStep#describe describes}.
 */
final class ProgressLogger implements Fit.Listener {

  private final PrintStream out;
  private final boolean terminal;
  private final double lineSeconds;
  private final TrainingStep step;
  private Progress progress;

  /** Prints to {@code out}, as a terminal or a line at most every {@code lineSeconds}. */
  ProgressLogger(PrintStream out, boolean terminal, double lineSeconds, TrainingStep step) {
    this.out = out;
    this.terminal = terminal;
    this.lineSeconds = lineSeconds;
    this.step = step;
  }

  /** Says that a resumed run has already trained {@code done} of its {@code epochs}. */
  void nothingToTrain(int done, int epochs) {
    out.printf("Already trained %d of %d epochs: nothing to train%n", done, epochs);
  }

  @Override
  public void onEpochBegin(Fit.Position at) {
    out.printf("Epoch %d/%d%n", at.epoch(), at.epochs());
    progress =
        new Progress(out, terminal, lineSeconds, System::nanoTime, "", List.of(), at.steps());
  }

  @Override
  public void onStepEnd(Fit.Position at, int step, LossValues means) {
    progress.update(step + 1, means);
  }

  @Override
  public void onEpochEnd(Fit.Position at, History history) {
    progress.finish();
    History.Epoch epoch = history.last();
    out.println(
        String.format(
                Locale.ROOT,
                "%d/%d - %.0fs - %.0fms/step",
                epoch.steps(),
                epoch.steps(),
                epoch.seconds(),
                epoch.seconds() * 1000 / epoch.steps())
            + Progress.joined(epoch.lossValues())
            + step.describe());
  }
}
