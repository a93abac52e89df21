package io.github.homl.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
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
 * <p>Keras counterpart: {@code tf.keras.layers.Conv2D}. One deviation in the ops, not in the
 * numbers: with a single filter the layer computes {@code sum over in of depthwise(inputs, kernel)}
 * (a depthwise convolution with the same {@code [k, k, in, 1]} kernel, then the sum over the input
 * channels) instead of one {@code Conv2D}. It is the same convolution, summed in another order (the
 * outputs agree to float rounding, about 1e-7 relative), and the same variables. TensorFlow's
 * oneDNN CPU kernels work on output channels in blocks of 16, so a {@code Conv2D} with one output
 * channel costs about as much as one with 16. In traced steps of the diffusion U-Net, whose head is
 * a {@code Conv2D(1, 3)} on 48 channels, the head's two gradient convolutions took 17% of the
 * kernel time. At the head's shapes the depthwise form takes about 40% of the CPU time forward and
 * backward, and the whole U-Net step about 4% less (see {@code docs/performance.md}).
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
    if (filters == 1) {
      // the kernel [k, k, in, 1] is also a depthwise kernel with channel multiplier 1
      Operand<TFloat32> perChannel =
          tf.nn.depthwiseConv2dNative(inputs, kernel, strideList(), padding.attribute());
      return tf.reduceSum(perChannel, tf.constant(3), ReduceSum.keepDims(true));
    }
    return tf.nn.conv2d(inputs, kernel, strideList(), padding.attribute());
  }
}
