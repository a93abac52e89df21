package io.github.homl.evaluation;

import io.github.homl.data.FashionMnist;
import io.github.homl.saving.SavedModels;
import io.github.homl.training.Adam;
import io.github.homl.training.FitOptions;
import io.github.homl.training.Seeds;
import io.github.homl.training.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Trains the evaluator CNN on the 55,000 training images (Adam, batch 128), reports its validation
 * and test accuracy, and exports it as the SavedModel {@code savedmodels/evaluator/} with a README.
 *
 * <p>This is the only way the evaluator changes, and nothing runs it automatically: every score in
 * the project is measured with the same committed network, so scores stay comparable over time.
 *
 * <p>The command line's {@code train-evaluator} runs it.
 */
public final class EvaluatorTraining {

  /** The book-free settings of the committed evaluator: 15 epochs of Adam, batch 128. */
  public static final int EPOCHS = 15;

  static final int BATCH_SIZE = 128;

  /** The command that retrains the evaluator, written into its README. */
  static final String COMMAND = "mvn -q compile exec:java -Dexec.args=\"train-evaluator\"";

  private EvaluatorTraining() {}

  /** What a training run measured. */
  public record Result(double validAccuracy, double testAccuracy, double seconds, Path dir) {}

  /**
   * Trains on {@code data} for {@code epochs} from {@code seeds} and exports to {@code dir}; the
   * export is checked against the test images of {@code dataDir} ({@code --data}, or {@code null}
   * for the usual search).
   */
  public static Result train(FashionMnist data, Seeds seeds, int epochs, Path dir, Path dataDir) {
    long start = System.nanoTime();
    try (Workspace ws = Workspace.create(seeds)) {
      EvaluatorNet evaluator = new EvaluatorNet();
      ClassifierTrainer trainer =
          new ClassifierTrainer(ws, evaluator, EvaluatorNet.CLASSES, Adam::new);
      trainer.fit(
          data.xTrain(),
          data.yTrain(),
          epochs,
          FitOptions.defaults().batchSize(BATCH_SIZE).validation(data.xValid(), data.yValid()));
      double seconds = (System.nanoTime() - start) / 1e9;
      double validAccuracy = trainer.accuracy(data.xValid(), data.yValid());
      double testAccuracy = trainer.accuracy(data.xTest(), data.yTest());
      System.out.printf(
          Locale.ROOT,
          "valid accuracy %.4f, test accuracy %.4f, %.0f s%n",
          validAccuracy,
          testAccuracy,
          seconds);

      SavedModels.export(ws, dir, signature(ws, evaluator));
      Scores floor = checkExport(dir, dataDir, data, testAccuracy);
      writeMetadata(dir, data, epochs, seeds.graph(), validAccuracy, testAccuracy, seconds, floor);
      return new Result(validAccuracy, testAccuracy, seconds, dir);
    }
  }

  /** Reloads the export, checks it reproduces the test accuracy, and measures the FID floor. */
  private static Scores checkExport(
      Path dir, Path dataDir, FashionMnist data, double testAccuracy) {
    try (Evaluator exported = Evaluator.load(dir, dataDir)) {
      double reloaded = exported.accuracy(data.xTest(), data.yTest());
      if (Math.abs(reloaded - testAccuracy) > 5e-4) { // a few images may flip on rounding
        throw new IllegalStateException(
            "the SavedModel in "
                + dir
                + " gives test accuracy "
                + reloaded
                + ", the trained network "
                + testAccuracy);
      }
      Scores floor = exported.realVsReal();
      floor.print();
      return floor;
    }
  }

  /** {@code serving_default}: {@code images [-1, 28, 28]} → {@code features}, {@code logits}. */
  private static Signature signature(Workspace ws, EvaluatorNet evaluator) {
    Ops tf = ws.tf();
    Placeholder<TFloat32> images =
        tf.withName(Evaluator.INPUT)
            .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28)));
    EvaluatorNet.Outputs outputs = evaluator.call(ws.inference(), images);
    Operand<TFloat32> features = tf.withName(Evaluator.FEATURES).identity(outputs.features());
    Operand<TFloat32> logits = tf.withName(Evaluator.LOGITS).identity(outputs.logits());
    return Signature.builder()
        .key(Signature.DEFAULT_KEY)
        .input(Evaluator.INPUT, images)
        .output(Evaluator.FEATURES, features)
        .output(Evaluator.LOGITS, logits)
        .build();
  }

  private static void writeMetadata(
      Path dir,
      FashionMnist data,
      int epochs,
      long seed,
      double validAccuracy,
      double testAccuracy,
      double seconds,
      Scores floor) {
    String properties =
        String.format(
            Locale.ROOT,
            """
        # written by EvaluatorTraining; read by Evaluator.recordedTestAccuracy()
        test_accuracy=%.4f
        valid_accuracy=%.4f
        epochs=%d
        batch_size=%d
        seed=%d
        train_images=%d
        train_seconds=%.0f
        real_vs_real_fid=%.4f
        """,
            testAccuracy,
            validAccuracy,
            epochs,
            BATCH_SIZE,
            seed,
            data.xTrain().count(),
            seconds,
            floor.fid());
    String readme =
        String.format(
            Locale.ROOT,
            """
        # The evaluator

        A Fashion-MNIST CNN trained by this project, the fixed yardstick of every generative score
        (FID-FMNIST, KID, class coverage, conditional accuracy): see
        `chapters/io/github/homl/evaluation/`.

        - **Test accuracy: %.2f%%** on the %,d test images (validation %.2f%%).
        - Architecture (`EvaluatorNet`): Conv2D(32, 3, same, relu) → MaxPool2D → Conv2D(64, 3,
          same, relu) → MaxPool2D → Flatten → Dropout(0.25) → Dense(128, relu) = `features` →
          Dropout(0.5) → Dense(10) = `logits`; 421,642 weights.
        - Trained on the %,d training images of the book's split for %d epochs (Adam 1e-3,
          batch %d, seed %d) in %.0f s on 2 CPU cores (shared with other jobs).
        - Real-vs-real floor (the first 10,000 training images against the 10,000 test images):
          FID-FMNIST %.3f, KID %.4f ± %.4f (10 subsets of 1,000), class coverage %.4f. A generator
          is as good as real data when its scores reach these values, not 0.
        - Signature `serving_default`: `images` float32 [-1, 28, 28] in [0, 1] → `features`
          float32 [-1, 128], `logits` float32 [-1, 10]. Python:
          `tf.saved_model.load(dir).signatures["serving_default"](images=x)`.

        Retraining changes every score, so it is never automatic. To retrain (it replaces this
        directory):

        ```
        %s
        ```
        """,
            testAccuracy * 100,
            data.xTest().count(),
            validAccuracy * 100,
            data.xTrain().count(),
            epochs,
            BATCH_SIZE,
            seed,
            seconds,
            floor.fid(),
            floor.kid().mean(),
            floor.kid().std(),
            floor.coverage(),
            COMMAND);
    try {
      Files.writeString(dir.resolve(Evaluator.METADATA), properties, StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("README.md"), readme, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the evaluator's README in " + dir, e);
    }
  }
}
