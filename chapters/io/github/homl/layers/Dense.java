package io.github.homl.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A regular densely-connected layer: {@code outputs = activation(inputs · kernel + bias)}.
 *
 * <ul>
 *   <li>inputs: {@code [batch, inputDim]}
 *   <li>kernel: {@code [inputDim, units]} (glorot_uniform unless told), bias: {@code [units]}
 *       (zeros)
 *   <li>outputs: {@code [batch, units]}
 * </ul>
 *
 * <p>Keras counterpart: {@code tf.keras.layers.Dense}.
 */
public final class Dense extends AbstractLayer {

  private final int units;
  private final Activation activation;
  private final Init kernelInit;

  private Operand<TFloat32> kernel;
  private Operand<TFloat32> bias;

  public Dense(int units) {
    this(units, Activation.LINEAR);
  }

  public Dense(int units, Activation activation) {
    this(units, activation, Init.GLOROT_UNIFORM);
  }

  private Dense(int units, Activation activation, Init kernelInit) {
    super("dense");
    this.units = Layers.positive("units", units);
    this.activation = activation;
    this.kernelInit = kernelInit;
  }

  /** An unbuilt copy whose kernel starts from {@code init} (the book's kernel_initializer=...). */
  public Dense kernelInitializer(Init init) {
    return new Dense(units, activation, init);
  }

  @Override
  protected void build(CallContext ctx, Shape inputShape) {
    kernel = addWeight(ctx, "kernel", Shape.of(lastDimension(inputShape), units), kernelInit);
    bias = addWeight(ctx, "bias", Shape.of(units), Init.ZEROS);
  }

  @Override
  protected Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs) {
    Ops tf = ctx.tf();
    return activation.apply(tf, tf.nn.biasAdd(tf.linalg.matMul(inputs, kernel), bias));
  }

  /** The kernel's read, for a layer that ties its weights to this one. */
  public Operand<TFloat32> kernel() {
    return requireBuilt(kernel);
  }
}
