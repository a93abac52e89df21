package io.github.homl.gan;

import io.github.homl.layers.AbstractLayer;
import io.github.homl.layers.CallContext;
import io.github.homl.layers.EqualizedDense;
import io.github.homl.layers.Init;
import io.github.homl.layers.Trainable;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The three building blocks of {@link StyleGanGenerator}'s synthesis network. */
public final class StyleGanLayers {

  private StyleGanLayers() {}

  /**
   * The synthesis network's learned constant input, repeated for each image: {@code [batch, h, w,
   * c]}, with the batch size taken from the input (w). Starts at ones, as in the paper.
   */
  public static final class LearnedConstant extends AbstractLayer {

    private final long[] dims;
    private Operand<TFloat32> constant;

    public LearnedConstant(int height, int width, int channels) {
      super("learned_constant");
      this.dims = new long[] {1, height, width, channels};
    }

    @Override
    protected void build(CallContext ctx, Shape inputShape) {
      constant = addWeight(ctx, "constant", Shape.of(dims), Init.ONES);
    }

    @Override
    protected Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs) {
      Ops tf = ctx.tf();
      Operand<TInt32> batch =
          tf.slice(tf.shape(inputs), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
      Operand<TInt32> multiples =
          tf.concat(List.of(batch, tf.constant(new int[] {1, 1, 1})), tf.constant(0));
      return tf.reshape(
          tf.tile(constant, multiples),
          tf.constant(new long[] {-1, dims[1], dims[2], dims[3]})); // [batch, h, w, c]
    }
  }

  /** The "B" box: a single-channel noise map times learned per-channel factors (zeros at first). */
  public static final class NoiseScale extends AbstractLayer {

    private final int channels;
    private Operand<TFloat32> scale;

    public NoiseScale(int channels) {
      super("noise_scale");
      this.channels = channels;
    }

    @Override
    protected void build(CallContext ctx, Shape inputShape) {
      scale = addWeight(ctx, "scale", Shape.of(channels), Init.ZEROS);
    }

    @Override
    protected Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> noise) {
      return ctx.tf().math.mul(noise, scale); // [b, h, w, 1] · [c] -> [b, h, w, c]
    }
  }

  /**
   * Adaptive instance normalization: each feature map of each image is standardized over its
   * pixels, then scaled and shifted by the style {@code (ys, yb)} that the affine transform "A"
   * computes from w: {@code ys·(x - mean)/std + yb}, with {@code ys = 1 + A_s(w)} (so the scale
   * starts near 1, as the paper's bias of 1) and {@code yb = A_b(w)}.
   */
  public static final class AdaIn implements Trainable {

    private static final float EPSILON = 1e-8f;

    private final int channels;
    private final EqualizedDense styleScale;
    private final EqualizedDense styleBias;

    public AdaIn(int channels) {
      this.channels = channels;
      this.styleScale = new EqualizedDense(channels);
      this.styleBias = new EqualizedDense(channels);
    }

    public Operand<TFloat32> apply(CallContext ctx, Operand<TFloat32> x, Operand<TFloat32> w) {
      CallContext scoped = ctx.withSubScope("ada_in");
      Ops tf = scoped.tf();
      Operand<TInt32> pixels = tf.constant(new int[] {1, 2});
      Operand<TFloat32> mean = tf.math.mean(x, pixels, Mean.keepDims(true)); // [b, 1, 1, c]
      Operand<TFloat32> centered = tf.math.sub(x, mean);
      Operand<TFloat32> variance =
          tf.math.mean(tf.math.square(centered), pixels, Mean.keepDims(true));
      Operand<TFloat32> normalized =
          tf.math.mul(centered, tf.math.rsqrt(tf.math.add(variance, tf.constant(EPSILON))));
      long[] perChannel = {-1, 1, 1, channels};
      Operand<TFloat32> ys =
          tf.reshape(
              tf.math.add(tf.constant(1f), styleScale.apply(scoped, w)),
              tf.constant(perChannel)); // [b, 1, 1, c]
      Operand<TFloat32> yb = tf.reshape(styleBias.apply(scoped, w), tf.constant(perChannel));
      return tf.math.add(tf.math.mul(ys, normalized), yb);
    }

    @Override
    public List<Variable<TFloat32>> trainableVariables() {
      List<Variable<TFloat32>> variables = new ArrayList<>(styleScale.trainableVariables());
      variables.addAll(styleBias.trainableVariables());
      return List.copyOf(variables);
    }
  }
}
