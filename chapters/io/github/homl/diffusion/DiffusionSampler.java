package io.github.homl.diffusion;

import io.github.homl.data.Images;
import io.github.homl.evaluation.Sampling;
import io.github.homl.training.Feeds;
import io.github.homl.training.Progress;
import io.github.homl.training.Workspace;
import java.util.List;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The reverse process of a trained {@link DiffusionUnet}, three ways, all from the same starting
 * noise x_T and (for DDPM) the same per-step noise z_t, drawn by stateless ops seeded with {@code
 * (seed, t)}:
 *
 * <ul>
 *   <li>{@link #generate}: the notebook's {@code generate(model)}, one {@code Session.run} per
 *       step;
 *   <li>{@link #generateInGraph}: the same steps as a {@code while} loop inside the graph, run by
 *       one {@code Session.run}; the U-Net's weights travel as loop variables;
 *   <li>{@link #generateDdim}: DDIM with η = 0 on a subsequence of the time steps.
 * </ul>
 *
 * Every step is {@link ReverseStep}'s. The U-Net runs in inference mode, as the book's direct
 * {@code model(...)} call does.
 */
public final class DiffusionSampler {

  private final Workspace ws;
  private final DiffusionUnet model;
  private final Schedule schedule;
  private final int batchSize;
  private final long seed;
  private final long[] imageShape;

  private Operand<TFloat32> xT;
  private Placeholder<TFloat32> x;
  private Placeholder<TInt32> t;
  private Placeholder<TInt32> tPrev;
  private Operand<TFloat32> ddpmStep;
  private Operand<TFloat32> ddimStep;
  private Operand<TFloat32> inGraph;

  public DiffusionSampler(
      Workspace ws, DiffusionUnet model, Schedule schedule, int batchSize, long seed) {
    this.ws = ws;
    this.model = model;
    this.schedule = schedule;
    this.batchSize = batchSize;
    this.seed = seed;
    this.imageShape = new long[] {batchSize, 28, 28, 1};
  }

  /** The book's loop: x_T ~ N(0, I), then DDPM steps t = T−1 down to 1, printing progress. */
  public Images generate() {
    buildHostSteps();
    float[] xs = fetch(xT);
    Progress progress = Progress.start("ddpm", schedule.T() - 1);
    for (int step = schedule.T() - 1; step >= 1; step--) {
      xs = runStep(ddpmStep, xs, step, 0);
      progress.update(schedule.T() - step); // extra code – show progress
    }
    progress.finish();
    return images(xs);
  }

  /** The same reverse process in one {@code Session.run}: every step runs inside the graph. */
  public Images generateInGraph() {
    if (inGraph == null) {
      buildHostSteps(); // builds the model if it has not been applied yet
      inGraph =
          DiffusionLoop.reverseProcess(
              ws,
              model,
              schedule.T() - 1,
              xT,
              (b, xt, step, eps) -> ReverseStep.ddpm(b, schedule, step, xt, eps, z(b, step)));
    }
    return images(fetch(inGraph));
  }

  /**
   * DDIM (Song et al. 2021) with η = 0: deterministic, {@code steps} U-Net calls at time steps
   * spaced evenly from T−1 down to 1, the last step landing on ᾱ_0 = 1.
   */
  public Images generateDdim(int steps) {
    buildHostSteps();
    return ddim(fetch(xT), steps);
  }

  /**
   * {@code n} fresh DDIM samples ({@code steps} steps each, pixels in [−1, 1]) from x_T ~ N(0, I)
   * drawn by {@code random}, a batch at a time: the yardstick's samples.
   */
  public Images sampleDdim(int n, int steps, Random random) {
    buildHostSteps();
    return Sampling.inBatches(
        n,
        batchSize,
        (from, to) -> {
          float[] xs = new float[batchSize * (int) (imageShape[1] * imageShape[2])];
          for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) random.nextGaussian();
          }
          return ddim(xs, steps).take(to - from);
        });
  }

  private Images ddim(float[] xT, int steps) {
    int[] times = ReverseStep.ddimTimes(schedule.T(), steps); // checks 1 <= steps < T
    float[] xs = xT;
    for (int i = 0; i < times.length; i++) {
      xs = runStep(ddimStep, xs, times[i], i + 1 < times.length ? times[i + 1] : 0);
    }
    return images(xs);
  }

  /** N(0, I) of {@code shape} from a stateless op seeded with {@code (seed, step)}. */
  public static Operand<TFloat32> normal(Ops tf, long[] shape, long seed, Operand<TInt32> step) {
    Operand<TInt64> key = tf.stack(List.of(tf.constant(seed), tf.dtypes.cast(step, TInt64.class)));
    return tf.random.statelessRandomNormal(tf.constant(shape), key);
  }

  /**
   * DDPM's z at time step t inside the graph: N(0, I) seeded with {@code (seed, t)}, 0 at t = 1.
   */
  private Operand<TFloat32> z(Ops tf, Operand<TInt32> t) {
    return tf.math.mul(
        normal(tf, imageShape, seed, t),
        tf.dtypes.cast(tf.math.greater(t, tf.constant(1)), TFloat32.class));
  }

  /**
   * x_T ~ N(0, I) (a stateless op seeded with {@code (seed, T)}), and one U-Net call on fed x_t and
   * t followed by a DDPM step and (with tPrev) a DDIM step.
   */
  private void buildHostSteps() {
    if (x != null) {
      return;
    }
    Ops tf = ws.tf();
    xT = normal(tf, imageShape, seed, tf.constant(schedule.T()));
    x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(imageShape)));
    t = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    tPrev = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    Operand<TInt32> time = tf.fill(tf.constant(new int[] {batchSize}), t); // [t] * batch_size
    Operand<TFloat32> eps = model.call(model.layers(ws.inference()), x, time);
    ddpmStep = ReverseStep.ddpm(tf, schedule, t, x, eps, z(tf, t));
    ddimStep =
        ReverseStep.ddim(
            tf,
            x,
            eps,
            ReverseStep.alphaCumprod(tf, schedule, t),
            ReverseStep.alphaCumprod(tf, schedule, tPrev),
            1f);
  }

  private float[] runStep(Operand<TFloat32> stepOp, float[] xs, int step, int prev) {
    return ws.run(
        stepOp, Feeds.of().floats(x, xs, imageShape).scalarInt(t, step).scalarInt(tPrev, prev));
  }

  private float[] fetch(Operand<TFloat32> op) {
    return ws.run(op, Feeds.of());
  }

  /** {@code [batch, 28, 28, 1]} values as {@code batch} images of 28×28. */
  private Images images(float[] xs) {
    return new Images(xs, batchSize, (int) imageShape[1], (int) imageShape[2]);
  }
}
