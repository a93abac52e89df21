package io.github.homl.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Minibatch discrimination (Salimans et al. 2016, "Improved Techniques for Training GANs", §3.2),
 * one of the cures for mode collapse the book names: it "measures how similar images are across the
 * batch and gives this statistic to the discriminator, so it can easily reject a whole batch of
 * fake images that lack diversity".
 *
 * <p>The features f(x_i) ∈ ℝ^A of each image are multiplied by a learned tensor T ∈ ℝ^{A×B×C},
 * giving B rows M_{i,b} ∈ ℝ^C per image; c_b(x_i, x_j) = exp(−‖M_{i,b} − M_{j,b}‖_1) measures how
 * close two images are along row b, and o(x_i)_b = Σ_j c_b(x_i, x_j) sums it over the other images
 * of the group (the paper sums over the minibatch, including j = i, which adds the constant 1; it
 * is left out here). The output is {@code concat([f(x_i), o(x_i)])}: a batch of near copies gets
 * large o, and the discriminator learns to call it fake.
 *
 * <ul>
 *   <li>inputs: {@code [batch, A]}
 *   <li>kernel T: {@code [A, B·C]}, uniform in ±0.05 (common implementations draw normal with
 *       stddev 0.02, about the same spread)
 *   <li>outputs: {@code [batch, A + B]}
 * </ul>
 *
 * <p>The batch is split into consecutive groups of {@code groupSize} images and each image is
 * compared with its group only (the batch size must be a multiple of it). The paper computes the
 * statistics over real and generated minibatches separately; the book's {@code train_gan} shows the
 * discriminator one batch of fakes followed by one of real images, so a group size equal to the
 * batch size keeps fakes with fakes and real images with real images.
 *
 * <p>Keras counterpart: none (not in Keras; the paper's code is Theano).
 */
public final class MinibatchDiscrimination extends AbstractLayer {

  private final int kernels;
  private final int kernelDim;
  private final int groupSize;
  private Operand<TFloat32> kernel;

  /**
   * {@code kernels} rows B of {@code kernelDim} values C each, compared within groups of {@code
   * groupSize} consecutive images.
   */
  public MinibatchDiscrimination(int kernels, int kernelDim, int groupSize) {
    super("minibatch_discrimination");
    this.kernels = Layers.positive("kernels", kernels);
    this.kernelDim = Layers.positive("kernelDim", kernelDim);
    if (groupSize < 2) {
      throw new IllegalArgumentException("groupSize must be at least 2, got " + groupSize);
    }
    this.groupSize = groupSize;
  }

  @Override
  protected void build(CallContext ctx, Shape inputShape) {
    if (inputShape.numDimensions() != 2 || lastDimension(inputShape) < 1) {
      throw new IllegalArgumentException(
          "MinibatchDiscrimination expects [batch, features] inputs, got " + inputShape);
    }
    kernel =
        addWeight(
            ctx,
            "kernel",
            Shape.of(lastDimension(inputShape), (long) kernels * kernelDim),
            Init.UNIFORM_005);
  }

  @Override
  protected Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs) {
    Ops tf = ctx.tf();
    // M: [groups, g, B, C]
    Operand<TFloat32> m =
        tf.reshape(
            tf.linalg.matMul(inputs, kernel),
            tf.constant(new long[] {-1, groupSize, kernels, kernelDim}));
    // |M_i - M_j| summed over C: [groups, g, g, B]
    Operand<TFloat32> diff =
        tf.math.sub(
            tf.expandDims(m, tf.constant(2)), // [groups, g, 1, B, C]
            tf.expandDims(m, tf.constant(1))); // [groups, 1, g, B, C]
    Operand<TFloat32> l1 = tf.reduceSum(tf.math.abs(diff), tf.constant(4));
    // o(x_i)_b = sum over j != i of exp(-L1): the sum over all j minus exp(0) = 1
    Operand<TFloat32> o =
        tf.math.sub(tf.reduceSum(tf.math.exp(tf.math.neg(l1)), tf.constant(2)), tf.constant(1f));
    Operand<TFloat32> features = tf.reshape(o, tf.constant(new long[] {-1, kernels}));
    return tf.concat(List.of(inputs, features), tf.constant(-1));
  }
}
