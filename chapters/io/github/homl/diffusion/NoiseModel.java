package io.github.homl.diffusion;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A noise predictor ε(x_t, t) that the in-graph samplers ({@link DiffusionLoop}) can rebuild inside
 * a loop body from its weights, since a body cannot read the outer graph's variables.
 */
public interface NoiseModel {

  /** Every variable the prediction reads, in the order {@link #eps} takes them. */
  List<Variable<TFloat32>> variables();

  /**
   * ε for {@code xt} at {@code time} ({@code [batch]}), computed by {@code tf} (of any graph) from
   * {@code weights} in {@link #variables()}' order and from {@code conditions}: the sampler's extra
   * inputs, which pass through the loop unchanged (a prompt's encoding, a guidance scale; none for
   * the book's model).
   */
  Operand<TFloat32> eps(
      Ops tf,
      List<? extends Operand<TFloat32>> weights,
      Operand<TFloat32> xt,
      Operand<TInt32> time,
      List<Operand<TFloat32>> conditions);
}
