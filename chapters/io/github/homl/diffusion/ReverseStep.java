package io.github.homl.diffusion;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * One step of the reverse process, written once, as TensorFlow ops: the book's DDPM step (Ho et al.
 * 2020, Algorithm 2), the DDIM step (Song et al. 2021, eq. 12, deterministic with σ = 0 or with eq.
 * 16's σ for an η), and the time steps DDIM visits. The in-graph loop ({@link DiffusionLoop})
 * builds these ops in its body; a loop on the host runs the same ops in a graph of their own
 * ({@link HostStep}), fed once per step. So the host and the in-graph samplers compute the same
 * numbers by construction.
 */
public final class ReverseStep {

  /** DDIM's bound on x̂_0 for "no bound": eq. 12 as written, ε used as the U-Net predicted it. */
  public static final float NO_CLIP = Float.POSITIVE_INFINITY;

  private ReverseStep() {}

  /**
   * DDPM Algorithm 2, step 4: x_{t−1} = 1/√α_t · (x_t − β_t/√(1 − ᾱ_t) · ε) + σ_t · z with σ_t² =
   * β_t, as the book chooses. α_t, ᾱ_t and β_t are scalars; z is the caller's (zeros at t = 1).
   */
  public static Operand<TFloat32> ddpm(
      Ops tf,
      Operand<TFloat32> xt,
      Operand<TFloat32> eps,
      Operand<TFloat32> alphaT,
      Operand<TFloat32> alphaCumprodT,
      Operand<TFloat32> betaT,
      Operand<TFloat32> z) {
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> mean =
        tf.math.mul(
            tf.math.div(one, tf.math.sqrt(alphaT)),
            tf.math.sub(
                xt,
                tf.math.mul(
                    tf.math.div(betaT, tf.math.sqrt(tf.math.sub(one, alphaCumprodT))), eps)));
    return tf.math.add(mean, tf.math.mul(tf.math.sqrt(betaT), z));
  }

  /** {@link #ddpm} at time step {@code t} (a scalar op) of {@code schedule}. */
  public static Operand<TFloat32> ddpm(
      Ops tf,
      Schedule schedule,
      Operand<TInt32> t,
      Operand<TFloat32> xt,
      Operand<TFloat32> eps,
      Operand<TFloat32> z) {
    return ddpm(
        tf,
        xt,
        eps,
        at(tf, schedule.alpha(), t),
        at(tf, schedule.alphaCumprod(), t),
        at(tf, schedule.beta(), t),
        z);
  }

  /**
   * DDIM eq. 12: x̂_0 = (x_t − √(1 − ᾱ_t)·ε)/√ᾱ_t, then x_prev = √ᾱ_prev · x̂_0 + √(1 − ᾱ_prev −
   * σ²) · ε + σ · z, with eq. 16's σ = η · √((1 − ᾱ_prev)/(1 − ᾱ_t)) · √(1 − ᾱ_t/ᾱ_prev). With η =
   * 0 (deterministic) σ and z drop out, and {@code z} may be null; η = 1 adds at each step as much
   * noise as DDPM's posterior, which scored far better than η = 0 on the book's model
   * (docs/diffusion-average.md). At the last step (ᾱ_prev = 1) σ is 0. With a finite {@code clip},
   * x̂_0 is first clipped to [−clip, clip] (1 for images in [−1, 1]; latents are not confined to
   * it) and ε recomputed from it. ᾱ_t and ᾱ_prev are float64 scalars: the square roots (and σ) are
   * taken in float64 and rounded to float32, as KerasCV takes them of Python floats; a {@link
   * Schedule}'s float32 ᾱ enters exactly ({@link #alphaCumprod}).
   */
  public static Operand<TFloat32> ddim(
      Ops tf,
      Operand<TFloat32> xt,
      Operand<TFloat32> eps,
      Operand<TFloat64> alphaCumprodT,
      Operand<TFloat64> alphaCumprodPrev,
      float clip,
      double eta,
      Operand<TFloat32> z) {
    Prediction p = predict(tf, xt, eps, alphaCumprodT, clip);
    Operand<TFloat32> towardsX0 = tf.math.mul(root(tf, alphaCumprodPrev), p.x0());
    if (eta == 0) {
      return tf.math.add(towardsX0, tf.math.mul(root(tf, oneMinus(tf, alphaCumprodPrev)), p.eps()));
    }
    Operand<TFloat64> sigma =
        tf.math.mul(
            tf.constant(eta),
            tf.math.sqrt(
                tf.math.mul(
                    tf.math.div(oneMinus(tf, alphaCumprodPrev), oneMinus(tf, alphaCumprodT)),
                    oneMinus(tf, tf.math.div(alphaCumprodT, alphaCumprodPrev)))));
    Operand<TFloat64> direction =
        tf.math.maximum(
            tf.math.sub(oneMinus(tf, alphaCumprodPrev), tf.math.square(sigma)), tf.constant(0.0));
    return tf.math.add(
        tf.math.add(towardsX0, tf.math.mul(root(tf, direction), p.eps())),
        tf.math.mul(tf.dtypes.cast(sigma, TFloat32.class), z));
  }

  /** DDIM's x̂_0 and the ε that goes with it (recomputed from x̂_0 when it is clipped). */
  private record Prediction(Operand<TFloat32> x0, Operand<TFloat32> eps) {}

  private static Prediction predict(
      Ops tf,
      Operand<TFloat32> xt,
      Operand<TFloat32> eps,
      Operand<TFloat64> alphaCumprodT,
      float clip) {
    Operand<TFloat32> sqrtA = root(tf, alphaCumprodT);
    Operand<TFloat32> sqrtOneMinusA = root(tf, oneMinus(tf, alphaCumprodT));
    Operand<TFloat32> x0 = tf.math.div(tf.math.sub(xt, tf.math.mul(sqrtOneMinusA, eps)), sqrtA);
    if (clip == NO_CLIP) {
      return new Prediction(x0, eps);
    }
    x0 = tf.clipByValue(x0, tf.constant(-clip), tf.constant(clip));
    return new Prediction(x0, tf.math.div(tf.math.sub(xt, tf.math.mul(sqrtA, x0)), sqrtOneMinusA));
  }

  /** ᾱ_t of {@code schedule} at time step {@code t} (a scalar op), as {@link #ddim} takes it. */
  public static Operand<TFloat64> alphaCumprod(Ops tf, Schedule schedule, Operand<TInt32> t) {
    float[] values = schedule.alphaCumprod();
    double[] wide = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      wide[i] = values[i];
    }
    return tf.gather(tf.constant(wide), t, tf.constant(0));
  }

  /**
   * The time step of DDIM's step {@code i} (0 to steps − 1) of {@code steps}: T − 1 − i·(T −
   * 2)/(steps − 1) rounded half up, so the steps run evenly from T − 1 down to 1 (T − 1 alone for
   * one step). Computed in integers, exactly for any T: ⌊((2T − 1)·b − 2i·(T − 2)) / 2b⌋ with b =
   * max(steps − 1, 1).
   */
  public static Operand<TInt32> ddimTime(Ops tf, int T, Operand<TInt32> i, Operand<TInt32> steps) {
    Operand<TInt64> b =
        tf.dtypes.cast(
            tf.math.maximum(tf.math.sub(steps, tf.constant(1)), tf.constant(1)), TInt64.class);
    Operand<TInt64> numerator =
        tf.math.sub(
            tf.math.mul(tf.constant(2L * T - 1), b),
            tf.math.mul(tf.constant(2L * (T - 2)), tf.dtypes.cast(i, TInt64.class)));
    return tf.dtypes.cast(
        tf.math.floorDiv(numerator, tf.math.mul(tf.constant(2L), b)), TInt32.class);
  }

  /**
   * The {@code steps} time steps of a DDIM run, from T − 1 down to 1: {@link #ddimTime} for i = 0
   * .. steps − 1, run in a graph of its own.
   *
   * @throws IllegalArgumentException unless 1 ≤ steps ≤ T − 1
   */
  public static int[] ddimTimes(int T, int steps) {
    if (steps < 1 || steps > T - 1) {
      throw new IllegalArgumentException(
          "DDIM steps must be in 1.." + (T - 1) + " for T = " + T + ", got " + steps);
    }
    try (Graph graph = new Graph();
        Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Operand<TInt32> times =
          ddimTime(
              tf,
              T,
              tf.range(tf.constant(0), tf.constant(steps), tf.constant(1)),
              tf.constant(steps));
      try (Result result = session.runner().fetch(times).run()) {
        int[] values = new int[steps];
        ((TInt32) result.get(0)).asRawTensor().data().asInts().read(values);
        return values;
      }
    }
  }

  /** {@code values[t]} as a scalar op. */
  private static Operand<TFloat32> at(Ops tf, float[] values, Operand<TInt32> t) {
    return tf.gather(tf.constant(values), t, tf.constant(0));
  }

  /** 1 − a. */
  private static Operand<TFloat64> oneMinus(Ops tf, Operand<TFloat64> a) {
    return tf.math.sub(tf.constant(1.0), a);
  }

  /** √a, rounded to float32. */
  private static Operand<TFloat32> root(Ops tf, Operand<TFloat64> a) {
    return tf.dtypes.cast(tf.math.sqrt(a), TFloat32.class);
  }
}
