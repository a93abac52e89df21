package io.github.homl.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Randomly sets a fraction {@code rate} of the inputs to 0 during training and scales the kept ones
 * by {@code 1 / (1 - rate)}; the identity at inference.
 *
 * <p>Keras counterpart: {@code tf.keras.layers.Dropout}.
 */
public final class Dropout extends AbstractLayer {

  private final float rate;

  public Dropout(float rate) {
    super("dropout");
    if (!(rate >= 0f && rate < 1f)) {
      throw new IllegalArgumentException("rate must be in [0, 1), got " + rate);
    }
    this.rate = rate;
  }

  @Override
  protected Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs) {
    if (!ctx.training() || rate == 0f) {
      return inputs;
    }
    Ops tf = ctx.tf();
    Operand<TFloat32> uniform = ctx.random().uniform(tf.shape(inputs));
    // keep where uniform >= rate, as Keras does; the mask is random, so no gradient flows into it
    Operand<TFloat32> keep =
        tf.dtypes.cast(tf.math.greaterEqual(uniform, tf.constant(rate)), TFloat32.class);
    Operand<TFloat32> mask = tf.stopGradient(tf.math.mul(keep, tf.constant(1f / (1f - rate))));
    return tf.math.mul(inputs, mask);
  }
}
