package io.github.homl.cli;

import io.github.homl.config.RunConfig;
import io.github.homl.data.AtomicFiles;
import io.github.homl.data.Images;
import io.github.homl.training.Cpu;
import io.github.homl.training.History;
import io.github.homl.training.Precision;
import io.github.homl.training.RunReport;
import io.github.homl.training.TensorFlowEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bench [SECTION...]}: training steps per second of each section's models at the book's
 * batch sizes, measured as {@code savedmodels/keras/bench.py} measures the Keras code: each section
 * trains {@code --epochs} epochs on the full data set, the first half of them (at least one) is the
 * warm-up, and the rate is the median over the later epochs (a small model's rate keeps rising for
 * a few thousand steps). With {@code --keras FILE.tsv} (written by {@code bench.py --json}) it
 * prints the side-by-side table with the Java/Keras time ratio (below 1.0: Java is faster) and the
 * final losses of both at equal epochs.
 */
@Command(
    name = "bench",
    description =
        "Time training steps/s of sections' models, side by side "
            + "with the Keras numbers of savedmodels/keras/bench.py.")
final class BenchCommand implements Callable<Integer> {

  @Parameters(
      paramLabel = "SECTION",
      arity = "0..*",
      description = "sections from 'list' (default: stacked vae gan dcgan)")
  List<String> sections = new ArrayList<>();

  @Option(
      names = "--epochs",
      defaultValue = "2",
      paramLabel = "N",
      description =
          "epochs per section, the first half of them (at least one) a warm-up (default:"
              + " ${DEFAULT-VALUE})")
  int epochs;

  @Option(
      names = "--steps",
      paramLabel = "N",
      description =
          "train on the first N x 32 training images only (N steps per epoch at batch 32)"
              + " and validate on the first 128, as bench.py --steps N")
  int steps;

  @Option(
      names = "--profile",
      description =
          "trace 20 steps of the last epoch and print the kernel time per op type"
              + " (TensorFlow's step statistics)")
  boolean profile;

  @Option(
      names = "--bare",
      description =
          "also time the stacked autoencoder as a bare TF Java loop (raw ops, the framework's"
              + " Adam, one feed per step): the toolkit's overhead")
  boolean bare;

  @Option(
      names = "--precision",
      paramLabel = "float32|bf16",
      defaultValue = "float32",
      description =
          "train in float32 (the book's) or bf16, TensorFlow's oneDNN bfloat16 rewrite (CPUs with"
              + " AVX512-BF16 or AMX only; default: ${DEFAULT-VALUE})")
  String precision;

  @Option(names = "--keras", paramLabel = "FILE.tsv", description = "Keras results of bench.py")
  Path keras;

  @Option(names = "--data", paramLabel = "DIR", description = "the Fashion-MNIST directory")
  Path data;

  @Option(names = "--out", paramLabel = "FILE.md", description = "also write the table here")
  Path out;

  /** The book's batch size, which {@code --steps} counts in. */
  private static final int BATCH_SIZE = 32;

  /** The steps {@code --profile} traces in each fit's last epoch. */
  private static final int PROFILE_STEPS = 20;

  /** One measured model: steps per epoch, median steps/s after warm-up, last losses. */
  record Row(String model, int stepsPerEpoch, double stepsPerSecond, double loss, double valLoss) {}

  @Override
  public Integer call() throws IOException {
    if (epochs < 2) {
      throw new IllegalArgumentException(
          "--epochs must be at least 2 (one warm-up), got " + epochs);
    }
    List<String> ids = sections.isEmpty() ? List.of("stacked", "vae", "gan", "dcgan") : sections;
    Map<String, Row> java = new LinkedHashMap<>();
    if (steps < 0) {
      throw new IllegalArgumentException("--steps must be positive, got " + steps);
    }
    Cpu cpu = Cpu.current();
    Precision arithmetic = Precision.parse("--precision", precision, cpu);
    Path figures = Files.createTempDirectory("homl-bench-");
    String machine =
        "CPU: "
            + cpu.describe()
            + "; "
            + TensorFlowEnvironment.oneDnn()
            + (arithmetic == Precision.FLOAT32 ? "" : "; training in " + arithmetic.id());
    System.out.println(machine);
    RunConfig config =
        new RunConfig(epochs, false, 42, data, figures)
            .withTrainImages(steps * BATCH_SIZE)
            .withProfile(profile ? PROFILE_STEPS : 0)
            .withStepsOnly()
            .withPrecision(arithmetic);
    try {
      for (String id : ids) {
        Section section = Section.byId(id);
        System.out.println("== bench " + section.sectionClass().getSimpleName());
        RunReport report = section.run(config);
        System.out.print(report.summary()); // includes measures such as sampling seconds
        report.histories().forEach((model, history) -> java.put(model, row(model, history)));
      }
      if (bare) {
        System.out.println("== bench the stacked autoencoder as a bare TF Java loop");
        Images xTrain = config.loadData().xTrain();
        java.put(
            "stacked_ae_bare",
            bareRow(BareLoop.stackedAutoencoder(xTrain, epochs), xTrain.count()));
      }
    } finally {
      AtomicFiles.deleteTree(figures);
    }
    Map<String, Row> kerasRows = keras == null ? Map.of() : readKeras(keras);
    String table = machine + "\n\n" + table(java, kerasRows);
    System.out.print(table);
    if (out != null) {
      AtomicFiles.write(out, temp -> Files.writeString(temp, table));
      System.out.println("Saved " + out);
    }
    return 0;
  }

