package io.github.homl.gan;

import io.github.homl.data.Images;
import io.github.homl.data.Vectors;
import io.github.homl.evaluation.Outputs;
import io.github.homl.evaluation.PixelRange;
import io.github.homl.figures.Figures;
import io.github.homl.figures.ImageGrid;
import io.github.homl.saving.Pretrained;
import io.github.homl.saving.SavedGenerator;
import io.github.homl.training.History;
import io.github.homl.training.RunReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * What a GAN section ends with, from the generator it just trained or from its pretrained one
 * ({@code run SECTION --pretrained}): the book's 4×8 figure, the loss curves and the scores.
 */
public final class GanResults {

  private GanResults() {}

  /** A generator in inference mode: codings {@code [n, k]} to images. */
  public interface Generator extends Function<Vectors, Images> {}

  /** A conditional generator in inference mode: codings {@code [n, k]} and n class labels. */
  public interface ConditionalGenerator extends BiFunction<Vectors, int[], Images> {}

  /**
   * {@code <name>_generated_images_plot.png} ({@code tf.random.set_seed(seed);
   * generator.predict(tf.random.normal([32, codings_size]))}, the codings drawn with {@code
   * java.util.Random(seed)}), {@code <name>_losses_plot.png} from the history, and the scores of
   * fresh samples mapped to [0, 1] from the generator's pixel {@code range}.
   */
  public static RunReport report(
      Outputs out,
      String name,
      History history,
      Generator generator,
      int codingsSize,
      PixelRange range) {
    Images images = generator.apply(Vectors.gaussian(out.seeds().figures(), 32, codingsSize));
    Path figure = Figures.saveImages(images, 8, out.dir(), name + "_generated_images_plot");
    Path losses = history.saveLossPlot(out.dir(), name + "_losses_plot");
    Map<String, Double> scores =
        out.scores().score(name, samples(out, generator, codingsSize, range));
    return new RunReport(Map.of(name, history), scores, List.of(figure, losses));
  }

  /** Fresh samples from codings drawn with {@code Random(seeds.scoring())}, mapped to [0, 1]. */
  public static IntFunction<Images> samples(
      Outputs out, Generator generator, int codingsSize, PixelRange range) {
    Random noise = new Random(out.seeds().scoring());
    return n -> range.toUnit(generator.apply(Vectors.gaussian(noise, n, codingsSize)));
  }

  /**
   * What the conditional GAN ends with: {@code <name>_generated_images_plot.png}, one row per class
   * of {@code imagesPerClass} images whose column j shares the same seeded codings, so a column
   * shows one "style" across classes; {@code <name>_losses_plot.png}; the scores of fresh samples
   * (tanh images mapped to [0, 1]) with how often the evaluator sees the requested class.
   */
  public static RunReport conditionalReport(
      Outputs out,
      String name,
      History history,
      ConditionalGenerator generator,
      int codingsSize,
      int nClasses,
      int imagesPerClass) {
    Vectors codings = Vectors.gaussian(out.seeds().figures(), imagesPerClass, codingsSize);
    List<Images> rows = new ArrayList<>();
    for (int label = 0; label < nClasses; label++) {
      int[] classes = new int[imagesPerClass];
      Arrays.fill(classes, label);
      rows.add(generator.apply(codings, classes));
    }
    Path figure =
        Figures.saveFig(ImageGrid.plotRows(rows), out.dir(), name + "_generated_images_plot");
    Path losses = history.saveLossPlot(out.dir(), name + "_losses_plot");
    Random noise = new Random(out.seeds().scoring());
    Map<String, Double> scores =
        out.scores()
            .scoreConditional(
                name,
                nClasses,
                classes ->
                    PixelRange.SYMMETRIC.toUnit(
                        generator.apply(
                            Vectors.gaussian(noise, classes.length, codingsSize), classes)));
    return new RunReport(Map.of(name, history), scores, List.of(figure, losses));
  }

  /**
   * {@link #conditionalReport} (under {@code name}) from section {@code section}'s pretrained
   * conditional generator {@code model}, which must take {@code nClasses} classes.
   */
  public static RunReport pretrainedConditional(
      Outputs out,
      String section,
      String model,
      String name,
      int codingsSize,
      int nClasses,
      int imagesPerClass) {
    try (SavedGenerator saved = Pretrained.generator(section, model, codingsSize)) {
      if (saved.labelCount().orElse(-1) != nClasses) {
        throw new IllegalArgumentException(
            "the pretrained model in "
                + Pretrained.dir(section, model)
                + " is not a conditional generator of "
                + nClasses
                + " classes (its label input: "
                + saved.label()
                + "): export it again with: export "
                + section
                + " --to-pretrained");
      }
      return conditionalReport(
          out,
          name,
          Pretrained.history(section, model),
          (codings, classes) -> saved.decode(codings.values(), classes),
          codingsSize,
          nClasses,
          imagesPerClass);
    }
  }

  /**
   * {@link #report} from section {@code section}'s pretrained {@code <section>_generator}, its
   * images passed through {@code output} (see below).
   */
  public static RunReport pretrained(
      Outputs out,
      String section,
      int codingsSize,
      PixelRange range,
      UnaryOperator<Images> output) {
    return pretrained(out, section, section + "_generator", section, codingsSize, range, output);
  }

  /**
   * {@link #report} (under {@code name}) from section {@code section}'s pretrained generator {@code
   * model} and the history it was trained with, its images passed through {@code output} first
   * ({@link UnaryOperator#identity()}, or a linear output layer's images clipped to [-1, 1], as its
   * section draws and scores them).
   */
  public static RunReport pretrained(
      Outputs out,
      String section,
      String model,
      String name,
      int codingsSize,
      PixelRange range,
      UnaryOperator<Images> output) {
    try (SavedGenerator saved = Pretrained.generator(section, model, codingsSize)) {
      return report(
          out,
          name,
          Pretrained.history(section, model),
          codings -> output.apply(saved.decode(codings.values())),
          codingsSize,
          range);
    }
  }
}
