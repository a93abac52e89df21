package io.github.homl.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * ProGAN's minibatch standard deviation layer (Karras et al. 2018, §3): the standard deviation of
 * each feature at each position over the batch, {@code S = reduce_std(inputs, axis=0)}; their mean
 * over features and positions {@code v = reduce_mean(S)}; and one extra feature map filled with
 * {@code v} for every instance, {@code concat([inputs, fill([batch, h, w, 1], v)], axis=-1)}. A
 * generator that produces too little variety gives a small {@code v}, which the discriminator can
 * then see.
 *
 * <ul>
 *   <li>inputs: {@code [batch, h, w, c]}
 *   <li>outputs: {@code [batch, h, w, c + 1]}
 * </ul>
 *
 * <p>{@code S} is computed as {@code sqrt(variance + 1e-8)} (the 1e-8, from the paper's code, keeps
 * the gradient finite when a feature does not vary).
 *
 * <p><b>Deviation:</b> the book's text takes the standard deviation over the batch <em>and the
 * channels</em> ({@code axis=[0, -1]}). We follow the paper: when every image of a batch is the
 * same, the paper's {@code v} is 0, while the book's stays as large as the spread between channels,
 * so the discriminator barely sees the collapse (our StyleGAN collapsed to one garment with the
 * book's version).
 *
 * <p>{@link #MinibatchStdDev(int)} takes the statistics over groups of images instead, as the
 * paper's code does.
 *
 * <p>Keras counterpart: none; the book gives the three lines of a custom layer.
 */
public final class MinibatchStdDev extends AbstractLayer {

  private static final float EPSILON = 1e-8f;

  private final int groupSize;

  /** Over the whole batch, as the paper's text. */
  public MinibatchStdDev() {
    this(0);
  }

  /**
   * Over consecutive groups of {@code groupSize} images, each group with its own v (the paper's
   * code uses groups of 4; the batch size must be a multiple); 0: the whole batch. In the book's
   * {@code train_gan}, where the discriminator sees a batch of fakes then a batch of real images,
   * groups keep fakes with fakes.
   */
  public MinibatchStdDev(int groupSize) {
    super("minibatch_std_dev");
    if (groupSize < 0 || groupSize == 1) {
      throw new IllegalArgumentException(
          "groupSize must be 0 (whole batch) or >= 2, got " + groupSize);
    }
    this.groupSize = groupSize;
  }

  @Override
  protected void build(CallContext ctx, Shape inputShape) {
    if (inputShape.numDimensions() != 4
        || lastDimension(inputShape) < 0
        || inputShape.get(1) < 0
        || inputShape.get(2) < 0) {
      throw new IllegalArgumentException(
          "MinibatchStdDev expects [batch, height, width, channels] inputs with known sizes, got "
              + inputShape);
    }
  }

  @Override
  protected Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs) {
    if (groupSize > 0) {
      return grouped(ctx.tf(), inputs);
    }
    Ops tf = ctx.tf();
    Shape shape = inputs.shape();
    Operand<TInt32> batch = tf.constant(new int[] {0});
    Operand<TFloat32> mean = tf.math.mean(inputs, batch, Mean.keepDims(true));
    Operand<TFloat32> variance =
        tf.math.mean(tf.math.square(tf.math.sub(inputs, mean)), batch); // [h, w, c]
    Operand<TFloat32> std = tf.math.sqrt(tf.math.add(variance, tf.constant(EPSILON)));
    Operand<TFloat32> v = tf.math.mean(std, tf.constant(new int[] {0, 1, 2})); // scalar
    Operand<TInt32> mapShape =
        tf.concat(
            List.of(
                tf.slice(tf.shape(inputs), tf.constant(new int[] {0}), tf.constant(new int[] {3})),
                tf.constant(new int[] {1})),
            tf.constant(0)); // [batch, h, w, 1]
    Operand<TFloat32> extra = tf.fill(mapShape, v);
    Operand<TFloat32> out = tf.concat(List.of(inputs, extra), tf.constant(-1));
    return tf.reshape(
        out,
        tf.constant(
            new long[] {
              -1, shape.get(1), shape.get(2), shape.get(3) + 1
            })); // [batch, h, w, c + 1], with the static shape restored
  }

  /** The same per group: inputs seen as {@code [groups, g, h, w, c]}, one v per group. */
  private Operand<TFloat32> grouped(Ops tf, Operand<TFloat32> inputs) {
    Shape shape = inputs.shape();
    long h = shape.get(1);
    long w = shape.get(2);
    long c = shape.get(3);
    Operand<TFloat32> groups = tf.reshape(inputs, tf.constant(new long[] {-1, groupSize, h, w, c}));
    Operand<TInt32> member = tf.constant(new int[] {1});
    Operand<TFloat32> mean = tf.math.mean(groups, member, Mean.keepDims(true));
    Operand<TFloat32> variance =
        tf.math.mean(tf.math.square(tf.math.sub(groups, mean)), member, Mean.keepDims(true));
    Operand<TFloat32> std = tf.math.sqrt(tf.math.add(variance, tf.constant(EPSILON)));
    Operand<TFloat32> v =
        tf.math.mean(std, tf.constant(new int[] {2, 3, 4}), Mean.keepDims(true)); // [G,1,1,1,1]
    Operand<TFloat32> extra =
        tf.math.mul(v, tf.ones(tf.constant(new long[] {1, groupSize, h, w, 1}), TFloat32.class));
    return tf.reshape(
        tf.concat(List.of(groups, extra), tf.constant(-1)),
        tf.constant(new long[] {-1, h, w, c + 1}));
  }
}
