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
 * The U-Net runs in inference mode, as the book's direct {@code model(...)} call does.
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
              (tf, xt, step, eps) -> reverseStep(tf, schedule, xt, step, eps, seed));
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
    int[] times = HostSampler.ddimTimes(schedule.T(), steps); // checks 1 <= steps < T
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
   * DDPM Algorithm 2, step 4: x_{t−1} = 1/√α_t · (x_t − β_t/√(1 − ᾱ_t) · ε) + σ_t · z with σ_t² =
   * β_t = 1 − α_t, and z = 0 at t = 1.
   */
  public static Operand<TFloat32> reverseStep(
      Ops tf,
      Schedule schedule,
      Operand<TFloat32> xt,
      Operand<TInt32> t,
      Operand<TFloat32> eps,
      long seed) {
    Operand<TFloat32> alphaT = at(tf, schedule.alpha(), t);
    Operand<TFloat32> betaT = at(tf, schedule.beta(), t);
    Operand<TFloat32> alphaCumprodT = at(tf, schedule.alphaCumprod(), t);
    Operand<TFloat32> z =
        tf.math.mul(
            normal(tf, xt.shape().asArray(), seed, t),
            tf.dtypes.cast(tf.math.greater(t, tf.constant(1)), TFloat32.class));
    Operand<TFloat32> mean =
        tf.math.mul(
            tf.math.rsqrt(alphaT),
            tf.math.sub(
                xt,
                tf.math.mul(
                    tf.math.div(betaT, tf.math.sqrt(tf.math.sub(tf.constant(1f), alphaCumprodT))),
                    eps)));
    return tf.math.add(mean, tf.math.mul(tf.math.sqrt(betaT), z));
  }

  /**
   * DDIM eq. 12 with σ = 0: x̂_0 = (x_t − √(1 − ᾱ_t)·ε)/√ᾱ_t, clipped to [−clip, clip] (1 for
   * images in [−1, 1]; latents are not confined to it), ε recomputed from it, then x_prev = √ᾱ_prev
   * · x̂_0 + √(1 − ᾱ_prev) · ε.
   */
  public static Operand<TFloat32> ddimStep(
      Ops tf,
      Schedule schedule,
      Operand<TFloat32> xt,
      Operand<TInt32> t,
      Operand<TInt32> tPrev,
      Operand<TFloat32> eps,
      float clip) {
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> alphaCumprodT = at(tf, schedule.alphaCumprod(), t);
    Operand<TFloat32> alphaCumprodPrev = at(tf, schedule.alphaCumprod(), tPrev);
    Operand<TFloat32> sqrtOneMinusT = tf.math.sqrt(tf.math.sub(one, alphaCumprodT));
    Operand<TFloat32> x0 =
        tf.clipByValue(
            tf.math.div(
                tf.math.sub(xt, tf.math.mul(sqrtOneMinusT, eps)), tf.math.sqrt(alphaCumprodT)),
            tf.constant(-clip),
            tf.constant(clip));
    Operand<TFloat32> epsFromX0 =
        tf.math.div(tf.math.sub(xt, tf.math.mul(tf.math.sqrt(alphaCumprodT), x0)), sqrtOneMinusT);
    return tf.math.add(
        tf.math.mul(tf.math.sqrt(alphaCumprodPrev), x0),
        tf.math.mul(tf.math.sqrt(tf.math.sub(one, alphaCumprodPrev)), epsFromX0));
  }

  /** {@code values[t]} as a scalar op. */
  private static Operand<TFloat32> at(Ops tf, float[] values, Operand<TInt32> t) {
    return tf.gather(tf.constant(values), t, tf.constant(0));
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
    ddpmStep = reverseStep(tf, schedule, x, t, eps, seed);
    ddimStep = ddimStep(tf, schedule, x, t, tPrev, eps, 1f);
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
