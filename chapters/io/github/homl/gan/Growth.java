package io.github.homl.gan;

import io.github.homl.layers.Trainable;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** What the growing networks share: the fade-in's blend and the variables a stage trains. */
public final class Growth {

  private Growth() {}

  /** {@code old + alpha·(young - old)}: α = 0 is the old path, α = 1 the new one. */
  public static Operand<TFloat32> lerp(
      Ops tf, Operand<TFloat32> old, Operand<TFloat32> young, Operand<TFloat32> alpha) {
    return tf.math.add(old, tf.math.mul(alpha, tf.math.sub(young, old)));
  }

  /**
   * What trains at {@code stage} (in a generator and the discriminator alike): {@code first}, the
   * blocks up to the stage, and the RGB layers of the stage and (for the fade-in) the one before.
   */
  static List<Variable<TFloat32>> stageVariables(
      List<Variable<TFloat32>> first,
      List<? extends Trainable> blocks,
      List<? extends Trainable> rgb,
      int stage) {
    List<Variable<TFloat32>> variables = new ArrayList<>(first);
    for (int s = 0; s <= stage; s++) {
      variables.addAll(blocks.get(s).trainableVariables());
    }
    if (stage > 0) {
      variables.addAll(rgb.get(stage - 1).trainableVariables());
    }
    variables.addAll(rgb.get(stage).trainableVariables());
    return List.copyOf(variables);
  }
}
