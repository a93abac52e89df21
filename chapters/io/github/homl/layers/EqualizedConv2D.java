package io.github.homl.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A stride-1 2-D convolution with ProGAN's equalized learning rate: the kernel is stored as N(0, 1)
 * values and scaled at every call by the He constant, {@code outputs = activation(conv2d(inputs,
 * kernel · c) + bias)} with {@code c = sqrt(2 / fanIn)} and {@code fanIn = k·k·in}.
 *
 * <ul>
 *   <li>inputs: {@code [batch, h, w, in]}
 *   <li>kernel: {@code [k, k, in, filters]} (N(0, 1)), bias: {@code [filters]} (zeros)
 *   <li>outputs: {@code [batch, h, w, filters]} with SAME padding, {@code [batch, h - k + 1, w - k
 *       + 1, filters]} with VALID
 * </ul>
 *
 * <p>Keras counterpart: none (a {@code Conv2D} whose kernel is multiplied by {@code c} in {@code
 * call}). ProGAN and StyleGAN only use stride 1 (they resample with separate layers), so there is
 * no {@code strides} option.
 *
 * @see EqualizedDense
 */
public final class EqualizedConv2D extends ImageLayer {

  private static final List<Long> STRIDE_1 = List.of(1L, 1L, 1L, 1L);

  private final int filters;
  private final int kernelSize;
  private final Padding padding;
  private final Activation activation;

  private Operand<TFloat32> kernel;
  private Operand<TFloat32> bias;
  private float scale;

  public EqualizedConv2D(int filters, int kernelSize) {
    this(filters, kernelSize, Padding.VALID, Activation.LINEAR);
  }

  private EqualizedConv2D(int filters, int kernelSize, Padding padding, Activation activation) {
    super("equalized_conv2d");
    this.filters = Layers.positive("filters", filters);
    this.kernelSize = Layers.positive("kernel_size", kernelSize);
    this.padding = padding;
    this.activation = activation;
  }

  public EqualizedConv2D padding(Padding padding) {
    return new EqualizedConv2D(filters, kernelSize, padding, activation);
  }

  public EqualizedConv2D activation(Activation activation) {
    return new EqualizedConv2D(filters, kernelSize, padding, activation);
  }

  @Override
  protected void buildWeights(CallContext ctx, Shape inputShape) {
    long inChannels = lastDimension(inputShape);
    kernel =
        addWeight(
            ctx,
            "kernel",
            Shape.of(kernelSize, kernelSize, inChannels, filters),
            Init.STANDARD_NORMAL);
    bias = addWeight(ctx, "bias", Shape.of(filters), Init.ZEROS);
    scale = EqualizedDense.heConstant((long) kernelSize * kernelSize * inChannels);
  }

  @Override
  protected Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs) {
    Ops tf = ctx.tf();
    Operand<TFloat32> scaledKernel = tf.math.mul(kernel, tf.constant(scale)); // at run time
    return activation.apply(
        tf, tf.nn.biasAdd(tf.nn.conv2d(inputs, scaledKernel, STRIDE_1, padding.attribute()), bias));
  }

  /** The run-time scale {@code c}, known once the layer is built. */
  public float scale() {
    requireBuilt(kernel);
    return scale;
  }
}
