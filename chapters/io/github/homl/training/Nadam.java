package io.github.homl.training;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyAdagradV2;
import org.tensorflow.types.TFloat32;

/**
 * Nadam (Adam with Nesterov momentum) with Keras's defaults (lr 1e-3, beta_1 0.9, beta_2 0.999,
 * epsilon 1e-7) and Keras's update, step by step:
 *
 * <pre>
 * u_t = b1·(1 - 0.5·0.96^(k·t)),  u_t1 = b1·(1 - 0.5·0.96^(k·(t+1))),  P_t = u_1···u_t
 * m += (g - m)(1 - b1);  v += (g² - v)(1 - b2)
 * m̂ = u_t1·m / (1 - P_t·u_t1) + (1 - u_t)·g / (1 - P_t);  v̂ = v / (1 - b2^t)
 * w -= lr·m̂ / (sqrt(v̂) + eps)
 * </pre>
 *
 * <p>Two Keras versions differ only in {@code k}, the momentum-schedule decay: {@code new Nadam()}
 * is today's {@code tf.keras.optimizers.Nadam()} (Keras 2.11+ and Keras 3, {@code k = 1}, so the
 * momentum cache reaches 0.9 within ~100 steps); {@link #legacy()} is {@code
 * tf.keras.optimizers.legacy.Nadam()} (TF ≤ 2.10's {@code "nadam"}, {@code schedule_decay = 0.004},
 * so the cache starts at 0.45 and rises over tens of thousands of steps). The book's saved training
 * logs were produced by the legacy one (the notebook outputs date from TF 2.8).
 *
 * <p>Keras counterpart: {@code tf.keras.optimizers.Nadam()} / {@code
 * tf.keras.optimizers.legacy.Nadam()}.
 */
public final class Nadam extends KerasOptimizer {

  private static final float MOMENTUM_DECAY = 0.96f;

  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float scheduleDecay;

  private Variable<TFloat32> uProduct;
  private Operand<TFloat32> ut;
  private Operand<TFloat32> ut1;
  private Operand<TFloat32> uProductT;
  private Operand<TFloat32> mRate;
  private Operand<TFloat32> gradientRate;
  private Operand<TFloat32> epsilonHat;
  private Operand<TFloat32> zero;

  public Nadam() {
    this(1e-3f);
  }

  public Nadam(float learningRate) {
    this(learningRate, 0.9f, 0.999f, 1e-7f);
  }

  public Nadam(float learningRate, float beta1, float beta2, float epsilon) {
    this(learningRate, beta1, beta2, epsilon, 1f);
  }

  private Nadam(float learningRate, float beta1, float beta2, float epsilon, float scheduleDecay) {
    super("Nadam", learningRate);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.scheduleDecay = scheduleDecay;
  }

  /** {@code tf.keras.optimizers.legacy.Nadam()}: momentum-schedule decay 0.004, as in TF ≤ 2.10. */
  public static Nadam legacy() {
    return new Nadam(1e-3f, 0.9f, 0.999f, 1e-7f, 0.004f);
  }

  @Override
  protected void prepare(Ops tf, Operand<TFloat32> step) {
    uProduct = tf.withName("u_product").variable(tf.withInitScope().constant(1f));
    ut = momentumAt(tf, step);
    ut1 = momentumAt(tf, tf.math.add(step, tf.constant(1f)));
    uProductT = tf.math.mul(tf.identity(uProduct), ut);
    // w -= lr·m̂ / (sqrt(v̂) + eps) with v̂ = v / (1 - b2^t) is, multiplied through by
    // sqrt(1 - b2^t), w -= (a·m + b·g) / (sqrt(v) + eps·sqrt(1 - b2^t)): the per-step scalars
    // a, b and that epsilon are computed here once, and each variable's update is two fused
    // kernels (see update) instead of 15 element-wise ops, each a pass over the variable
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> lr = tf.constant(learningRate);
    Operand<TFloat32> vCorrection =
        tf.math.sqrt(tf.math.sub(one, tf.math.pow(tf.constant(beta2), step)));
    Operand<TFloat32> lrCorrected = tf.math.mul(lr, vCorrection);
    mRate =
        tf.math.div(tf.math.mul(lrCorrected, ut1), tf.math.sub(one, tf.math.mul(uProductT, ut1)));
    gradientRate =
        tf.math.div(tf.math.mul(lrCorrected, tf.math.sub(one, ut)), tf.math.sub(one, uProductT));
    epsilonHat = tf.math.mul(tf.constant(epsilon), vCorrection);
    zero = tf.constant(0f);
  }

  private Operand<TFloat32> momentumAt(Ops tf, Operand<TFloat32> step) {
    Operand<TFloat32> decay =
        tf.math.pow(tf.constant(MOMENTUM_DECAY), tf.math.mul(tf.constant(scheduleDecay), step));
    return tf.math.mul(
        tf.constant(beta1), tf.math.sub(tf.constant(1f), tf.math.mul(tf.constant(0.5f), decay)));
  }

  @Override
  protected Op update(
      Ops tf, Variable<TFloat32> variable, Operand<TFloat32> gradient, Operand<TFloat32> step) {
    Variable<TFloat32> m = slot(tf, "m", variable);
    Variable<TFloat32> v = slot(tf, "v", variable);
    // ApplyAdam with beta powers 0 (so its step size is the rate itself): m += (g - m)(1 - b1);
    // v += (g² - v)(1 - b2); w -= a·m / (sqrt(v) + eps')
    Op momentumPart =
        tf.train.applyAdam(
            variable,
            m,
            v,
            zero,
            zero,
            mRate,
            tf.constant(beta1),
            tf.constant(beta2),
            epsilonHat,
            gradient);
    // then, with the v just updated and left as is: w -= b·g / (sqrt(v) + eps')
    return tf.withControlDependencies(List.of(momentumPart))
        .train
        .applyAdagradV2(
            variable, v, gradientRate, epsilonHat, gradient, ApplyAdagradV2.updateSlots(false));
  }

  @Override
  protected List<Op> finish(Ops tf) {
    return List.of(tf.assign(uProduct, uProductT));
  }
}
