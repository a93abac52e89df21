package io.github.homl.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A 2-D convolution: {@code outputs = activation(conv2d(inputs, kernel) + bias)}.
 *
 * <ul>
 *   <li>inputs: {@code [batch, h, w, in]}
 *   <li>kernel: {@code [k, k, in, filters]}, bias: {@code [filters]}
 *   <li>outputs: {@code [batch, h', w', filters]}, {@code h' = ceil(h / s)} with SAME padding,
 *       {@code ceil((h - k + 1) / s)} with VALID
 * </ul>
 *
 * <p>Keras counterpart: {@code tf.keras.layers.Conv2D}.
 */
public final class Conv2D extends BaseConv<Conv2D> {

  public Conv2D(int filters, int kernelSize) {
    this(new Settings(filters, kernelSize));
  }

  private Conv2D(Settings settings) {
    super("conv2d", settings);
  }

  @Override
  protected Conv2D with(Settings settings) {
    return new Conv2D(settings);
  }

  @Override
  protected Shape kernelShape(long inChannels) {
    return Shape.of(kernelSize, kernelSize, inChannels, filters);
  }

  @Override
  protected Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> inputs, Operand<TFloat32> kernel) {
    return tf.nn.conv2d(inputs, kernel, strideList(), padding.attribute());
  }
}
