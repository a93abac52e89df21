package io.github.homl.training;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A moving average of a network's weights (Polyak averaging): a second network of the same
 * architecture whose every weight follows the trained one after each update, {@code w_avg ← w +
 * β_t·(w_avg - w)}. The ProGAN and StyleGAN papers show and score the average of their generator,
 * which smooths out the oscillation the adversarial game leaves in the last updates; diffusion
 * trainers sample from the average of the denoiser (DDPM: decay 0.9999), whose raw weights swing
 * from epoch to epoch.
 *
 * <p>{@code β_t = min(β, (1 + t)/(10 + t))} at the average's t-th update, as TensorFlow's {@code
 * ExponentialMovingAverage} with {@code num_updates}: the second network's own random initial
 * weights weigh {@code 0.1} after the first update and are forgotten within tens of updates, so no
 * copy is needed at the start, and a resumed run restores the average and its counter from the
 * checkpoint like any other variable.
 */
public final class WeightAverage {

  private final Workspace ws;
  private final List<Variable<TFloat32>> weights;
  private final List<Variable<TFloat32>> averages;
  private final float beta;
  private final Variable<TFloat32> updates;
  private final String name;

  /**
   * Averages {@code weights} into {@code averages}, the same network's variables built twice (same
   * architecture, same order), with decay {@code beta} (ProGAN and StyleGAN: 0.999; DDPM: 0.9999).
   * Its ops and update counter are named after {@code name} (e.g. {@code generator_average}).
   */
  public WeightAverage(
      Workspace ws,
      String name,
      List<Variable<TFloat32>> weights,
      List<Variable<TFloat32>> averages,
      float beta) {
    if (weights.size() != averages.size()) {
      throw new IllegalArgumentException(
          weights.size() + " weights but " + averages.size() + " averages");
    }
    for (int i = 0; i < weights.size(); i++) {
      if (!weights.get(i).shape().equals(averages.get(i).shape())) {
        throw new IllegalArgumentException(
            "weight "
                + weights.get(i).op().name()
                + " "
                + weights.get(i).shape()
                + " and its average "
                + averages.get(i).op().name()
                + " "
                + averages.get(i).shape()
                + " differ in shape: not the same architecture");
      }
    }
    this.ws = ws;
    this.weights = List.copyOf(weights);
    this.averages = List.copyOf(averages);
    this.beta = beta;
    this.name = name;
    Ops tf = ws.tf();
    this.updates = tf.withName(name + "_updates").variable(tf.withInitScope().constant(0f));
  }

  /**
   * {@code step} followed by one update of the average, in the same run: the average sees the
   * weights that step has just trained.
   */
  public GradientUpdate after(GradientUpdate step) {
    Ops tf = ws.tf().withSubScope(name).withControlDependencies(List.of(step.update()));
    Operand<TFloat32> t = tf.identity(updates);
    Operand<TFloat32> decay =
        tf.math.minimum(
            tf.constant(beta),
            tf.math.div(tf.math.add(tf.constant(1f), t), tf.math.add(tf.constant(10f), t)));
    List<Op> assigns = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      Operand<TFloat32> w = tf.identity(weights.get(i));
      Operand<TFloat32> average = averages.get(i);
      assigns.add(
          tf.assign(averages.get(i), tf.math.add(w, tf.math.mul(decay, tf.math.sub(average, w)))));
    }
    Op counted = tf.withControlDependencies(assigns).assignAdd(updates, tf.constant(1f));
    return step.followedBy(counted);
  }
}
