package io.github.homl.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * An element-wise function: an argument of {@code Dense} ({@code new Dense(100, RELU)}) or a
 * weightless layer of its own inside a {@code Sequential} (Keras's {@code Activation("relu")} and
 * {@code LeakyReLU(0.2)} layers).
 */
@FunctionalInterface
public interface Activation extends Layer {

  Activation LINEAR = (tf, x) -> x;
  Activation RELU = (tf, x) -> tf.nn.relu(x);
  Activation SIGMOID = (tf, x) -> tf.math.sigmoid(x);
  Activation TANH = (tf, x) -> tf.math.tanh(x);

  /** Keras's {@code LeakyReLU(alpha)}: {@code x} where positive, {@code alpha * x} elsewhere. */
  static Activation leakyRelu(float alpha) {
    return (tf, x) -> tf.nn.leakyRelu(x, LeakyRelu.alpha(alpha));
  }

  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x);

  @Override
  default Operand<TFloat32> apply(CallContext ctx, Operand<TFloat32> inputs) {
    return apply(ctx.tf(), inputs);
  }

  @Override
  default List<Variable<TFloat32>> trainableVariables() {
    return List.of();
  }
}
