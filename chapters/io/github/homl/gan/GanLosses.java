package io.github.homl.gan;

import io.github.homl.layers.Layers;
import io.github.homl.training.LossValues;
import io.github.homl.training.Losses;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The GAN losses of the book, computed from logits where Keras does. */
public final class GanLosses {

  /** The names {@code train_gan} reports its losses under: the discriminator's, the generator's. */
  public static final List<String> NAMES = List.of("d_loss", "g_loss");

  private GanLosses() {}

  /** The two losses fetched together, each a scalar: {@code d_loss}, then {@code g_loss}. */
  static LossValues values(List<float[]> fetched) {
    return LossValues.of(NAMES, fetched.get(0)[0], fetched.get(1)[0]);
  }

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

  private static Operand<TFloat32> meanSoftplus(Ops tf, Operand<TFloat32> logits) {
    // BCE(y, sigmoid(l)) = softplus(-l) for y = 1 and softplus(l) for y = 0
    return tf.math.mean(tf.math.softplus(logits), tf.constant(new int[] {0, 1}));
  }
}
