package io.github.homl.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Small graph helpers shared by layers and regularizers. */
public final class Layers {

  private Layers() {}

  /** {@code [0, 1, ..., rank-1]} for reducing over every axis. */
  public static Operand<TInt32> allAxes(Ops tf, Operand<?> x) {
    return tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
  }

  /**
   * Checks that {@code layer} gets a batch of images, {@code [batch, height, width, channels]},
   * with an error naming the layer and the shape it got.
   */
  static void requireImageBatch(Layer layer, Shape inputShape) {
    if (inputShape.numDimensions() != 4) {
      throw new IllegalArgumentException(
          layer.getClass().getSimpleName()
              + " expects [batch, height, width, channels] inputs, got shape "
              + inputShape);
    }
  }

  /** {@code value}, or Keras's message when it is not positive: "units must be positive, got 0". */
  static int positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }

  /** {@code value}, or an error when it is negative (or NaN): "stddev must be >= 0, got -1.0". */
  static float nonNegative(String name, float value) {
    if (!(value >= 0f)) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
    return value;
  }

  /** The runtime batch size as a float scalar (the first axis of {@code tf.shape(x)}). */
  public static Operand<TFloat32> batchSize(Ops tf, Operand<?> x) {
    Operand<TInt32> first =
        tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    return tf.dtypes.cast(tf.reshape(first, tf.constant(new int[0])), TFloat32.class);
  }
}
