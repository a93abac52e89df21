package io.github.homl.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A dense layer with ProGAN's equalized learning rate: the kernel is stored as N(0, 1) values and
 * scaled at every call by the He constant, {@code outputs = activation(inputs · (kernel · c) +
 * bias)} with {@code c = sqrt(2 / fanIn)}, so Adam or RMSProp move every weight at the same
 * relative speed (Karras et al. 2018, §4.1).
 *
 * <ul>
 *   <li>inputs: {@code [batch, inputDim]}
 *   <li>kernel: {@code [inputDim, units]} (N(0, 1)), bias: {@code [units]} (zeros)
 *   <li>outputs: {@code [batch, units]}
 * </ul>
 *
 * <p>Keras counterpart: none (a {@code Dense} whose kernel is multiplied by {@code c} in {@code
 * call}); at initialisation it computes what a he_normal {@code Dense} computes.
 *
 * @see io.github.homl.chapter17.ProgressiveGan
 */
public final class EqualizedDense extends AbstractLayer {

  private final int units;
  private final Activation activation;

  private Operand<TFloat32> kernel;
  private Operand<TFloat32> bias;
  private float scale;

  public EqualizedDense(int units) {
    this(units, Activation.LINEAR);
  }

  public EqualizedDense(int units, Activation activation) {
    super("equalized_dense");
    this.units = Layers.positive("units", units);
    this.activation = activation;
  }

  @Override
  protected void build(CallContext ctx, Shape inputShape) {
    long fanIn = lastDimension(inputShape);
    kernel = addWeight(ctx, "kernel", Shape.of(fanIn, units), Init.STANDARD_NORMAL);
    bias = addWeight(ctx, "bias", Shape.of(units), Init.ZEROS);
    scale = heConstant(fanIn);
  }

  @Override
  protected Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs) {
    Ops tf = ctx.tf();
    Operand<TFloat32> scaledKernel = tf.math.mul(kernel, tf.constant(scale)); // at run time
    return activation.apply(tf, tf.nn.biasAdd(tf.linalg.matMul(inputs, scaledKernel), bias));
  }

  /** The run-time scale {@code c}, known once the layer is built. */
  public float scale() {
    requireBuilt(kernel);
    return scale;
  }

  /** He's constant {@code sqrt(2 / fanIn)}: the stddev of he_normal for that fan-in. */
  static float heConstant(long fanIn) {
    return (float) Math.sqrt(2.0 / fanIn);
  }
}
