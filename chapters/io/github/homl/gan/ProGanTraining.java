package io.github.homl.gan;

import io.github.homl.data.Vectors;
import io.github.homl.training.Adam;
import io.github.homl.training.KerasOptimizer;
import io.github.homl.training.Workspace;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** What the progressive GAN and the StyleGAN-style generator train with besides their networks. */
public final class ProGanTraining {

  private ProGanTraining() {}

  /** The paper's Adam: lr 1e-3, β1 = 0, β2 = 0.99, ε = 1e-8. */
  public static KerasOptimizer adam() {
    return new Adam(1e-3f, 0f, 0.99f, 1e-8f);
  }

  /** Runs {@code target} once (an assign op), with no feeds and no fetches. */
  public static void runTarget(Workspace ws, Op target) {
    ws.session().runner().addTarget(target).run().close();
  }

  /**
   * {@code count} codings of {@code size} drawn once in Java, as a constant {@code [count, size]}.
   */
  public static Operand<TFloat32> fixedCodings(Ops tf, Random random, int count, int size) {
    return constant(tf, Vectors.gaussian(random, count, size).values(), count, size);
  }

  private static Operand<TFloat32> constant(Ops tf, float[] values, long... dims) {
    return tf.constant(Shape.of(dims), DataBuffers.of(values, true, false));
  }
}
