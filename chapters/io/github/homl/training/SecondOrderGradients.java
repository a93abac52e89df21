package io.github.homl.training;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.OperationAttributeInspector;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.AvgPool;
import org.tensorflow.types.TFloat32;

/**
 * The three gradients a gradient of a gradient needs in TF Java 1.1.0 and its C++ registry lacks
 * (what {@code tf.GradientTape} inside a {@code GradientTape} gets from Python's registry):
 *
 * <ul>
 *   <li>{@code OnesLike}, which the C++ gradients of {@code Sum} and {@code Mean} build for their
 *       shape arithmetic: zero, as in Python;
 *   <li>{@code SqrtGrad} ({@code dy · 0.5 / y}, the gradient of {@code Sqrt}): {@code -g · out / y}
 *       for {@code y} and {@code g · 0.5 / y} for {@code dy};
 *   <li>{@code AvgPoolGrad} (the transpose of average pooling, linear in its gradient input): the
 *       same {@code AvgPool} for the gradient input, zero for the shape.
 * </ul>
 *
 * <p>The registry is global to the JVM and holds at most 10 Java gradients in 1.1.0; {@link
 * #enable()} registers these three once. Java gradients are unavailable on Windows in 1.1.0 (TF
 * Java issue #486), so there the call fails with a message saying so.
 */
public final class SecondOrderGradients {

  private static boolean enabled;

  private SecondOrderGradients() {}

  /** Registers the three gradients, once per JVM. */
  public static synchronized void enable() {
    if (enabled) {
      return;
    }
    try {
      TensorFlow.registerCustomGradient("OnesLike", SecondOrderGradients::onesLike);
      TensorFlow.registerCustomGradient("SqrtGrad", SecondOrderGradients::sqrtGrad);
      TensorFlow.registerCustomGradient("AvgPoolGrad", SecondOrderGradients::avgPoolGrad);
    } catch (UnsupportedOperationException e) {
      throw new UnsupportedOperationException(
          "gradients of gradients (the R1 penalty) need Java gradients for OnesLike, SqrtGrad and"
              + " AvgPoolGrad, which TF Java 1.1.0 cannot register on this platform",
          e);
    }
    enabled = true;
  }

  private static List<Operand<?>> onesLike(Ops tf, GraphOperation op, List<Output<?>> grads) {
    return List.of(tf.zerosLike(op.input(0)));
  }

  private static List<Operand<?>> sqrtGrad(Ops tf, GraphOperation op, List<Output<?>> grads) {
    Operand<TFloat32> y = op.input(0).expect(TFloat32.class);
    Operand<TFloat32> out = op.output(0).expect(TFloat32.class);
    Operand<TFloat32> g = grads.get(0).expect(TFloat32.class);
    return List.of(
        tf.math.neg(tf.math.div(tf.math.mul(g, out), y)),
        tf.math.div(tf.math.mul(g, tf.constant(0.5f)), y));
  }

  private static List<Operand<?>> avgPoolGrad(Ops tf, GraphOperation op, List<Output<?>> grads) {
    OperationAttributeInspector attributes = op.attributes();
    return List.of(
        tf.zerosLike(op.input(0)),
        tf.nn.avgPool(
            grads.get(0).expect(TFloat32.class),
            boxed(attributes.getAttrIntList("ksize")),
            boxed(attributes.getAttrIntList("strides")),
            attributes.getAttrString("padding"),
            AvgPool.dataFormat(attributes.getAttrString("data_format"))));
  }

  private static List<Long> boxed(long[] values) {
    return Arrays.stream(values).boxed().toList();
  }
}
