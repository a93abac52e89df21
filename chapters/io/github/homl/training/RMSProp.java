package io.github.homl.training;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * RMSprop with Keras's defaults (lr 1e-3, rho 0.9, momentum 0, epsilon 1e-7) and its update: {@code
 * a = rho·a + (1 - rho)·g²; w -= lr·g / sqrt(a + eps)}, with the accumulator starting at 0 as in
 * Keras (the framework's starts at 1), through the fused {@code ApplyRMSProp} op.
 *
 * <p>Keras counterpart: {@code tf.keras.optimizers.RMSprop()} (the book's {@code "rmsprop"}).
 */
public final class RMSProp extends KerasOptimizer {

  private final float rho;
  private final float epsilon;

  public RMSProp() {
    this(1e-3f);
  }

  public RMSProp(float learningRate) {
    this(learningRate, 0.9f, 1e-7f);
  }

  public RMSProp(float learningRate, float rho, float epsilon) {
    super("RMSprop", learningRate);
    this.rho = rho;
    this.epsilon = epsilon;
  }

  @Override
  protected Op update(
      Ops tf, Variable<TFloat32> variable, Operand<TFloat32> gradient, Operand<TFloat32> step) {
    Variable<TFloat32> velocity = slot(tf, "velocity", variable);
    Variable<TFloat32> momentum = slot(tf, "momentum", variable);
    return tf.train.applyRmsProp(
        variable,
        velocity,
        momentum,
        tf.constant(learningRate),
        tf.constant(rho),
        tf.constant(0f),
        tf.constant(epsilon),
        gradient);
  }
}
