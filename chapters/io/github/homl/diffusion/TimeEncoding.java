package io.github.homl.diffusion;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The notebook's {@code TimeEncoding} layer: row {@code t} of a constant {@code [T + 1, embedSize]}
 * table, {@code sin(t / 10000^(2k/embedSize))} in column 2k and {@code cos} of the same in column
 * 2k + 1 (computed in float64, stored as float32).
 */
public final class TimeEncoding {

  private final float[][] timeEncodings;

  public TimeEncoding(int T, int embedSize) {
    if (embedSize % 2 != 0) {
      throw new IllegalArgumentException("embed_size must be even, got " + embedSize);
    }
    timeEncodings = new float[T + 1][embedSize];
    for (int p = 0; p <= T; p++) {
      for (int i = 0; i < embedSize; i += 2) {
        double angle = p / Math.pow(10_000, (double) i / embedSize);
        timeEncodings[p][i] = (float) Math.sin(angle);
        timeEncodings[p][i + 1] = (float) Math.cos(angle);
      }
    }
  }

  /** {@code tf.gather(time_encodings, time)}: {@code [batch]} to {@code [batch, embedSize]}. */
  public Operand<TFloat32> apply(Ops tf, Operand<TInt32> time) {
    return tf.gather(tf.constant(timeEncodings), time, tf.constant(0));
  }
}
