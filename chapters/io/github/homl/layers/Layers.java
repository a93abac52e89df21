package io.github.homl.layers;

import org.tensorflow.Operand;
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

  /** The runtime batch size as a float scalar (the first axis of {@code tf.shape(x)}). */
  public static Operand<TFloat32> batchSize(Ops tf, Operand<?> x) {
    Operand<TInt32> first = tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    return tf.dtypes.cast(tf.reshape(first, tf.constant(new int[0])), TFloat32.class);
  }
}
