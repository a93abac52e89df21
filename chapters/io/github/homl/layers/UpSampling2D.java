package io.github.homl.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Repeats every pixel {@code size × size} times (nearest-neighbour upsampling): {@code outputs[b,
 * i, j, c] = inputs[b, i / size, j / size, c]}.
 *
 * <ul>
 *   <li>inputs: {@code [batch, h, w, channels]}, with {@code h} and {@code w} known
 *   <li>outputs: {@code [batch, h·size, w·size, channels]}
 * </ul>
 *
 * <p>Keras counterpart: {@code tf.keras.layers.UpSampling2D(size)} with its default {@code
 * interpolation="nearest"}.
 */
public final class UpSampling2D extends AbstractLayer {

  private final int size;

  public UpSampling2D() {
    this(2);
  }

  public UpSampling2D(int size) {
    super("up_sampling2d");
    this.size = Layers.positive("size", size);
  }

  @Override
  protected void build(CallContext ctx, Shape inputShape) {
    if (inputShape.numDimensions() != 4 || inputShape.get(1) < 0 || inputShape.get(2) < 0) {
      throw new IllegalArgumentException(
          "UpSampling2D expects [batch, height, width, channels] inputs with known height and "
              + "width, got "
              + inputShape);
    }
  }

  @Override
  protected Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs) {
    Ops tf = ctx.tf();
    Shape shape = inputs.shape();
    return tf.image.resizeNearestNeighbor(
        inputs, tf.constant(new int[] {(int) shape.get(1) * size, (int) shape.get(2) * size}));
  }
}
