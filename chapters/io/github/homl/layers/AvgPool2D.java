package io.github.homl.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Average pooling over non-overlapping {@code poolSize × poolSize} windows (strides = pool size,
 * {@code valid} padding): each output pixel is the mean of its window.
 *
 * <ul>
 *   <li>inputs: {@code [batch, h, w, channels]}
 *   <li>outputs: {@code [batch, floor(h / poolSize), floor(w / poolSize), channels]}
 * </ul>
 *
 * <p>Keras counterpart: {@code tf.keras.layers.AvgPool2D(pool_size)} (alias {@code
 * AveragePooling2D}).
 */
public final class AvgPool2D extends ImageLayer {

  private final int poolSize;

  public AvgPool2D() {
    this(2);
  }

  public AvgPool2D(int poolSize) {
    super("average_pooling2d");
    this.poolSize = Layers.positive("pool_size", poolSize);
  }

  @Override
  protected Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs) {
    Ops tf = ctx.tf();
    List<Long> window = List.of(1L, (long) poolSize, (long) poolSize, 1L);
    return tf.nn.avgPool(inputs, window, window, "VALID");
  }
}
