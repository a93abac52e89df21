package io.github.homl.training;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adam with Keras's defaults (lr 1e-3, beta_1 0.9, beta_2 0.999, epsilon 1e-7) and its update:
 * {@code m += (g - m)(1 - b1); v += (g² - v)(1 - b2); w -= lr·sqrt(1 - b2^t)/(1 - b1^t) · m /
 * (sqrt(v) + eps)}, through the fused {@code ApplyAdam} op with beta powers computed from the step.
 *
 * <p>Keras counterpart: {@code tf.keras.optimizers.Adam()}.
 */
public final class Adam extends KerasOptimizer {

  private final float beta1;
  private final float beta2;
  private final float epsilon;

  public Adam() {
    this(1e-3f);
  }

  public Adam(float learningRate) {
    this(learningRate, 0.9f, 0.999f, 1e-7f);
  }

  public Adam(float learningRate, float beta1, float beta2, float epsilon) {
    super("Adam", learningRate);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  @Override
  protected Op update(
      Ops tf, Variable<TFloat32> variable, Operand<TFloat32> gradient, Operand<TFloat32> step) {
    Variable<TFloat32> m = slot(tf, "m", variable);
    Variable<TFloat32> v = slot(tf, "v", variable);
    Operand<TFloat32> beta1Power = tf.math.pow(tf.constant(beta1), step);
    Operand<TFloat32> beta2Power = tf.math.pow(tf.constant(beta2), step);
    return tf.train.applyAdam(
        variable,
        m,
        v,
        beta1Power,
        beta2Power,
        tf.constant(learningRate),
        tf.constant(beta1),
        tf.constant(beta2),
        tf.constant(epsilon),
        gradient);
  }
}
