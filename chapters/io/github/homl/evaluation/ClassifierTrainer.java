package io.github.homl.evaluation;

import io.github.homl.data.Images;
import io.github.homl.layers.Layer;
import io.github.homl.training.Feeds;
import io.github.homl.training.Fit;
import io.github.homl.training.FitOptions;
import io.github.homl.training.GradientUpdate;
import io.github.homl.training.History;
import io.github.homl.training.KerasOptimizer;
import io.github.homl.training.LossValues;
import io.github.homl.training.TrainingStep;
import io.github.homl.training.Workspace;
import java.util.Map;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras's {@code compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])} and {@code
 * fit} for a model from {@code [n, 28, 28]} images (or another size) to class logits, with integer
 * labels.
 *
 * <p>The loss is {@code softmax_cross_entropy_with_logits} on one-hot labels, which has a gradient
 * in TF Java 1.1.0 (the sparse op has none); the integer labels are fed as int32 and made one-hot
 * in the graph.
 */
public final class ClassifierTrainer {

  private static final int PREDICT_BATCH = 500;

  private final Workspace ws;
  private final int classes;
  private final Placeholder<TFloat32> x;
  private final Placeholder<TInt32> y;
  private final Operand<TFloat32> loss;
  private final GradientUpdate update;
  private final Operand<TFloat32> inferenceLogits;
  private final Operand<TFloat32> heldOutLoss;

  /** Builds the training path, its update of {@code model}'s variables, and an inference path. */
  public ClassifierTrainer(
      Workspace ws, Layer model, int classes, Supplier<KerasOptimizer> optimizer) {
    this(ws, model, classes, optimizer, 28, 28);
  }

  /** The same for images of {@code height × width} (another data set than Fashion-MNIST). */
  public ClassifierTrainer(
      Workspace ws,
      Layer model,
      int classes,
      Supplier<KerasOptimizer> optimizer,
      int height,
      int width) {
    this.ws = ws;
    this.classes = classes;
    Ops tf = ws.tf();
    x = ws.placeholder(-1, height, width);
    y = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    Operand<TFloat32> oneHot = tf.oneHot(y, tf.constant(classes), tf.constant(1f), tf.constant(0f));
    Operand<TFloat32> logits = model.apply(ws.training(), x);
    loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, oneHot).loss(), tf.constant(0));
    update = ws.gradientUpdate(loss, model, optimizer);
    inferenceLogits = model.apply(ws.inference(), x);
    heldOutLoss = // as Keras's evaluate: inference mode, Dropout off
        tf.math.mean(
            tf.nn.softmaxCrossEntropyWithLogits(inferenceLogits, oneHot).loss(), tf.constant(0));
  }

  /**
   * Trains {@code epochs} epochs with {@link Fit}, as {@code options} say (batch size, held-out
   * losses after each epoch, shuffle seed, progress).
   */
  public History fit(Images images, int[] labels, int epochs, FitOptions<int[]> options) {
    if (images.count() != labels.length) {
      throw new IllegalArgumentException(
          images.count() + " images but " + labels.length + " labels");
    }
    return options
        .fit(ws, step(images, labels, options.xValid(), options.yValid()), images.count())
        .run(epochs);
  }

  /** {@code train_step} and {@code test_step} of the classifier. */
  private TrainingStep step(Images xTrain, int[] yTrain, Images xValid, int[] yValid) {
    return TrainingStep.of(
        batch -> LossValues.of("loss", update.run(feeds(batch, xTrain, yTrain))),
        batch -> LossValues.of("loss", ws.run(heldOutLoss, feeds(batch, xValid, yValid))[0]));
  }

  private Feeds feeds(TrainingStep.Batch batch, Images xs, int[] ys) {
    int[] classes = new int[batch.indices().length];
    for (int i = 0; i < classes.length; i++) {
      classes[i] = ys[batch.indices()[i]];
    }
    return ws.feeds(batch).images(x, xs.gather(batch.indices())).ints(y, classes);
  }

  /** The inference-mode logits of every image, {@code [n, classes]} flattened. */
  public float[] logits(Images images) {
    float[] out = new float[images.count() * classes];
    for (int from = 0; from < images.count(); from += PREDICT_BATCH) {
      int to = Math.min(images.count(), from + PREDICT_BATCH);
      float[] values = ws.run(inferenceLogits, Map.of(x, images.slice(from, to)));
      System.arraycopy(values, 0, out, from * classes, values.length);
    }
    return out;
  }

  public int[] predict(Images images) {
    return Metrics.argmax(logits(images), classes);
  }

  public double accuracy(Images images, int[] labels) {
    return Metrics.conditionalAccuracy(predict(images), labels);
  }
}
