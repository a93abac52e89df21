package io.github.homl.layers;

import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Reshapes each example to {@code targetShape}, keeping the batch axis: {@code [batch, ...] ->
 * [batch, targetShape...]}.
 *
 * <p>Keras counterpart: {@code tf.keras.layers.Reshape}.
 */
public final class Reshape extends AbstractLayer {

  private final long[] targetShape;

  public Reshape(long... targetShape) {
    super("reshape");
    if (targetShape.length == 0 || Arrays.stream(targetShape).anyMatch(d -> d <= 0)) {
      throw new IllegalArgumentException(
          "targetShape must be positive sizes, got " + Arrays.toString(targetShape));
    }
    this.targetShape = targetShape.clone();
  }

  @Override
  protected Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs) {
    Ops tf = ctx.tf();
    long[] withBatch = new long[targetShape.length + 1];
    withBatch[0] = -1;
    System.arraycopy(targetShape, 0, withBatch, 1, targetShape.length);
    return tf.reshape(inputs, tf.constant(withBatch)); // [batch, targetShape...]
  }
}
