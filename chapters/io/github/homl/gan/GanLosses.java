package io.github.homl.gan;

import io.github.homl.layers.Layers;
import io.github.homl.training.Losses;
import io.github.homl.training.SecondOrderGradients;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The GAN losses of the book, computed from logits where Keras does. */
public final class GanLosses {

  private GanLosses() {}

  /**
   * Keras 2's {@code binary_crossentropy}, averaged. On the output of a Sigmoid op it uses the
   * logits ({@code sigmoid_cross_entropy_with_logits}), as {@code tf_keras.backend
   * .binary_crossentropy} does: no clipping, so a confident discriminator still passes gradient.
   * Otherwise it is the clipped formula of {@link Losses#BCE}.
   */
  public static Operand<TFloat32> binaryCrossentropy(
      Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    if (yPred.op() instanceof GraphOperation op && op.type().equals("Sigmoid")) {
      Operand<TFloat32> logits = op.input(0).expect(TFloat32.class);
      Operand<TFloat32> perExample =
          org.tensorflow.framework.losses.Losses.binaryCrossentropy(tf, yTrue, logits, true, 0f);
      return tf.math.mean(perExample, Layers.allAxes(tf, perExample));
    }
    return Losses.BCE.apply(tf, yTrue, yPred);
  }

  /**
   * The book's discriminator loss, BCE with fake = 0 and real = 1 averaged over both halves, from
   * logits: {@code (mean(softplus(fake)) + mean(softplus(-real))) / 2}.
   */
  public static Operand<TFloat32> discriminatorLoss(
      Ops tf, Operand<TFloat32> fakeLogits, Operand<TFloat32> realLogits) {
    Operand<TFloat32> fake = meanSoftplus(tf, fakeLogits);
    Operand<TFloat32> real = meanSoftplus(tf, tf.math.neg(realLogits));
    return tf.math.mul(tf.constant(0.5f), tf.math.add(fake, real));
  }

  /** The book's generator loss, BCE with the fakes labelled real: {@code mean(softplus(-fake))}. */
  public static Operand<TFloat32> generatorLoss(Ops tf, Operand<TFloat32> fakeLogits) {
    return meanSoftplus(tf, tf.math.neg(fakeLogits));
  }

  /**
   * The R1 penalty of Mescheder et al. (2018), which StyleGAN adds to its discriminator's loss with
   * weight γ/2: {@code mean_i ||d logit_i / d real_i||²}, the squared norm of the discriminator's
   * gradient at each real image. Building its gradient (a gradient of a gradient) needs {@link
   * SecondOrderGradients}, which this enables.
   *
   * @param realLogits the discriminator's logits {@code [batch, 1]} of {@code realImages}
   * @param realImages the images {@code [batch, h, w, c]} the logits were computed from
   */
  public static Operand<TFloat32> r1Penalty(
      Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> realImages) {
    SecondOrderGradients.enable();
    Graph graph = (Graph) tf.scope().env();
    // d sum(logits) / d images, seeded with explicit ones: the default seed is an OnesLike
    Output<?>[] gradient =
        graph.addGradients(
            null,
            new Output<?>[] {realLogits.asOutput()},
            new Output<?>[] {realImages.asOutput()},
            new Output<?>[] {tf.ones(tf.shape(realLogits), TFloat32.class).asOutput()});
    Operand<TFloat32> squares = tf.math.square(gradient[0].expect(TFloat32.class));
    Operand<TFloat32> perImage = tf.reduceSum(squares, tf.constant(new int[] {1, 2, 3}));
    return tf.math.mean(perImage, tf.constant(0));
  }

  private static Operand<TFloat32> meanSoftplus(Ops tf, Operand<TFloat32> logits) {
    // BCE(y, sigmoid(l)) = softplus(-l) for y = 1 and softplus(l) for y = 0
    return tf.math.mean(tf.math.softplus(logits), tf.constant(new int[] {0, 1}));
  }
}
