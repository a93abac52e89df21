package io.github.homl.evaluation;

import io.github.homl.data.Batches;
import io.github.homl.data.Images;
import io.github.homl.layers.Layer;
import io.github.homl.training.KerasOptimizer;
import io.github.homl.training.TrainStep;
import io.github.homl.training.Workspace;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])} and {@code
 * fit} for a model from {@code [n, 28, 28]} images to class logits, with integer labels.
 *
 * <p>The loss is {@code softmax_cross_entropy_with_logits} on one-hot labels, which has a gradient
 * in TF Java 1.1.0 (the sparse op has none); the one-hot labels travel as images of width 1 fed to
 * a {@code [-1, classes]} placeholder.
 */
public final class ClassifierTrainer {

  private static final int PREDICT_BATCH = 500;

  private final Workspace ws;
  private final int classes;
  private final Placeholder<TFloat32> x;
  private final Placeholder<TFloat32> y;
  private final TrainStep step;
  private final Operand<TFloat32> inferenceLogits;

  /** Builds the training path, its update of {@code model}'s variables, and an inference path. */
  public ClassifierTrainer(Workspace ws, Layer model, int classes,
      Supplier<KerasOptimizer> optimizer) {
    this.ws = ws;
    this.classes = classes;
    Ops tf = ws.tf();
    x = ws.placeholder(-1, 28, 28);
    y = ws.placeholder(-1, classes);
    Operand<TFloat32> logits = model.apply(ws.training(), x);
    Operand<TFloat32> loss = tf.math.mean(
        tf.nn.softmaxCrossEntropyWithLogits(logits, y).loss(), tf.constant(0));
    step = ws.trainStep(loss, model, optimizer);
    inferenceLogits = model.apply(ws.inference(), x);
  }

  /** One epoch over {@code batches} (indices into images and labels); returns the mean loss. */
  public double fitEpoch(Images images, int[] labels, Batches batches) {
    if (images.count() != labels.length) {
      throw new IllegalArgumentException(images.count() + " images but " + labels.length
          + " labels");
    }
    double weightedSum = 0;
    int seen = 0;
    for (int[] indices : batches.nextEpochIndices()) {
      float loss = step.run(Map.of(x, images.gather(indices), y, oneHot(labels, indices, classes)));
      if (!Float.isFinite(loss)) {
        throw new IllegalStateException("classifier loss became " + loss + ": training stopped");
      }
      weightedSum += (double) loss * indices.length;
      seen += indices.length;
    }
    return weightedSum / seen;
  }

  /** Trains {@code epochs} epochs at batch size {@code batchSize}, printing a line per epoch. */
  public void fit(Images images, int[] labels, int epochs, int batchSize, long seed,
      Images xValid, int[] yValid) {
    Batches batches = Batches.of(images.count(), batchSize).shuffled(seed);
    for (int epoch = 1; epoch <= epochs; epoch++) {
      long start = System.nanoTime();
      double loss = fitEpoch(images, labels, batches);
      String valid = xValid == null ? "" : String.format(Locale.ROOT, " - val_accuracy: %.4f",
          accuracy(xValid, yValid));
      System.out.printf(Locale.ROOT, "Epoch %d/%d - %.0fs - loss: %.4f%s%n", epoch, epochs,
          (System.nanoTime() - start) / 1e9, loss, valid);
    }
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

  /** The one-hot rows of {@code labels[indices]} as {@code [n, classes, 1]} images. */
  public static Images oneHot(int[] labels, int[] indices, int classes) {
    float[] rows = new float[indices.length * classes];
    for (int k = 0; k < indices.length; k++) {
      rows[k * classes + labels[indices[k]]] = 1f;
    }
    return new Images(rows, indices.length, classes, 1);
  }
}
