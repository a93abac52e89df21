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
public final class Conv2D extends BaseConv {

  public Conv2D(int filters, int kernelSize) {
    this(filters, kernelSize, 1, Padding.VALID, Activation.LINEAR, Init.GLOROT_UNIFORM);
  }

  private Conv2D(int filters, int kernelSize, int strides, Padding padding, Activation activation,
      Init kernelInit) {
    super("conv2d", filters, kernelSize, strides, padding, activation, kernelInit);
  }

  public Conv2D strides(int strides) {
    return new Conv2D(filters, kernelSize, strides, padding, activation, kernelInit);
  }

  public Conv2D padding(Padding padding) {
    return new Conv2D(filters, kernelSize, strides, padding, activation, kernelInit);
  }

  public Conv2D activation(Activation activation) {
    return new Conv2D(filters, kernelSize, strides, padding, activation, kernelInit);
  }

  public Conv2D kernelInitializer(Init init) {
    return new Conv2D(filters, kernelSize, strides, padding, activation, init);
  }

  @Override
  protected Shape kernelShape(long inChannels) {
    return Shape.of(kernelSize, kernelSize, inChannels, filters);
  }

  @Override
  protected Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> inputs,
      Operand<TFloat32> kernel) {
    return tf.nn.conv2d(inputs, kernel, strideList(), padding.attribute());
  }
}
