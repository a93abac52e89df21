package io.github.homl.chapter17;

import io.github.homl.data.Batches;
import io.github.homl.data.FashionMnist;
import io.github.homl.data.Images;
import io.github.homl.evaluation.ClassifierTrainer;
import io.github.homl.layers.CallContext;
import io.github.homl.layers.Dense;
import io.github.homl.layers.Layer;
import io.github.homl.layers.Sequential;
import io.github.homl.training.Adam;
import io.github.homl.training.RunConfig;
import io.github.homl.training.Workspace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The second half of exercise 10 ({@link Exercise10Pretraining}): "Build a classification DNN,
 * reusing the lower layers of the autoencoder. Train it using only 500 images from the training
 * set. Does it perform better with or without pretraining?" Three classifiers {@code encoder →
 * Dense(10)}, each in its own workspace, trained on the same 500 labelled images per seed: the
 * encoder from scratch, pretrained and fine-tuned, or pretrained and frozen (only the head
 * trains). The pretrained weights travel from the autoencoder's workspace as arrays.
 */
final class Exercise10Classifiers {

  static final int LABELLED = 500;
  static final int SEEDS = 3;
  private static final int CLASSIFIER_EPOCHS = 30;

  /** The three classifiers compared, in the order they are reported. */
  enum Variant {
    FROM_SCRATCH("from scratch"),
    FINE_TUNED("pretrained, fine-tuned"),
    FROZEN("pretrained, frozen");

    final String label;

    Variant(String label) {
      this.label = label;
    }
  }

  private Exercise10Classifiers() {}

  /**
   * Trains every variant for seeds {@code config.seed()} to {@code config.seed() + 2}, prints the
   * table and returns each variant's mean and standard deviation of the test accuracy.
   */
  static Map<String, Double> compare(List<float[]> pretrained, FashionMnist data,
      RunConfig config) {
    Map<Variant, double[]> accuracies = new EnumMap<>(Variant.class);
    for (Variant variant : Variant.values()) {
      accuracies.put(variant, new double[SEEDS]);
    }
    for (int s = 0; s < SEEDS; s++) {
      long seed = config.seed() + s;
      int[] labelled = sample(data.xTrain().count(), Math.min(LABELLED, data.xTrain().count()),
          seed);
      for (Variant variant : Variant.values()) {
        accuracies.get(variant)[s] = trainClassifier(variant, pretrained, data, labelled, seed,
            config.epochs(CLASSIFIER_EPOCHS));
      }
    }
    return report(accuracies);
  }

  /** Trains one classifier on the labelled images; returns its test accuracy. */
  private static double trainClassifier(Variant variant, List<float[]> pretrained,
      FashionMnist data, int[] labelled, long seed, int epochs) {
    try (Workspace ws = Workspace.create(seed)) {
      Sequential encoder = Exercise10Pretraining.encoder();
      Dense head = new Dense(10);
      Sequential classifier = Sequential.of(encoder, head);
      Layer trained = variant == Variant.FROZEN ? new Layer() { // only the head's variables move
        @Override
        public Operand<TFloat32> apply(CallContext ctx, Operand<TFloat32> inputs) {
          return classifier.apply(ctx, inputs);
        }

        @Override
        public List<Variable<TFloat32>> trainableVariables() {
          return head.trainableVariables();
        }
      } : classifier;
      ClassifierTrainer trainer = new ClassifierTrainer(ws, trained, 10, Adam::new);
      if (variant != Variant.FROM_SCRATCH) {
        assign(ws, encoder.trainableVariables(), pretrained);
      }
      Images x = data.xTrain().gather(labelled);
      int[] y = new int[labelled.length];
      for (int i = 0; i < y.length; i++) {
        y[i] = data.yTrain()[labelled[i]];
      }
      Batches batches = Batches.of(x.count(), 32).shuffled(seed);
      for (int epoch = 0; epoch < epochs; epoch++) {
        trainer.fitEpoch(x, y, batches);
      }
      double accuracy = trainer.accuracy(data.xTest(), data.yTest());
      System.out.printf(Locale.ROOT, "seed %d, %s: test accuracy %.4f%n", seed, variant.label,
          accuracy);
      return accuracy;
    }
  }

  /** Mean and standard deviation of each variant's accuracies, printed as a table. */
  private static Map<String, Double> report(Map<Variant, double[]> accuracies) {
    Map<String, Double> measures = new LinkedHashMap<>();
    System.out.printf("%-26s test accuracy on %d labels (mean ± std over %d seeds)%n",
        "classifier", LABELLED, SEEDS);
    accuracies.forEach((variant, values) -> {
      double mean = Arrays.stream(values).average().orElse(Double.NaN);
      double std = Math.sqrt(Arrays.stream(values)
          .map(v -> (v - mean) * (v - mean)).sum() / (values.length - 1)); // sample std
      System.out.printf(Locale.ROOT, "%-26s %.4f ± %.4f   %s%n", variant.label, mean, std,
          Arrays.toString(values));
      measures.put(variant.label + " accuracy mean", mean);
      measures.put(variant.label + " accuracy std", std);
    });
    return measures;
  }

  /** {@code count} distinct indices below {@code n}, drawn with {@code new Random(seed)}. */
  private static int[] sample(int n, int count, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(n - i);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return Arrays.copyOf(order, count);
  }

  /** The current values of {@code variables}. */
  static List<float[]> values(Workspace ws, List<Variable<TFloat32>> variables) {
    return ws.runAll(List.copyOf(variables), Map.of());
  }

  /** Sets {@code variables} to {@code values}, in order (the weights of another workspace). */
  private static void assign(Workspace ws, List<Variable<TFloat32>> variables,
      List<float[]> values) {
    List<Operand<TFloat32>> assigns = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Variable<TFloat32> variable = variables.get(i);
      assigns.add(ws.tf().assign(variable, ws.tf().constant(variable.shape(),
          DataBuffers.of(values.get(i), true, false))));
    }
    ws.runAll(assigns, Map.of());
  }
}
