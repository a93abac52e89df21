package io.github.homl.layers;

import org.tensorflow.Operand;
import org.tensorflow.Operation;
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
 * <p>Keras counterpart: {@code tf.keras.layers.MaxPool2D} (alias {@code MaxPooling2D}). Built as
 * TensorFlow's {@code MaxPool} op, as Keras builds it, not the {@code MaxPoolV2} of TF Java's
 * {@code tf.nn.maxPool}: the gradient of {@code MaxPoolV2} has no oneDNN kernel, and took 12% of
 * the diffusion U-Net's training step ({@code docs/performance.md}).
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
    Operation pool =
        tf.scope()
            .opBuilder("MaxPool", "MaxPool")
            .addInput(inputs.asOutput())
            .setAttr("ksize", new long[] {1, poolSize, poolSize, 1})
            .setAttr("strides", new long[] {1, strides, strides, 1})
            .setAttr("padding", padding.attribute())
            .build();
    return pool.<TFloat32>output(0);
  }
}