  static Row row(String model, History history) {
    double median =
        steadyRate(history.epochs().stream().mapToDouble(e -> e.steps() / e.seconds()).toArray());
    History.Epoch last = history.last();
    // a GAN's loss column is its generator's, as in bench.py's TSV
    String loss = last.logs().containsKey("loss") ? "loss" : "g_loss";
    return new Row(model, last.steps(), median, last.get(loss), last.get("val_" + loss));
  }

  /** The bare loop's row: the median steps/s after the warm-up epochs; no losses. */
  private static Row bareRow(double[] rates, int images) {
    double median = steadyRate(rates);
    return new Row("stacked_ae_bare", images / BATCH_SIZE, median, Double.NaN, Double.NaN);
  }

  /** The median of the epochs' rates after the warm-up, the first half of them (at least one). */
  static double steadyRate(double[] rates) {
    return median(java.util.Arrays.copyOfRange(rates, Math.max(1, rates.length / 2), rates.length));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /**
   * The markdown table. A Java model {@code gan_generator} pairs with the Keras {@code gan} (the
   * notebook's loop) and {@code gan_compiled} (both phases in one {@code tf.function}); models that
   * Keras trains with {@code fit} are compiled in the notebook already. The time ratio is against
   * the faster Keras.
   */
  static String table(Map<String, Row> java, Map<String, Row> keras) {
    StringBuilder text =
        new StringBuilder(
            "| model | steps/epoch | Java steps/s | Keras steps/s, notebook | Keras steps/s,"
                + " compiled | Java / best Keras time | Java loss | Keras loss |\n"
                + "|---|---|---|---|---|---|---|---|\n");
    List<String> paired = new ArrayList<>();
    for (Row j : java.values()) {
      String name = kerasName(j.model(), keras);
      Row notebook = keras.get(name);
      Row compiled = keras.getOrDefault(name + "_compiled", notebook);
      paired.add(name);
      paired.add(name + "_compiled");
      double best =
          Math.max(
              notebook == null ? 0 : notebook.stepsPerSecond(),
              compiled == null ? 0 : compiled.stepsPerSecond());
      text.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.1f | %s | %s | %s | %s | %s |%n",
              j.model(),
              j.stepsPerEpoch(),
              j.stepsPerSecond(),
              rate(notebook),
              rate(compiled),
              best == 0 ? "–" : String.format(Locale.ROOT, "**%.2f**", best / j.stepsPerSecond()),
              loss(j.loss()),
              notebook == null ? "–" : loss(notebook.loss())));
    }
    for (Row k : keras.values()) {
      if (!paired.contains(k.model())) {
        text.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | – | %s | – | – | – | %s |%n",
                k.model(),
                k.stepsPerEpoch(),
                rate(k),
                loss(k.loss())));
      }
    }
    return text.toString();
  }

  /** The Keras name of a Java model: the same, or without its {@code _generator} suffix. */
  private static String kerasName(String model, Map<String, Row> keras) {
    String bare = model.replaceFirst("_generator$", "");
    return keras.containsKey(model) ? model : bare;
  }

  private static String loss(double value) {
    return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.4f", value);
  }

  private static String rate(Row row) {
    return row == null ? "–" : String.format(Locale.ROOT, "%.1f", row.stepsPerSecond());
  }

  static Map<String, Row> readKeras(Path tsv) throws IOException {
    Map<String, Row> rows = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(tsv);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t");
      if (f.length != 6) {
        throw new IllegalArgumentException(
            tsv
                + ": expected 6 tab-separated columns (model, "
                + "batch_size, steps_per_epoch, steps_per_second, loss, val_loss), got: "
                + line);
      }
      rows.put(
          f[0],
          new Row(
              f[0], Integer.parseInt(f[2]), Double.parseDouble(f[3]), number(f[4]), number(f[5])));
    }
    return rows;
  }

  /** Python writes NaN as {@code nan}. */
  private static double number(String text) {
    return text.equalsIgnoreCase("nan") ? Double.NaN : Double.parseDouble(text);
  }
}
