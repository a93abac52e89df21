package io.github.homl.cli;

import io.github.homl.data.FashionMnist;
import io.github.homl.evaluation.Evaluator;
import io.github.homl.evaluation.EvaluatorTraining;
import io.github.homl.training.Seeds;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code train-evaluator}: trains the evaluator CNN that every score uses and exports it ({@link
 * EvaluatorTraining}) to {@code --out}: {@code savedmodels/evaluator}, or {@code
 * target/evaluator-quick} under {@code --quick}. Never run automatically: a new evaluator changes
 * every score.
 */
@Command(
    name = "train-evaluator",
    mixinStandardHelpOptions = true,
    description =
        "Train the evaluator CNN every score uses and export it to savedmodels/evaluator/"
            + " (this changes every score; a few minutes).")
final class TrainEvaluatorCommand implements Callable<Integer> {

  /** Training images under {@code --quick}; a quarter as many validation and test images. */
  static final int QUICK_TRAIN = 512;

  @Option(names = "--epochs", paramLabel = "N", description = "epochs (default: 15)")
  int epochs = EvaluatorTraining.EPOCHS;

  @Option(names = "--seed", paramLabel = "N", description = "seed (default: 42)")
  long seed = 42;

  @Option(names = "--data", paramLabel = "DIR", description = "the Fashion-MNIST folder")
  Path data;

  @Option(names = "--out", paramLabel = "DIR", description = "the SavedModel's folder")
  Path out;

  @Option(names = "--quick", description = "512 training images, 1 epoch, into target/")
  boolean quick;

  @Override
  public Integer call() {
    Path dir =
        out != null ? out : quick ? Path.of("target", "evaluator-quick") : Evaluator.DEFAULT_DIR;
    FashionMnist loaded = FashionMnist.load(data);
    if (quick) {
      loaded = loaded.head(QUICK_TRAIN, QUICK_TRAIN / 4, QUICK_TRAIN / 4);
    }
    EvaluatorTraining.Result result =
        EvaluatorTraining.train(loaded, Seeds.of(seed), quick ? 1 : epochs, dir, data);
    System.out.printf(
        Locale.ROOT,
        "evaluator: test accuracy %.4f, exported to %s%n",
        result.testAccuracy(),
        result.dir());
    return 0;
  }
}
