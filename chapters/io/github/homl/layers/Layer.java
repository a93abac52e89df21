package io.github.homl.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Turns one float tensor into another, creating its weights on first use. {@code apply} plays the
 * role of Keras's {@code layer(x)}: it only adds ops to the graph and may be called once per path
 * (training and inference) on the same weights.
 */
public interface Layer extends Trainable {

  Operand<TFloat32> apply(CallContext ctx, Operand<TFloat32> inputs);

  /** State that no optimizer changes, such as BatchNormalization's moving statistics. */
  default List<Variable<TFloat32>> nonTrainableVariables() {
    return List.of();
  }
}
