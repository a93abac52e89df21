package io.github.homl.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/**
 * Normalizes each channel (last axis), then scales by {@code gamma} and shifts by {@code beta}:
 * {@code y = gamma · (x - mean) / sqrt(var + epsilon) + beta}.
 *
 * <ul>
 *   <li>training: {@code mean}/{@code var} are the batch moments, and the moving statistics move by
 *       {@code moving -= (moving - batch) · (1 - momentum)} as control dependencies of the output,
 *       so running the train op updates them;
 *   <li>inference: the moving statistics are used.
 * </ul>
 *
 * <p>Keras 2 defaults: momentum 0.99, epsilon 1e-3. For 4-D inputs Keras uses the fused kernel,
 * whose batch variance for the moving average is the unbiased one (n / (n - 1)); for 2-D inputs it
 * uses the biased variance. We do the same. Weights: gamma (ones), beta (zeros) trainable;
 * moving_mean (zeros), moving_variance (ones) non-trainable.
 *
 * <p>Keras counterpart: {@code tf.keras.layers.BatchNormalization}.
 */
public final class BatchNormalization extends AbstractLayer {

  private final float momentum;
  private final float epsilon;

  private Operand<TFloat32> gamma;
  private Operand<TFloat32> beta;
  private Variable<TFloat32> movingMean;
  private Variable<TFloat32> movingVariance;

  public BatchNormalization() {
    this(0.99f, 1e-3f);
  }

  public BatchNormalization(float momentum, float epsilon) {
    super("batch_normalization");
    if (!(momentum >= 0f && momentum <= 1f)) {
      throw new IllegalArgumentException("momentum must be in [0, 1], got " + momentum);
    }
    if (!(epsilon > 0f)) {
      throw new IllegalArgumentException("epsilon must be positive, got " + epsilon);
    }
    this.momentum = momentum;
    this.epsilon = epsilon;
  }

  @Override
  protected void build(CallContext ctx, Shape inputShape) {
    Shape channels = Shape.of(lastDimension(inputShape));
    gamma = addWeight(ctx, "gamma", channels, Init.ONES);
    beta = addWeight(ctx, "beta", channels, Init.ZEROS);
    movingMean = addState(ctx, "moving_mean", channels, Init.ZEROS);
    movingVariance = addState(ctx, "moving_variance", channels, Init.ONES);
  }

  @Override
  protected Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs) {
    Ops tf = ctx.tf();
    boolean fourD = inputs.shape().numDimensions() == 4;
    Operand<TFloat32> x = fourD ? inputs : asImage(tf, inputs);
    if (!ctx.training()) {
      FusedBatchNorm<TFloat32, TFloat32> normalized =
          tf.nn.fusedBatchNorm(
              x,
              gamma,
              beta,
              tf.identity(movingMean),
              tf.identity(movingVariance),
              FusedBatchNorm.epsilon(epsilon),
              FusedBatchNorm.isTraining(false));
      return fourD ? normalized.y() : tf.reshape(normalized.y(), tf.shape(inputs));
    }
    Operand<TFloat32> empty = tf.constant(new float[0]);
    FusedBatchNorm<TFloat32, TFloat32> normalized =
        tf.nn.fusedBatchNorm(
            x,
            gamma,
            beta,
            empty,
            empty,
            FusedBatchNorm.epsilon(epsilon),
            FusedBatchNorm.isTraining(true));
    Operand<TFloat32> batchVariance = normalized.batchVariance(); // unbiased, as Keras's fused path
    if (!fourD) {
      // Keras's non-fused path updates the moving variance with the biased batch variance
      Operand<TFloat32> n =
          tf.dtypes.cast(
              tf.slice(tf.shape(inputs), tf.constant(new int[] {0}), tf.constant(new int[] {1})),
              TFloat32.class);
      batchVariance = tf.math.mul(batchVariance, tf.math.div(tf.math.sub(n, tf.constant(1f)), n));
    }
    List<Op> updates =
        List.of(
            movingAverage(tf, movingMean, normalized.batchMean()),
            movingAverage(tf, movingVariance, batchVariance));
    Operand<TFloat32> y = fourD ? normalized.y() : tf.reshape(normalized.y(), tf.shape(inputs));
    return tf.withControlDependencies(updates).identity(y);
  }

  private Op movingAverage(Ops tf, Variable<TFloat32> moving, Operand<TFloat32> batchValue) {
    Operand<TFloat32> value = tf.stopGradient(batchValue);
    return tf.assignSub(
        moving, tf.math.mul(tf.math.sub(moving, value), tf.constant(1f - momentum)));
  }

  /** {@code [batch, channels] -> [batch, 1, 1, channels]} for the fused kernel. */
  private static Operand<TFloat32> asImage(Ops tf, Operand<TFloat32> inputs) {
    if (inputs.shape().numDimensions() != 2) {
      throw new IllegalArgumentException(
          "BatchNormalization expects 2-D or 4-D inputs, got shape " + inputs.shape());
    }
    return tf.reshape(inputs, tf.constant(new long[] {-1, 1, 1, inputs.shape().get(1)}));
  }
}
