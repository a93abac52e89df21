package io.github.homl.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adds rows of zeros above and below each image and columns of zeros left and right of it.
 *
 * <ul>
 *   <li>inputs: {@code [batch, h, w, channels]}
 *   <li>outputs: {@code [batch, h + 2·heightPadding, w + 2·widthPadding, channels]}
 * </ul>
 *
 * <p>Keras counterpart: {@code tf.keras.layers.ZeroPadding2D((heightPadding, widthPadding))}.
 */
public final class ZeroPadding2D extends ImageLayer {

  private final int heightPadding;
  private final int widthPadding;

  public ZeroPadding2D(int heightPadding, int widthPadding) {
    super("zero_padding2d");
    if (heightPadding < 0 || widthPadding < 0) {
      throw new IllegalArgumentException(
          "padding must be non-negative, got (" + heightPadding + ", " + widthPadding + ")");
    }
    this.heightPadding = heightPadding;
    this.widthPadding = widthPadding;
  }

  @Override
  protected Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs) {
    Ops tf = ctx.tf();
    int[][] paddings = {
      {0, 0}, {heightPadding, heightPadding}, {widthPadding, widthPadding}, {0, 0}
    };
    return tf.pad(inputs, tf.constant(paddings), tf.constant(0f));
  }
}
