package io.github.homl.cli;

import io.github.homl.data.Images;
import io.github.homl.evaluation.Evaluator;
import io.github.homl.evaluation.ImageFiles;
import io.github.homl.evaluation.Metrics;
import io.github.homl.evaluation.PixelRange;
import io.github.homl.evaluation.Sampling;
import io.github.homl.evaluation.Scores;
import io.github.homl.figures.Figures;
import io.github.homl.saving.SavedGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code evaluate}: scores generated Fashion-MNIST images with the committed evaluator (FID-FMNIST,
 * KID, class coverage; conditional accuracy with {@code --labels}; reconstruction MSE with {@code
 * --originals}), prints a table and writes the scores as JSON.
 *
 * <pre>
 * evaluate --model savedmodels/vae_decoder          # samples 10,000 codings ~ N(0, 1)
 * evaluate --images samples.npy --labels labels.npy # float32 [n, 28, 28] in [0, 1] or [-1, 1]
 * evaluate --real                                   # the floor: 10,000 training vs test images
 * </pre>
 */
@Command(
    name = "evaluate",
    description =
        "Score generated images (a generator SavedModel or an "
            + "images file) with the evaluator: FID-FMNIST, KID, class coverage.")
final class EvaluateCommand implements Callable<Integer> {

  static final class Source {
    @Option(
        names = "--model",
        paramLabel = "DIR",
        description = "a generator/decoder SavedModel: codings [-1, k] -> 28x28 images")
    Path model;

    @Option(
        names = "--images",
        paramLabel = "FILE",
        description =
            "IDX ubyte images (.gz or not), or .npy [n, 28, 28] float32 in [0, 1] or "
                + "[-1, 1] (or uint8)")
    Path images;

    @Option(names = "--real", description = "score 10,000 training images: the real-vs-real floor")
    boolean real;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(
      names = "--signature",
      paramLabel = "KEY",
      description =
          "the generator signature of --model (default: serving_default, else the only "
              + "generator one)")
  String signature;

  @Option(
      names = "-n",
      defaultValue = "10000",
      paramLabel = "N",
      description = "images to sample from --model (default: ${DEFAULT-VALUE})")
  int n;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "N",
      description = "seed of the sampled codings (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--range",
      defaultValue = "AUTO",
      paramLabel = "RANGE",
      description =
          "pixel range of the images: ${COMPLETION-CANDIDATES} (default: "
              + "${DEFAULT-VALUE}, decided from the pixels)")
  PixelRange range;

  @Option(
      names = "--labels",
      paramLabel = "FILE",
      description = "requested class of each image (IDX ubyte or int .npy): conditional accuracy")
  Path labels;

  @Option(
      names = "--originals",
      paramLabel = "FILE",
      description = "the images an autoencoder reconstructed: reconstruction MSE")
  Path originals;

  @Option(names = "--name", paramLabel = "NAME", description = "what to call the images")
  String name;

  @Option(
      names = "--evaluator",
      paramLabel = "DIR",
      description = "the evaluator SavedModel (default: savedmodels/evaluator)")
  Path evaluatorDir = Evaluator.DEFAULT_DIR;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "directory with the Fashion-MNIST IDX files (the test set is the reference)")
  Path data;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "where <name>_scores.json goes (default: images/generative)")
  Path out = Figures.DEFAULT_DIR;

  @Override
  public Integer call() throws IOException {
    // read and check the input first: a bad file fails before the evaluator is loaded
    Images images = source.real ? null : readImages();
    int[] requested = labels == null || images == null ? null : readLabels(images.count());
    Images reconstructed =
        originals == null || images == null
            ? null
            : ImageFiles.readImages(originals, PixelRange.AUTO).images();
    Scores scores;
    try (Evaluator evaluator = Evaluator.load(evaluatorDir, data)) {
      if (images == null) {
        scores = evaluator.realVsReal().named(name != null ? name : "real_vs_real");
      } else {
        String label = name != null ? name : defaultName();
        scores =
            requested == null
                ? evaluator.score(label, images)
                : evaluator.score(label, images, requested);
      }
    }
    if (reconstructed != null) {
      scores = scores.withReconstructionMse(Metrics.reconstructionMse(reconstructed, images));
    }
    System.out.print(Scores.table(List.of(scores)));
    System.out.println("Saved " + scores.saveJson(out));
    return 0;
  }

  private Images readImages() {
    PixelRange.Converted converted;
    if (source.model != null) {
      try (SavedGenerator generator = SavedGenerator.open(source.model, signature)) {
        System.out.printf(
            "sampling %d images from %s, codings ~ N(0, 1) with seed %d%n",
            n, generator.signature(), seed);
        converted = range.convert(sample(generator));
      }
    } else {
      converted = ImageFiles.readImages(source.images, range);
    }
    Images images = converted.images();
    System.out.println(images.count() + " images: " + converted.assumption());
    return images;
  }

  /** {@code generator.generate(n, seed)}, decoded 500 codings at a time to bound the memory. */
  private Images sample(SavedGenerator generator) {
    if (n < 2) {
      throw new IllegalArgumentException("-n must be at least 2, got " + n);
    }
    int k = generator.codingsSize();
    Random random = new Random(seed);
    float[] codings = new float[n * k];
    for (int i = 0; i < codings.length; i++) {
      codings[i] = (float) random.nextGaussian();
    }
    Images images =
        Sampling.inBatches(
            n,
            500,
            (from, to) ->
                generator.decode(java.util.Arrays.copyOfRange(codings, from * k, to * k)));
    if (images.height() != 28 || images.width() != 28) {
      throw new IllegalArgumentException(
          source.model
              + " generates "
              + images.height()
              + "x"
              + images.width()
              + " images; the evaluator scores 28x28 images");
    }
    return images;
  }

  private int[] readLabels(int count) {
    int[] requested = ImageFiles.readLabels(labels);
    if (requested.length != count) {
      throw new IllegalArgumentException(
          labels + " holds " + requested.length + " labels for " + count + " images");
    }
    return requested;
  }

  private String defaultName() {
    Path path = source.model != null ? source.model : source.images;
    String file = path.toAbsolutePath().normalize().getFileName().toString();
    int dot = file.indexOf('.');
    return dot > 0 ? file.substring(0, dot) : file;
  }
}
