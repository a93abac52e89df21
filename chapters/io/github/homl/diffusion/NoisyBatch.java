package io.github.homl.diffusion;

import io.github.homl.training.Workspace;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The inputs {@code X_noisy} and {@code time}, and the target: the noise that was added. */
public record NoisyBatch(Operand<TFloat32> xNoisy, Operand<TInt32> time, Operand<TFloat32> noise) {

  /**
   * The notebook's {@code prepare_batch}: images {@code [batch, 28, 28]} in [0, 1] are scaled to
   * [−1, 1], each gets a time step drawn uniformly from 1..T and noise from N(0, 1), fresh at every
   * run.
   */
  public static NoisyBatch prepareBatch(Workspace ws, Schedule schedule, Operand<TFloat32> images) {
    Ops tf = ws.tf();
    Operand<TFloat32> x =
        tf.math.sub(
            tf.math.mul(tf.expandDims(images, tf.constant(-1)), tf.constant(2f)),
            tf.constant(1f)); // scale from –1 to +1: [batch, 28, 28, 1]
    return of(ws, schedule, x);
  }

  /**
   * x_0 {@code [batch, ...]} (images, latents) noised at a time step drawn uniformly from 1..T with
   * noise from N(0, 1), fresh at every run.
   */
  public static NoisyBatch of(Workspace ws, Schedule schedule, Operand<TFloat32> x) {
    Ops tf = ws.tf();
    Operand<TInt32> batch =
        tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1})); // [1]
    Operand<TInt32> t = ws.random().uniformInt(batch, 1, schedule.T() + 1); // [batch]
    Operand<TFloat32> noise = ws.random().normal(tf.shape(x));
    return new NoisyBatch(addNoise(tf, schedule, x, t, noise), t, noise);
  }

  /** DDPM eq. 4, the forward process in one shot: x_t = √ᾱ_t · x_0 + √(1 − ᾱ_t) · ε. */
  public static Operand<TFloat32> addNoise(
      Ops tf, Schedule schedule, Operand<TFloat32> x0, Operand<TInt32> t, Operand<TFloat32> noise) {
    Operand<TFloat32> alphaCm =
        tf.reshape(
            tf.gather(tf.constant(schedule.alphaCumprod()), t, tf.constant(0)),
            tf.constant(new int[] {-1, 1, 1, 1})); // [batch, 1, 1, 1]
    return tf.math.add(
        tf.math.mul(tf.math.sqrt(alphaCm), x0),
        tf.math.mul(tf.math.sqrt(tf.math.sub(tf.constant(1f), alphaCm)), noise));
  }
}
