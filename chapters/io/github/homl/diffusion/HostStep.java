package io.github.homl.diffusion;

import java.util.HashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * The reverse step's ops ({@link ReverseStep}) in a small graph of their own, for a sampler that
 * loops on the host: each call feeds x_t, the predicted noise ε and the step's scalars, and returns
 * the next x. A host loop so computes each step with the very ops of the in-graph loop. Images are
 * flat float arrays (any shape: the step works value by value).
 */
public final class HostStep implements AutoCloseable {

  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> x;
  private final Placeholder<TFloat32> eps;
  private final Placeholder<TFloat32> z;
  private final Placeholder<TFloat32> alpha;
  private final Placeholder<TFloat32> alphaCumprod;
  private final Placeholder<TFloat32> beta;
  private final Placeholder<TFloat64> alphaCumprodT;
  private final Placeholder<TFloat64> alphaCumprodPrev;
  private final Operand<TFloat32> ddpm;
  private final Operand<TFloat32> ddim;
  private final Operand<TFloat32> noisyDdim; // null for η = 0

  /**
   * DDPM and DDIM steps; DDIM clips x̂_0 to [−clip, clip] ({@link ReverseStep#NO_CLIP}: it does
   * not).
   */
  public HostStep(float clip) {
    this(clip, 0);
  }

  /**
   * {@link #HostStep(float)} whose DDIM steps also add fresh noise with {@code eta} ({@link
   * ReverseStep#ddim}; 0: none).
   */
  public HostStep(float clip, double eta) {
    graph = new Graph();
    session = new Session(graph);
    Ops tf = Ops.create(graph);
    x = values(tf);
    eps = values(tf);
    z = values(tf);
    alpha = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    alphaCumprod = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    beta = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    alphaCumprodT = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.scalar()));
    alphaCumprodPrev = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.scalar()));
    ddpm = ReverseStep.ddpm(tf, x, eps, alpha, alphaCumprod, beta, z);
    ddim = ReverseStep.ddim(tf, x, eps, alphaCumprodT, alphaCumprodPrev, clip, 0, null);
    noisyDdim =
        eta == 0
            ? null
            : ReverseStep.ddim(tf, x, eps, alphaCumprodT, alphaCumprodPrev, clip, eta, z);
  }

  /**
   * x_{t−1} from {@code xt} by {@link ReverseStep#ddpm}: ε {@code eps}, noise {@code z} (zeros at t
   * = 1), α_t, ᾱ_t and β_t of {@code schedule}.
   */
  public float[] ddpm(float[] xt, float[] eps, Schedule schedule, int t, float[] z) {
    try (TFloat32 xs = vector(xt);
        TFloat32 e = vector(eps);
        TFloat32 zs = vector(z);
        TFloat32 a = TFloat32.scalarOf(schedule.alpha()[t]);
        TFloat32 ab = TFloat32.scalarOf(schedule.alphaCumprod()[t]);
        TFloat32 b = TFloat32.scalarOf(schedule.beta()[t])) {
      return run(ddpm, Map.of(x, xs, this.eps, e, this.z, zs, alpha, a, alphaCumprod, ab, beta, b));
    }
  }

  /** x_prev from {@code xt} by {@link ReverseStep#ddim}: ε {@code eps}, ᾱ_t and ᾱ_prev (η = 0). */
  public float[] ddim(float[] xt, float[] eps, double alphaCumprodT, double alphaCumprodPrev) {
    if (noisyDdim != null) {
      throw new IllegalStateException("this step's DDIM has eta > 0: give its noise z");
    }
    return ddim(xt, eps, alphaCumprodT, alphaCumprodPrev, null);
  }

  /**
   * x_prev from {@code xt} by {@link ReverseStep#ddim}: ε {@code eps}, ᾱ_t and ᾱ_prev, and with
   * this step's η > 0 the noise {@code z} (ignored, and may be null, for η = 0).
   */
  public float[] ddim(
      float[] xt, float[] eps, double alphaCumprodT, double alphaCumprodPrev, float[] z) {
    try (TFloat32 xs = vector(xt);
        TFloat32 e = vector(eps);
        TFloat64 a = TFloat64.scalarOf(alphaCumprodT);
        TFloat64 prev = TFloat64.scalarOf(alphaCumprodPrev)) {
      Map<Operand<?>, Tensor> feeds =
          new HashMap<>(
              Map.of(x, xs, this.eps, e, this.alphaCumprodT, a, this.alphaCumprodPrev, prev));
      if (noisyDdim == null) {
        return run(ddim, feeds);
      }
      try (TFloat32 zs = vector(z)) {
        feeds.put(this.z, zs);
        return run(noisyDdim, feeds);
      }
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }

  private float[] run(Operand<TFloat32> step, Map<Operand<?>, Tensor> feeds) {
    Session.Runner runner = session.runner();
    feeds.forEach(runner::feed);
    try (Result result = runner.fetch(step).run()) {
      TFloat32 next = (TFloat32) result.get(0);
      float[] values = new float[(int) next.size()];
      next.asRawTensor().data().asFloats().read(values);
      return values;
    }
  }

  private static Placeholder<TFloat32> values(Ops tf) {
    return tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
  }

  private static TFloat32 vector(float[] values) {
    return TFloat32.tensorOf(Shape.of(values.length), DataBuffers.of(values, true, false));
  }
}
