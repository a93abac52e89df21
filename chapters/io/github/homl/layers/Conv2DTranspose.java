package io.github.homl.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A transposed convolution (the gradient of a convolution with respect to its input), which
 * upsamples: {@code outputs = activation(conv2dTranspose(inputs, kernel) + bias)}.
 *
 * <ul>
 *   <li>inputs: {@code [batch, h, w, in]}
 *   <li>kernel: {@code [k, k, filters, in]} (Keras's layout), bias: {@code [filters]}
 *   <li>outputs: {@code [batch, h·s, w·s, filters]} with SAME padding, {@code [batch, h·s + max(k -
 *       s, 0), ...]} with VALID (so 7×7 → 14×14 with SAME, stride 2; 3×3 → 7×7 with VALID, k = 3,
 *       stride 2)
 * </ul>
 *
 * <p>Keras counterpart: {@code tf.keras.layers.Conv2DTranspose}.
 */
public final class Conv2DTranspose extends BaseConv<Conv2DTranspose> {

  public Conv2DTranspose(int filters, int kernelSize) {
    this(new Settings(filters, kernelSize));
  }

  private Conv2DTranspose(Settings settings) {
    super("conv2d_transpose", settings);
  }

  @Override
  protected Conv2DTranspose with(Settings settings) {
    return new Conv2DTranspose(settings);
  }

  @Override
  protected Shape kernelShape(long inChannels) {
    return Shape.of(kernelSize, kernelSize, filters, inChannels);
  }

  /** Keras's {@code deconv_output_length}. */
  private long outputLength(long inputLength) {
    return padding == Padding.SAME
        ? inputLength * strides
        : inputLength * strides + Math.max(kernelSize - strides, 0);
  }

  @Override
  protected Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> inputs, Operand<TFloat32> kernel) {
    Shape in = inputs.shape();
    Operand<TInt32> batch =
        tf.slice(tf.shape(inputs), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    Operand<TInt32> outputShape =
        tf.concat(
            List.of(
                batch,
                tf.constant(
                    new int[] {
                      (int) outputLength(in.get(1)), (int) outputLength(in.get(2)), filters
                    })),
            tf.constant(0)); // [batch, h', w', filters]
    return tf.nn.conv2dBackpropInput(
        outputShape, kernel, inputs, strideList(), padding.attribute());
  }
}
