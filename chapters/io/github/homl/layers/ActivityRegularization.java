package io.github.homl.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Passes its input through unchanged and adds an L1 activity penalty to the loss: {@code l1 *
 * sum(|x|) / batchSize}, the per-example sum of absolute activations averaged over the batch. Keras
 * 2 divides every activity-regularizer loss by the batch size; so do we. The penalty is added on
 * both paths, so the validation loss includes it, as in Keras.
 *
 * <p>Keras counterpart: {@code tf.keras.layers.ActivityRegularization(l1=...)}.
 */
public final class ActivityRegularization extends AbstractLayer {

  private final float l1;

  public ActivityRegularization(float l1) {
    super("activity_regularization");
    this.l1 = Layers.nonNegative("l1", l1);
  }

  @Override
  protected Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs) {
    Ops tf = ctx.tf();
    Operand<TFloat32> sumAbs = tf.reduceSum(tf.math.abs(inputs), Layers.allAxes(tf, inputs));
    ctx.addLoss(tf.math.div(tf.math.mul(tf.constant(l1), sumAbs), Layers.batchSize(tf, inputs)));
    return inputs;
  }
}
