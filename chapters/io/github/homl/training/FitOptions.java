package io.github.homl.training;

import io.github.homl.data.Batches;
import io.github.homl.data.Images;
import java.util.List;

/**
 * The arguments of Keras's {@code fit} besides the data and the epochs, with Keras's defaults:
 * batches of 32 reshuffled every epoch (from the workspace's shuffle seed), no validation data,
 * progress shown, no callbacks. A call names only what differs:
 *
 * <pre>{@code
 * trainer.fit(xTrain, xTrain, 25, FitOptions.defaults().batchSize(128).validation(xValid, xValid));
 * classifier.fit(x, y, 10, FitOptions.<int[]>defaults().quiet());
 * }</pre>
 *
 * @param <Y> the held-out targets' type: images for {@link Trainer}, class labels for a classifier
 * @param batchSize Keras's {@code batch_size}
 * @param xValid the held-out inputs (Keras's {@code validation_data}), or null for none
 * @param yValid their targets, or null for none
 * @param verbose whether progress is printed (Keras's {@code verbose=1}, or {@code 0})
 * @param listeners what else watches the fit (Keras's {@code callbacks})
 */
public record FitOptions<Y>(
    int batchSize, Images xValid, Y yValid, boolean verbose, List<Fit.Listener> listeners) {

  public FitOptions {
    if (batchSize < 1) {
      throw new IllegalArgumentException("the batch size must be at least 1, got " + batchSize);
    }
    if ((xValid == null) != (yValid == null)) {
      throw new IllegalArgumentException("validation data needs both inputs and targets");
    }
    listeners = List.copyOf(listeners);
  }

  /** Keras's defaults: batch size 32, no validation data, verbose, no callbacks. */
  public static <Y> FitOptions<Y> defaults() {
    return new FitOptions<>(32, null, null, true, List.of());
  }

  /** The same options with batches of {@code size}. */
  public FitOptions<Y> batchSize(int size) {
    return new FitOptions<>(size, xValid, yValid, verbose, listeners);
  }

  /** The same options, evaluating the held-out losses on {@code x} and {@code y} every epoch. */
  public <Z> FitOptions<Z> validation(Images x, Z y) {
    return new FitOptions<>(batchSize, x, y, verbose, listeners);
  }

  /** The same options, printing nothing. */
  public FitOptions<Y> quiet() {
    return new FitOptions<>(batchSize, xValid, yValid, false, listeners);
  }

  /** The same options, with {@code chosen} watching the fit. */
  public FitOptions<Y> listeners(List<Fit.Listener> chosen) {
    return new FitOptions<>(batchSize, xValid, yValid, verbose, chosen);
  }

  /** The fit these options describe, of {@code step} over {@code examples} training examples. */
  public Fit fit(Workspace ws, TrainingStep step, int examples) {
    Fit fit =
        Fit.of(ws, step, Batches.of(examples, batchSize).shuffled(ws.seeds().shuffle()))
            .listeners(listeners);
    if (xValid != null) {
      fit.validation(Batches.of(xValid.count(), batchSize));
    }
    return verbose ? fit : fit.quiet();
  }
}
