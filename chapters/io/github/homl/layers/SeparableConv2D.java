package io.github.homl.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A depthwise separable 2-D convolution: each input channel is convolved with its own {@code k × k}
 * filter, then a 1×1 convolution mixes the channels: {@code outputs = activation(conv1x1(
 * depthwise(inputs, depthwiseKernel), pointwiseKernel) + bias)}. It needs far fewer weights than a
 * {@link Conv2D} ({@code k·k·in + in·filters} instead of {@code k·k·in·filters}).
 *
 * <ul>
 *   <li>inputs: {@code [batch, h, w, in]}
 *   <li>depthwise_kernel: {@code [k, k, in, 1]}, pointwise_kernel: {@code [1, 1, in, filters]}
 *       (both glorot_uniform), bias: {@code [filters]} (zeros)
 *   <li>outputs: {@code [batch, h', w', filters]}, sized as {@link Conv2D}'s
 * </ul>
 *
 * <p>Keras counterpart: {@code tf.keras.layers.SeparableConv2D} with {@code depth_multiplier=1}. It
 * does not extend {@code BaseConv}, which holds a single kernel.
 */
public final class SeparableConv2D extends ImageLayer {

  private final int filters;
  private final int kernelSize;
  private final int strides;
  private final Padding padding;
  private final Activation activation;

  private Operand<TFloat32> depthwiseKernel;
  private Operand<TFloat32> pointwiseKernel;
  private Operand<TFloat32> bias;

  public SeparableConv2D(int filters, int kernelSize) {
    this(filters, kernelSize, 1, Padding.VALID, Activation.LINEAR);
  }

  private SeparableConv2D(
      int filters, int kernelSize, int strides, Padding padding, Activation activation) {
    super("separable_conv2d");
    BaseConv.checkArguments(filters, kernelSize, strides);
    this.filters = filters;
    this.kernelSize = kernelSize;
    this.strides = strides;
    this.padding = padding;
    this.activation = activation;
  }

  public SeparableConv2D strides(int strides) {
    return new SeparableConv2D(filters, kernelSize, strides, padding, activation);
  }

  public SeparableConv2D padding(Padding padding) {
    return new SeparableConv2D(filters, kernelSize, strides, padding, activation);
  }

  public SeparableConv2D activation(Activation activation) {
    return new SeparableConv2D(filters, kernelSize, strides, padding, activation);
  }

  @Override
  protected void buildWeights(CallContext ctx, Shape inputShape) {
    long in = lastDimension(inputShape);
    depthwiseKernel =
        addWeight(
            ctx, "depthwise_kernel", Shape.of(kernelSize, kernelSize, in, 1), Init.GLOROT_UNIFORM);
    pointwiseKernel =
        addWeight(ctx, "pointwise_kernel", Shape.of(1, 1, in, filters), Init.GLOROT_UNIFORM);
    bias = addWeight(ctx, "bias", Shape.of(filters), Init.ZEROS);
  }

  @Override
  protected Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs) {
    Ops tf = ctx.tf();
    List<Long> stride = List.of(1L, (long) strides, (long) strides, 1L);
    Operand<TFloat32> depthwise =
        tf.nn.depthwiseConv2dNative(inputs, depthwiseKernel, stride, padding.attribute());
    Operand<TFloat32> pointwise =
        tf.nn.conv2d(depthwise, pointwiseKernel, List.of(1L, 1L, 1L, 1L), "VALID");
    return activation.apply(tf, tf.nn.biasAdd(pointwise, bias));
  }
}
