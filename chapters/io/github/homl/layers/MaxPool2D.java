package io.github.homl.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Max pooling: each output pixel is the maximum of a {@code poolSize × poolSize} window of its
 * channel, windows moving by {@code strides} (by default the pool size, so they do not overlap).
 *
 * <ul>
 *   <li>inputs: {@code [batch, h, w, channels]}
 *   <li>outputs: {@code [batch, h', w', channels]}, {@code h' = ceil(h / s)} with SAME padding,
 *       {@code floor((h - poolSize) / s) + 1} with VALID (the default)
 * </ul>
 *
 * <p>Keras counterpart: {@code tf.keras.layers.MaxPool2D} (alias {@code MaxPooling2D}).
 */
public final class MaxPool2D extends ImageLayer {

  private final int poolSize;
  private final int strides;
  private final Padding padding;

  public MaxPool2D() {
    this(2);
  }

  public MaxPool2D(int poolSize) {
    this(poolSize, poolSize, Padding.VALID);
  }

  private MaxPool2D(int poolSize, int strides, Padding padding) {
    super("max_pooling2d");
    this.poolSize = Layers.positive("pool_size", poolSize);
    this.strides = Layers.positive("strides", strides);
    this.padding = padding;
  }

  public MaxPool2D strides(int strides) {
    return new MaxPool2D(poolSize, strides, padding);
  }

  public MaxPool2D padding(Padding padding) {
    return new MaxPool2D(poolSize, strides, padding);
  }

  @Override
  protected Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs) {
    Ops tf = ctx.tf();
    return tf.nn.maxPool(
        inputs,
        tf.constant(new int[] {1, poolSize, poolSize, 1}),
        tf.constant(new int[] {1, strides, strides, 1}),
        padding.attribute());
  }
}
