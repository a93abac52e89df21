package io.github.homl.layers;

import org.tensorflow.Operand;
import org.tensorflow.framework.initializers.He;
import org.tensorflow.framework.initializers.VarianceScaling;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Weight initializers with Keras's names, seeded per layer. Fans follow Keras: for a kernel {@code
 * [..., in, out]} the receptive field is the product of the leading axes, {@code fanIn = field·in},
 * {@code fanOut = field·out}.
 *
 * <p>GLOROT_UNIFORM is our own: {@code tensorflow-framework} 1.1.0's {@code Glorot(UNIFORM)} draws
 * from {@code U(0, limit)} instead of {@code U(-limit, limit)} (measured: mean 0.041, min 0 for a
 * 784×100 kernel), which starts every network with a huge positive bias.
 */
public enum Init {
  /** Keras's default kernel initializer: U(-l, l) with {@code l = sqrt(6 / (fanIn + fanOut))}. */
  GLOROT_UNIFORM,
  /** Keras's {@code he_normal}: truncated normal with stddev {@code sqrt(2 / fanIn)}. */
  HE_NORMAL,
  /**
   * N(0, 1), Keras's {@code RandomNormal(stddev=1.0)}: the weights of the equalized learning rate.
   */
  STANDARD_NORMAL,
  /** U(-0.05, 0.05), Keras's {@code RandomUniform()}: the default of {@code Embedding}. */
  UNIFORM_005,
  ZEROS,
  ONES;

  /** The initial value of a weight of this shape (ops must come from an init-scope {@code Ops}). */
  public Operand<TFloat32> create(Ops initOps, Shape shape, long seed) {
    Operand<TInt64> dims = initOps.constant(shape);
    return switch (this) {
      case GLOROT_UNIFORM -> glorotUniform(initOps, shape, dims, seed);
      case HE_NORMAL ->
          new He<TFloat32>(VarianceScaling.Distribution.TRUNCATED_NORMAL, seed)
              .call(initOps, dims, TFloat32.class);
      case STANDARD_NORMAL ->
          initOps.random.statelessRandomNormal(
              dims, initOps.constant(new long[] {seed, 0L}), TFloat32.class);
      case UNIFORM_005 ->
          initOps.math.sub(
              initOps.math.mul(
                  initOps.random.statelessRandomUniform(
                      dims, initOps.constant(new long[] {seed, 0L}), TFloat32.class),
                  initOps.constant(0.1f)),
              initOps.constant(0.05f));
      case ZEROS -> initOps.zeros(dims, TFloat32.class);
      case ONES -> initOps.fill(dims, initOps.constant(1f));
    };
  }

  private static Operand<TFloat32> glorotUniform(
      Ops tf, Shape shape, Operand<TInt64> dims, long seed) {
    double[] fans = fans(shape);
    float limit = (float) Math.sqrt(6.0 / (fans[0] + fans[1]));
    Operand<TFloat32> unit =
        tf.random.statelessRandomUniform(
            dims, tf.constant(new long[] {seed, 0L}), TFloat32.class); // U(0, 1)
    return tf.math.sub(tf.math.mul(unit, tf.constant(2f * limit)), tf.constant(limit));
  }

  /** {@code {fanIn, fanOut}} as Keras computes them. */
  static double[] fans(Shape shape) {
    int rank = shape.numDimensions();
    if (rank < 1) {
      return new double[] {1, 1};
    }
    if (rank == 1) {
      return new double[] {shape.get(0), shape.get(0)};
    }
    double field = 1;
    for (int i = 0; i < rank - 2; i++) {
      field *= shape.get(i);
    }
    return new double[] {field * shape.get(rank - 2), field * shape.get(rank - 1)};
  }
}
