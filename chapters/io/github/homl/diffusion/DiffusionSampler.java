package io.github.homl.diffusion;

import io.github.homl.data.Images;
import io.github.homl.training.Feeds;
import io.github.homl.training.Workspace;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The reverse process of a trained {@link DiffusionUnet} in the session it was trained in, three
 * ways, all from the same starting noise x_T and (for DDPM) the same per-step noise z_t, drawn by
 * stateless ops seeded with {@code (seed, t)}:
 *
 * <ul>
 *   <li>{@link #generate}: the notebook's {@code generate(model)}, a Java loop ({@link
 *       HostSampler}) of one U-Net call per step;
 *   <li>{@link #generateInGraph}: the same steps as a {@code while} loop inside the graph ({@link
 *       DiffusionLoop}), run by one {@code Session.run}; the U-Net's weights travel as loop
 *       variables.
 * </ul>
 *
 * DDIM, for the grids and the scores, runs through {@link DiffusionResults} on the host, from the
 * trained U-Net as from a SavedModel.
 *
 * <p>Both loops take the update from {@link ReverseStep}. The U-Net runs in inference mode, as the
 * book's direct {@code model(...)} call does.
 */
public final class DiffusionSampler {

  private final Workspace ws;
  private final DiffusionUnet model;
  private final Schedule schedule;
  private final int batchSize;
  private final long seed;
  private final long[] imageShape;

  private HostSampler.Denoiser denoiser;
  private Placeholder<TInt32> noiseStep;
  private Operand<TFloat32> noise;
  private Operand<TFloat32> inGraph;

  /**
   * Samples {@code batchSize} images at a time of {@code model} (built in {@code ws}) under {@code
   * schedule}, the noise of {@link #generate} and {@link #generateInGraph} seeded with {@code
   * seed}.
   */
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
    return images(host(true).ddpm(seededNoise()));
  }

  /** The same reverse process in one {@code Session.run}: every step runs inside the graph. */
  public Images generateInGraph() {
    if (inGraph == null) {
      host(false); // builds the model if it has not been applied yet
      Ops tf = ws.tf();
      inGraph =
          DiffusionLoop.reverseProcess(
              ws,
              model,
              schedule.T() - 1,
              normal(tf, imageShape, seed, tf.constant(schedule.T())),
              (b, xt, t, eps) -> ReverseStep.ddpm(b, schedule, t, xt, eps, z(b, t)));
    }
    return images(ws.run(inGraph, Feeds.of()));
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
   * The U-Net as a host denoiser, through its {@code denoise} signature in this session (built
   * once): what {@link DiffusionResults} samples the grids and scores from.
   */
  public HostSampler.Denoiser denoiser() {
    if (denoiser == null) {
      denoiser = model.hostDenoiser(ws);
    }
    return denoiser;
  }

  /**
   * A host sampler of a batch, on the U-Net's {@code denoise} signature in this session (built
   * once, with the model if it has not been applied yet), with or without a progress bar.
   */
  private HostSampler host(boolean progress) {
    denoiser();
    if (noise == null) {
      noiseStep = ws.tf().placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
      noise = normal(ws.tf(), imageShape, seed, noiseStep);
    }
    return progress
        ? HostSampler.withProgressBar(denoiser, schedule, batchSize)
        : new HostSampler(denoiser, schedule, batchSize, null);
  }

  /**
   * x_T and each step's z as the in-graph loop draws them: slab j is N(0, I) seeded (seed, T − j).
   */
  private HostSampler.Noise seededNoise() {
    return j -> ws.run(noise, Feeds.of().scalarInt(noiseStep, schedule.T() - j));
  }

  /** {@code [batch, 28, 28, 1]} values as {@code batch} images of 28×28. */
  private Images images(float[] xs) {
    return new Images(xs, batchSize, (int) imageShape[1], (int) imageShape[2]);
  }
}
