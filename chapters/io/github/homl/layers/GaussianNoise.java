package io.github.homl.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adds zero-centred Gaussian noise of standard deviation {@code stddev} during training; the
 * identity at inference.
 *
 * <p>Keras counterpart: {@code tf.keras.layers.GaussianNoise}.
 */
public final class GaussianNoise extends AbstractLayer {

  private final float stddev;

  public GaussianNoise(float stddev) {
    super("gaussian_noise");
    this.stddev = Layers.nonNegative("stddev", stddev);
  }

  @Override
  protected Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs) {
    if (!ctx.training()) {
      return inputs;
    }
    Ops tf = ctx.tf();
    Operand<TFloat32> noise = ctx.random().normal(tf.shape(inputs));
    return tf.math.add(inputs, tf.math.mul(noise, tf.constant(stddev)));
  }
}
