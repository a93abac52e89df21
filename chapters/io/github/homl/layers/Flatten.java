package io.github.homl.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Flattens every axis but the batch axis: {@code [batch, d1, d2, ...] -> [batch, d1 * d2 * ...]}.
 *
 * <p>Keras counterpart: {@code tf.keras.layers.Flatten}.
 */
public final class Flatten extends AbstractLayer {

  public Flatten() {
    super("flatten");
  }

  @Override
  protected Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs) {
    Ops tf = ctx.tf();
    Shape shape = inputs.shape();
    long size = 1;
    for (int i = 1; i < shape.numDimensions(); i++) {
      if (shape.get(i) < 0) {
        throw new IllegalArgumentException(
            "flatten needs known non-batch dimensions, got " + shape);
      }
      size *= shape.get(i);
    }
    return tf.reshape(inputs, tf.constant(new long[] {-1, size})); // [batch, size]
  }
}
