package io.github.homl.diffusion;

import io.github.homl.saving.SavedModels;
import io.github.homl.training.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
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

  /**
   * After each DDIM step: x_prev replaced by a function of itself, t_prev and the conditions (the
   * known region of an inpainting).
   */
  @FunctionalInterface
  public interface Blend {
    Operand<TFloat32> apply(
        Ops tf, Operand<TFloat32> xPrev, Operand<TInt32> tPrev, List<Operand<TFloat32>> conditions);
  }

  /** x_0 after {@code step} for t = tStart down to 1, starting from {@code xStart}. */
  public static Operand<TFloat32> reverseProcess(
      Workspace ws, NoiseModel model, int tStart, Operand<TFloat32> xStart, Step step) {
    Ops tf = ws.tf();
    long[] imageShape = xStart.shape().asArray();
    Output<?>[] heads = {tf.constant(tStart).asOutput(), xStart.asOutput()};
    return loop(
        ws,
        model,
        heads,
        List.of(),
        (c, in) -> c.math.greaterEqual(in[0].expect(TInt32.class), c.constant(1)),
        (b, in, out, unet) -> {
          Operand<TInt32> t = in[0].expect(TInt32.class);
          Operand<TFloat32> xt = b.reshape(in[1].expect(TFloat32.class), b.constant(imageShape));
          out[0] = b.math.sub(t, b.constant(1)).asOutput();
          out[1] = step.apply(b, xt, t, unet.eps(b, xt, t)).asOutput();
        },
        "reverse_process")[1]
        .expect(TFloat32.class);
  }

  /**
   * DDIM (η = 0) from {@code xStart} ({@code [-1, 28, 28, 1]}, any batch) in {@code steps} U-Net
   * calls, inside the graph, at the time steps of {@link ReverseStep#ddimTime} and with its step,
   * as the host sampler runs them, so Python gets the Java sampler's images in one call.
   */
  public static Operand<TFloat32> ddim(
      Workspace ws,
      NoiseModel model,
      Schedule schedule,
      Operand<TFloat32> xStart,
      Operand<TInt32> steps) {
    return ddim(ws, model, schedule, xStart, steps, 1f, List.of(), (b, x, t, c) -> x);
  }

  /**
   * DDIM as {@link #ddim(Workspace, NoiseModel, Schedule, Operand, Operand)} from {@code xStart} of
   * any shape {@code [-1, ...]} known but for the batch, with {@code conditions} handed to the
   * model and {@code blend} applied after every step.
   */
  public static Operand<TFloat32> ddim(
      Workspace ws,
      NoiseModel model,
      Schedule schedule,
      Operand<TFloat32> xStart,
      Operand<TInt32> steps,
      float clip,
      List<Operand<TFloat32>> conditions,
      Blend blend) {
    Ops tf = ws.tf();
    long[] shape = xStart.shape().asArray();
    shape[0] = -1;
    Output<?>[] heads = {tf.constant(0).asOutput(), steps.asOutput(), xStart.asOutput()};
    int T = schedule.T();
    Operand<TFloat32> images =
        loop(
            ws,
            model,
            heads,
            conditions,
            (c, in) -> c.math.less(in[0].expect(TInt32.class), in[1].expect(TInt32.class)),
            (b, in, out, unet) -> {
              Operand<TInt32> i = in[0].expect(TInt32.class);
              Operand<TInt32> n = in[1].expect(TInt32.class);
              Operand<TFloat32> xt = b.reshape(in[2].expect(TFloat32.class), b.constant(shape));
              Operand<TInt32> next = b.math.add(i, b.constant(1));
              Operand<TInt32> t = ReverseStep.ddimTime(b, T, i, n);
              Operand<TInt32> tPrev = // the last step lands on ᾱ_0 = 1
                  b.select(
                      b.math.less(next, n), ReverseStep.ddimTime(b, T, next, n), b.constant(0));
              out[0] = next.asOutput();
              out[1] = n.asOutput();
              Operand<TFloat32> xPrev =
                  ReverseStep.ddim(
                      b,
                      xt,
                      unet.eps(b, xt, t),
                      ReverseStep.alphaCumprod(b, schedule, t),
                      ReverseStep.alphaCumprod(b, schedule, tPrev),
                      clip,
                      0, // deterministic
                      null);
              out[2] = blend.apply(b, xPrev, tPrev, unet.conditions()).asOutput();
            },
            "ddim")[2]
            .expect(TFloat32.class);
    return tf.reshape(images, tf.constant(shape)); // loop outputs lack shapes
  }

  /**
   * {@code sample}: {@code noise} float32 {@code [-1, 28, 28, 1]} (x_T) and {@code steps} int32 (a
   * scalar, 1 to T − 1) → {@code images} in [-1, 1] by {@link #ddim}: a complete DDIM sampler in
   * one call, for Python.
   */
  public static Signature sampleSignature(Workspace ws, DiffusionUnet model, Schedule schedule) {
    Placeholder<TFloat32> noise = SavedModels.floatInput(ws, "noise", -1, 28, 28, 1);
    Placeholder<TInt32> steps = SavedModels.intInput(ws, "steps");
    return SavedModels.signature(
        ws,
        "sample",
        Map.of("noise", noise, "steps", steps),
        "images",
        ddim(ws, model, schedule, noise, steps));
  }

  /** The loop's condition on its head variables. */
  private interface Condition {
    Operand<TBool> test(Ops c, Output<?>[] heads);
  }

  /** The U-Net inside a loop body: ε for images x_t at time step t (one t for the batch). */
  private interface Unet {
    Operand<TFloat32> eps(Ops b, Operand<TFloat32> xt, Operand<TInt32> t);

    /** The conditions, read inside the body. */
    List<Operand<TFloat32>> conditions();
  }

  /** One iteration: sets the new head variables {@code out} from {@code in}. */
  private interface Body {
    void apply(Ops b, Output<?>[] in, Output<?>[] out, Unet unet);
  }

  /**
   * A while loop over {@code heads} (counters and images) followed by the U-Net's weights and the
   * conditions, which enter as loop variables, pass through unchanged and rebuild the network in
   * the body.
   */
  private static Output<?>[] loop(
      Workspace ws,
      NoiseModel model,
      Output<?>[] heads,
      List<Operand<TFloat32>> conditions,
      Condition condition,
      Body body,
      String name) {
    Ops tf = ws.tf();
    List<Variable<TFloat32>> variables = model.variables();
    List<Operand<TFloat32>> passed = new ArrayList<>();
    variables.forEach(variable -> passed.add(tf.identity(variable))); // read once, outside the loop
    passed.addAll(conditions);
    int h = heads.length;
    int w = variables.size();
    Output<?>[] inputs = new Output<?>[h + passed.size()];
    System.arraycopy(heads, 0, inputs, 0, h);
    for (int i = 0; i < passed.size(); i++) {
      inputs[h + i] = passed.get(i).asOutput();
    }
    return ws.graph()
        .whileLoop(
            inputs,
            (Graph condGraph, Output<?>[] in, Output<?>[] out) ->
                out[0] = condition.test(Ops.create(condGraph), in).asOutput(),
            (Graph bodyGraph, Output<?>[] in, Output<?>[] out) -> {
              Ops b = Ops.create(bodyGraph);
              List<Operand<TFloat32>> reads = new ArrayList<>(); // static shapes back
              for (int i = 0; i < passed.size(); i++) {
                long[] shape = passed.get(i).shape().asArray();
                if (i >= w && shape.length > 0) {
                  shape[0] = -1; // a condition's batch
                }
                reads.add(b.reshape(in[h + i].expect(TFloat32.class), b.constant(shape)));
              }
              List<Operand<TFloat32>> weights = reads.subList(0, w);
              List<Operand<TFloat32>> given = reads.subList(w, reads.size());
              Unet unet =
                  new Unet() {
                    @Override
                    public Operand<TFloat32> eps(Ops ops, Operand<TFloat32> xt, Operand<TInt32> t) {
                      Operand<TInt32> batch =
                          ops.slice(
                              ops.shape(xt),
                              ops.constant(new int[] {0}),
                              ops.constant(new int[] {1}));
                      Operand<TInt32> time = // [batch], of a static rank for the U-Net's shapes
                          ops.reshape(ops.fill(batch, t), ops.constant(new int[] {-1}));
                      return model.eps(ops, weights, xt, time, given);
                    }

                    @Override
                    public List<Operand<TFloat32>> conditions() {
                      return given;
                    }
                  };
              body.apply(b, in, out, unet);
              System.arraycopy(in, h, out, h, passed.size()); // weights pass through unchanged
            },
            tf.scope().makeUnique(name));
  }
}
