package io.github.homl.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What Keras's {@code Conv} base holds for every 2-D convolution: filters, a square kernel,
 * strides, padding, activation, a kernel initializer and a zero bias. Subclasses give the kernel
 * shape and the op. Inputs and outputs are channels-last: {@code [batch, height, width, channels]}.
 */
abstract class BaseConv<L extends BaseConv<L>> extends ImageLayer {

  /** The arguments of a convolution; Keras's defaults are stride 1, VALID, linear, Glorot. */
  record Settings(
      int filters,
      int kernelSize,
      int strides,
      Padding padding,
      Activation activation,
      Init kernelInit) {

    Settings {
      checkArguments(filters, kernelSize, strides);
    }

    Settings(int filters, int kernelSize) {
      this(filters, kernelSize, 1, Padding.VALID, Activation.LINEAR, Init.GLOROT_UNIFORM);
    }
  }

  protected final int filters;
  protected final int kernelSize;
  protected final int strides;
  protected final Padding padding;
  private final Settings settings;

  private Operand<TFloat32> kernel;
  private Operand<TFloat32> bias;

  BaseConv(String name, Settings settings) {
    super(name);
    this.settings = settings;
    this.filters = settings.filters();
    this.kernelSize = settings.kernelSize();
    this.strides = settings.strides();
    this.padding = settings.padding();
  }

  /** The same layer with other settings (each setter returns a new layer, as a builder). */
  protected abstract L with(Settings settings);

  public L strides(int strides) {
    Settings s = settings;
    return with(
        new Settings(filters, kernelSize, strides, padding, s.activation(), s.kernelInit()));
  }

  public L padding(Padding padding) {
    Settings s = settings;
    return with(
        new Settings(filters, kernelSize, strides, padding, s.activation(), s.kernelInit()));
  }

  public L activation(Activation activation) {
    return with(
        new Settings(filters, kernelSize, strides, padding, activation, settings.kernelInit()));
  }

  public L kernelInitializer(Init init) {
    return with(new Settings(filters, kernelSize, strides, padding, settings.activation(), init));
  }

  /** Keras-style messages for the arguments every convolution shares. */
  static void checkArguments(int filters, int kernelSize, int strides) {
    Layers.positive("filters", filters);
    Layers.positive("kernel_size", kernelSize);
    Layers.positive("strides", strides);
  }

  /** The kernel's shape for {@code inChannels} input channels (Keras's layout). */
  protected abstract Shape kernelShape(long inChannels);

  /** The convolution itself, without bias or activation. */
  protected abstract Operand<TFloat32> convolve(
      Ops tf, Operand<TFloat32> inputs, Operand<TFloat32> kernel);

  @Override
  protected final void buildWeights(CallContext ctx, Shape inputShape) {
    kernel =
        addWeight(ctx, "kernel", kernelShape(lastDimension(inputShape)), settings.kernelInit());
    bias = addWeight(ctx, "bias", Shape.of(filters), Init.ZEROS);
  }

  @Override
  protected final Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs) {
    return applyWith(ctx.tf(), kernel, bias, inputs);
  }

  /**
   * This layer's computation with the given weights instead of its variables, in any graph: the
   * in-graph sampler's loop body, which cannot read the outer graph's variables, passes them in.
   */
  public final Operand<TFloat32> applyWith(
      Ops tf, Operand<TFloat32> kernel, Operand<TFloat32> bias, Operand<TFloat32> inputs) {
    return settings.activation().apply(tf, tf.nn.biasAdd(convolve(tf, inputs, kernel), bias));
  }

  protected final List<Long> strideList() {
    return List.of(1L, (long) strides, (long) strides, 1L);
  }
}
