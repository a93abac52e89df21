package io.github.homl.training;

import java.util.function.Function;

/**
 * What a model does with one batch, as Keras's {@code train_step} and {@code test_step}: everything
 * else (epochs, batching and shuffling, progress, timing, the non-finite-loss stop, the history,
 * held-out evaluation, checkpoints and resume) is {@link Fit}'s. A step holds its own data and
 * receives the indices of the batch's examples. It returns its losses by name, as Keras's steps
 * return a dict: the same names at every batch.
 */
public interface TrainingStep {

  /** Where a batch is in the run, and the random key its random ops are fed. */
  record Batch(int[] indices, int epoch, long step, long randomKey) {}

  /** One update on the training examples {@code batch.indices()}; returns the losses. */
  LossValues trainStep(Batch batch);

  /** The losses in inference mode on the held-out examples {@code batch.indices()}; no update. */
  LossValues testStep(Batch batch);

  /** A step of two functions: {@code train} updates and {@code test} evaluates one batch. */
  static TrainingStep of(Function<Batch, LossValues> train, Function<Batch, LossValues> test) {
    return new TrainingStep() {
      @Override
      public LossValues trainStep(Batch batch) {
        return train.apply(batch);
      }

      @Override
      public LossValues testStep(Batch batch) {
        return test.apply(batch);
      }
    };
  }

  /** Appended to an epoch's line, e.g. ProGAN's resolution and α; empty by default. */
  default String describe() {
    return "";
  }
}
