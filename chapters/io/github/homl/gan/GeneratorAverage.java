package io.github.homl.gan;

import io.github.homl.training.TrainStep;
import io.github.homl.training.Workspace;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A moving average of a generator's weights, the generator that the ProGAN and StyleGAN papers show
 * and score: a second generator of the same architecture whose every weight follows the trained one
 * after each generator update, {@code w_avg ← w + β_t·(w_avg - w)}. It smooths out the oscillation
 * of the last updates that a GAN's adversarial game leaves in the trained weights.
 *
 * <p>{@code β_t = min(β, (1 + t)/(10 + t))} at the average's t-th update, as TensorFlow's {@code
 * ExponentialMovingAverage} with {@code num_updates}: the second generator's own random initial
 * weights weigh {@code 0.1} after the first update and are forgotten within tens of updates, so no
 * copy is needed at the start, and a resumed run restores the average and its counter from the
 * checkpoint like any other variable.
 */
public final class GeneratorAverage {

  private final Workspace ws;
  private final List<Variable<TFloat32>> weights;
  private final List<Variable<TFloat32>> averages;
  private final float beta;
  private final Variable<TFloat32> updates;

  /**
   * Averages {@code weights} into {@code averages}, the same generator's variables built twice
   * (same architecture, same order), with decay {@code beta} (the papers: 0.999).
   */
  public GeneratorAverage(
      Workspace ws,
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
    Ops tf = ws.tf();
    this.updates =
        tf.withName("generator_average_updates").variable(tf.withInitScope().constant(0f));
  }

  /**
   * {@code generatorStep} followed by one update of the average, in the same run: the average sees
   * the weights that step has just trained.
   */
  public TrainStep after(TrainStep generatorStep) {
    Ops tf =
        ws.tf()
            .withSubScope("generator_average")
            .withControlDependencies(List.of(generatorStep.update()));
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
    return generatorStep.followedBy(counted);
  }
}
