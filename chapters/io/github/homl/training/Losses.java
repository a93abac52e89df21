package io.github.homl.training;

import io.github.homl.layers.Layers;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The losses chapter 17 compiles with, as float-only wrappers over {@code tensorflow-framework}'s
 * {@code Losses}. Each framework function reduces the last axis; we then average over everything
 * else, which is Keras's {@code SUM_OVER_BATCH_SIZE} reduction for these shapes.
 */
public final class Losses {

  /** Keras's {@code "mse"}: the mean of {@code (yTrue - yPred)²}. */
  public static final Loss MSE =
      (tf, yTrue, yPred) ->
          mean(tf, org.tensorflow.framework.losses.Losses.meanSquaredError(tf, yTrue, yPred));

  /**
   * Keras's {@code "binary_crossentropy"} on probabilities (predictions clipped to [1e-7, 1 -
   * 1e-7]).
   */
  public static final Loss BCE =
      (tf, yTrue, yPred) ->
          mean(
              tf,
              org.tensorflow.framework.losses.Losses.binaryCrossentropy(
                  tf, yTrue, yPred, false, 0f));

  /** Keras's {@code tf.keras.losses.Huber()} with delta 1. */
  public static final Loss HUBER =
      (tf, yTrue, yPred) ->
          mean(tf, org.tensorflow.framework.losses.Losses.huber(tf, yTrue, yPred, 1f));

  private Losses() {}

  private static Operand<TFloat32> mean(Ops tf, Operand<TFloat32> perExample) {
    return tf.math.mean(perExample, Layers.allAxes(tf, perExample));
  }
}
