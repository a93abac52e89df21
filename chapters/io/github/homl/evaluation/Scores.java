package io.github.homl.evaluation;

import io.github.homl.data.AtomicFiles;
import io.github.homl.data.FashionMnist;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The scores of one set of images against the Fashion-MNIST test set, in the evaluator's feature
 * space. Scores that do not apply are {@code NaN} (conditional accuracy for an unconditional
 * generator, reconstruction MSE for anything but an autoencoder).
 *
 * @param name what was scored (a section's model, a file)
 * @param count how many images
 * @param fid FID-FMNIST: the Fréchet distance to the test set's feature statistics (lower is
 *     better; compare with the real-vs-real floor, not with 0)
 * @param kid KID against the test set's features
 * @param coverage class coverage in [0, 1]: 1 = every class predicted equally often
 * @param classCounts how many images the evaluator assigns to each class
 * @param conditionalAccuracy the fraction classified as the requested class, or NaN
 * @param classAccuracies that fraction for each requested class (empty when nothing was requested)
 * @param reconstructionMse the autoencoder's mean squared reconstruction error, or NaN
 */
public record Scores(
    String name,
    int count,
    double fid,
    Kid kid,
    double coverage,
    int[] classCounts,
    double conditionalAccuracy,
    double[] classAccuracies,
    double reconstructionMse) {

  public Scores {
    classCounts = classCounts.clone();
    classAccuracies = classAccuracies.clone();
  }

  @Override
  public int[] classCounts() {
    return classCounts.clone();
  }

  @Override
  public double[] classAccuracies() {
    return classAccuracies.clone();
  }

  /** The same scores with a conditional accuracy, overall and per requested class. */
  public Scores withConditionalAccuracy(double accuracy, double[] perClass) {
    return new Scores(
        name, count, fid, kid, coverage, classCounts, accuracy, perClass, reconstructionMse);
  }

  /** The same scores with a reconstruction MSE. */
  public Scores withReconstructionMse(double mse) {
    return new Scores(
        name, count, fid, kid, coverage, classCounts, conditionalAccuracy, classAccuracies, mse);
  }

  /** The same scores under another name. */
  public Scores named(String newName) {
    return new Scores(
        newName,
        count,
        fid,
        kid,
        coverage,
        classCounts,
        conditionalAccuracy,
        classAccuracies,
        reconstructionMse);
  }

  /** Prints {@link #table} of these scores to standard output. */
  public void print() {
    System.out.print(table(List.of(this)));
  }

  /** One line per set of scores, under a header; KID is shown ×1000, as papers do. */
  public static String table(List<Scores> rows) {
    StringBuilder text =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%-32s %7s %9s %17s %9s %9s %9s%n",
                "images",
                "n",
                "FID-FMNIST",
                "KIDx1000",
                "coverage",
                "cond.acc",
                "rec.MSE"));
    for (Scores s : rows) {
      double fid = Math.abs(s.fid) < 5e-4 ? 0.0 : s.fid; // no "-0.000" for a rounding residue
      text.append(
          String.format(
              Locale.ROOT,
              "%-32s %7d %10.3f %8.3f ± %6.3f %9.4f %9s %9s%n",
              s.name,
              s.count,
              fid,
              s.kid.mean() * 1000,
              s.kid.std() * 1000,
              s.coverage,
              optional(s.conditionalAccuracy, "%.4f"),
              optional(s.reconstructionMse, "%.5f")));
    }
    for (Scores s : rows) {
      if (s.classAccuracies.length > 0) {
        text.append(s.name).append(": requested class found");
        for (int c = 0; c < s.classAccuracies.length; c++) {
          text.append(c == 0 ? " " : ", ")
              .append(className(c))
              .append(' ')
              .append(optional(s.classAccuracies[c], "%.3f"));
        }
        text.append('\n');
      }
    }
    return text.toString();
  }

  /** The scores as one JSON object (NaN scores are {@code null}). */
  public String toJson() {
    StringBuilder counts = new StringBuilder();
    for (int c = 0; c < classCounts.length; c++) {
      counts
          .append(c == 0 ? "" : ", ")
          .append(quote(className(c)))
          .append(": ")
          .append(classCounts[c]);
    }
    String perClass = "null";
    if (classAccuracies.length > 0) {
      StringBuilder accuracies = new StringBuilder("{");
      for (int c = 0; c < classAccuracies.length; c++) {
        accuracies
            .append(c == 0 ? "" : ", ")
            .append(quote(className(c)))
            .append(": ")
            .append(number(classAccuracies[c]));
      }
      perClass = accuracies.append('}').toString();
    }
    return String.format(
        Locale.ROOT,
        "{\"name\": %s, \"count\": %d, \"fid_fmnist\": %s, "
            + "\"kid_mean\": %s, \"kid_std\": %s, \"kid_subsets\": %d, \"kid_subset_size\": %d, "
            + "\"coverage\": %s, \"class_counts\": {%s}, \"conditional_accuracy\": %s, "
            + "\"class_accuracies\": %s, \"reconstruction_mse\": %s}",
        quote(name),
        count,
        number(fid),
        number(kid.mean()),
        number(kid.std()),
        kid.subsets(),
        kid.subsetSize(),
        number(coverage),
        counts,
        number(conditionalAccuracy),
        perClass,
        number(reconstructionMse));
  }

  /**
   * Writes {@link #toJson} atomically to {@code <dir>/<name>_scores.json} (characters outside
   * {@code [A-Za-z0-9_.-]} in the name become {@code _}); returns the file.
   */
  public Path saveJson(Path dir) {
    Path json = dir.resolve(name.replaceAll("[^A-Za-z0-9_.-]", "_") + "_scores.json");
    String text = toJson() + "\n";
    try {
      return AtomicFiles.write(json, temp -> Files.writeString(temp, text, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + json + ": " + e.getMessage(), e);
    }
  }

  /** A JSON array of several scores, one per line. */
  public static String toJson(List<Scores> rows) {
    StringBuilder json = new StringBuilder("[\n");
    for (int i = 0; i < rows.size(); i++) {
      json.append("  ").append(rows.get(i).toJson()).append(i + 1 < rows.size() ? ",\n" : "\n");
    }
    return json.append("]\n").toString();
  }

  private static String className(int c) {
    return c < FashionMnist.CLASS_NAMES.length ? FashionMnist.CLASS_NAMES[c] : "class " + c;
  }

  private static String optional(double value, String format) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
  }

  private static String number(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value) : "null";
  }

  /** {@code text} as a JSON string literal. */
  public static String quote(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char ch : text.toCharArray()) {
      switch (ch) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\n' -> quoted.append("\\n");
        default -> {
          if (ch < 0x20) {
            quoted.append(String.format("\\u%04x", (int) ch));
          } else {
            quoted.append(ch);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }
}
