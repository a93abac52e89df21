package io.github.homl.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * ProGAN's pixelwise feature normalization: each pixel's feature vector is divided by its root mean
 * square over the channels, {@code outputs = inputs / sqrt(mean(inputs², axis=-1) + 1e-8)} (the
 * book's listing; the 1e-8 avoids a division by zero). Every pixel of the output then has a mean
 * square of 1 over its channels.
 *
 * <ul>
 *   <li>inputs and outputs: {@code [batch, ..., channels]} (also {@code [batch, units]}: ProGAN
 *       normalizes the codings this way)
 * </ul>
 *
 * <p>Keras counterpart: none; the book gives the formula for a custom layer.
 */
public final class PixelNormalization extends AbstractLayer {

  private static final float EPSILON = 1e-8f;

  public PixelNormalization() {
    super("pixel_normalization");
  }

  @Override
  protected Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs) {
    Ops tf = ctx.tf();
    Operand<TFloat32> meanSquare =
        tf.math.mean(
            tf.math.square(inputs), tf.constant(-1), Mean.keepDims(true)); // [batch, ..., 1]
    return tf.math.mul(inputs, tf.math.rsqrt(tf.math.add(meanSquare, tf.constant(EPSILON))));
  }
}
