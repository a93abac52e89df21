package io.github.homl.diffusion;

import io.github.homl.training.Workspace;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A reverse process as one {@code while} loop inside the graph ({@code Graph.whileLoop}, TF's v1
 * control flow), so a single {@code Session.run} performs every step.
 *
 * <p>A loop body is built in a graph of its own and cannot read the outer graph's tensors, so the
 * U-Net's weights enter as loop variables and pass through each iteration unchanged; the body
 * rebuilds the network from them with {@link DiffusionUnet#pure}. The body's inputs carry no static
 * shape, so it reshapes each one back to its known shape first.
 */
public final class DiffusionLoop {

  /** One reverse step x_t → x_{t−1}, given the U-Net's noise prediction ε. */
  @FunctionalInterface
  public interface Step {
    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> xt, Operand<TInt32> t, Operand<TFloat32> eps);
  }

  private DiffusionLoop() {}

  /** x_0 after {@code step} for t = tStart down to 1, starting from {@code xStart}. */
  public static Operand<TFloat32> reverseProcess(
      Workspace ws, DiffusionUnet model, int tStart, Operand<TFloat32> xStart, Step step) {
    Ops tf = ws.tf();
    List<Variable<TFloat32>> variables = model.variables();
    long[] imageShape = xStart.shape().asArray();
    Output<?>[] inputs = new Output<?>[2 + variables.size()];
    inputs[0] = tf.constant(tStart).asOutput();
    inputs[1] = xStart.asOutput();
    for (int i = 0; i < variables.size(); i++) {
      inputs[2 + i] = tf.identity(variables.get(i)).asOutput(); // read once, outside the loop
    }
    Output<?>[] outputs =
        ws.graph()
            .whileLoop(
                inputs,
                (Graph condGraph, Output<?>[] in, Output<?>[] out) -> {
                  Ops c = Ops.create(condGraph);
                  out[0] = c.math.greaterEqual(in[0].expect(TInt32.class), c.constant(1)).z();
                },
                (Graph bodyGraph, Output<?>[] in, Output<?>[] out) -> {
                  Ops b = Ops.create(bodyGraph);
                  Operand<TInt32> t = in[0].expect(TInt32.class);
                  Operand<TFloat32> xt =
                      b.reshape(in[1].expect(TFloat32.class), b.constant(imageShape));
                  List<Operand<TFloat32>> weights = new ArrayList<>();
                  for (int i = 0; i < variables.size(); i++) {
                    weights.add(
                        b.reshape(
                            in[2 + i].expect(TFloat32.class),
                            b.constant(variables.get(i).shape())));
                  }
                  Operand<TInt32> time = b.fill(b.constant(new int[] {(int) imageShape[0]}), t);
                  Operand<TFloat32> eps = model.call(model.pure(b, weights), xt, time);
                  out[0] = b.math.sub(t, b.constant(1)).asOutput();
                  out[1] = step.apply(b, xt, t, eps).asOutput();
                  System.arraycopy(
                      in, 2, out, 2, variables.size()); // weights pass through unchanged
                },
                tf.scope().makeUnique("reverse_process"));
    return outputs[1].expect(TFloat32.class);
  }
}
