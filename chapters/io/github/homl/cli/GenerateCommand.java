package io.github.homl.cli;

import io.github.homl.data.Images;
import io.github.homl.data.Npy;
import io.github.homl.data.TensorValue;
import io.github.homl.figures.ImageGrid;
import io.github.homl.saving.SavedGenerator;
import io.github.homl.saving.TensorSpec;
import io.github.homl.stablediffusion.StableDiffusion;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code generate --model DIR}: runs a generator or decoder SavedModel, exported by Java ({@code
 * export vae}), by tf_keras ({@code savedmodels/keras/train.py vae}) or by Keras 3 ({@code
 * model.export}), on codings drawn from N(0, 1) and writes the images as a grid, as the notebook's
 * {@code plot_multiple_images}; {@code --n 21 --cols 7} on a VAE decoder gives Figure 17-12.
 *
 * <p>A conditional generator (an integer label input) draws class {@code --label K}, or, without
 * it, one row per class with the same codings in every row, as the cGAN figure. Any other input, or
 * the codings themselves, can be given with {@code --input NAME=FILE.npy}; each file is checked
 * against the signature's dtype and shape. Nothing is written unless the model ran.
 *
 * <p>{@code --prompt TEXT} runs a latent diffusion pipeline ({@code export latent_diffusion}) on a
 * text prompt instead, with {@code --guidance W} and {@code --steps N} ({@link PromptGeneration}).
 * On a KerasCV Stable Diffusion export (a folder with {@code stable_diffusion.json}) it draws one
 * RGB image of {@code --size} pixels instead ({@link StableDiffusionGeneration}).
 */
@Command(
    name = "generate",
    description =
        "Run a generator/decoder SavedModel (Java or Keras) on "
            + "random codings and write an image grid.")
final class GenerateCommand implements Callable<Integer> {

  @Mixin ModelDirectory model;

  @Mixin GridOptions layout;

  @Option(
      names = "--out",
      defaultValue = "images/generative/generated_images_plot.png",
      paramLabel = "FILE",
      description = "the PNG to write (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "N",
      description = "seed of the codings (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--signature",
      paramLabel = "KEY",
      description = "signature to run (default: serving_default, else the only generator one)")
  String signature;

  @Option(
      names = "--samples",
      paramLabel = "FILE.npy",
      description = "also write the raw images, float32 [n, h, w], for evaluate")
  Path samples;

  @Option(
      names = "--label",
      paramLabel = "K",
      description = "class of a conditional generator (default: one row per class)")
  Integer label;

  @Option(
      names = "--classes",
      paramLabel = "N",
      description =
          "number of classes of a conditional generator (default: asked from the " + "model)")
  Integer classes;

  @Option(
      names = "--input",
      paramLabel = "NAME=FILE.npy",
      description = "the value of a signature input (repeatable); the codings default to N(0, 1)")
  Map<String, Path> inputFiles = new LinkedHashMap<>();

  @Option(
      names = "--prompt",
      paramLabel = "TEXT",
      description = "a text prompt for a latent diffusion pipeline (export latent_diffusion)")
  String prompt;

  @Option(
      names = "--guidance",
      paramLabel = "W",
      description =
          "with --prompt: classifier-free guidance scale (default: 3, Stable Diffusion 7.5; 0 "
              + "ignores the prompt)")
  Float guidance;

  @Option(
      names = "--steps",
      paramLabel = "N",
      description = "with --prompt: DDIM steps (default: 50)")
  Integer steps;

  @Option(
      names = "--size",
      paramLabel = "PIXELS",
      description =
          "with --prompt on a Stable Diffusion export: image size, a multiple of 64 (512)")
  Integer size;

  @Option(
      names = "--noise",
      paramLabel = "FILE.npy",
      description =
          "with --prompt on a Stable Diffusion export: the initial latent noise, float32 "
              + "[1, size/8, size/8, 4], instead of drawing it from --seed")
  Path noise;

  @Override
  public Integer call() throws IOException {
    ImageOutput.checkPng(out);
    layout.checkCols();
    if (prompt == null && (guidance != null || steps != null)) {
      throw new IllegalArgumentException("--guidance and --steps go with --prompt");
    }
    boolean stableDiffusion = prompt != null && StableDiffusion.isExport(model.dir);
    if (!stableDiffusion && (size != null || noise != null)) {
      throw new IllegalArgumentException(
          "--size and --noise go with --prompt on a Stable Diffusion export");
    }
    if (stableDiffusion
        && (layout.n != null || label != null || samples != null || !inputFiles.isEmpty())) {
      throw new IllegalArgumentException(
          "a Stable Diffusion export draws one image: --n, --label, --samples and --input do not "
              + "apply");
    }
    if (stableDiffusion) {
      StableDiffusionGeneration.run(model.dir, prompt, size, steps, guidance, seed, noise, out);
      return 0;
    }
    if (prompt != null) {
      int count = layout.count();
      if (count < 1) {
        throw new IllegalArgumentException("--n must be at least 1, got " + count);
      }
      float w = guidance != null ? guidance : 3f;
      Images images =
          PromptGeneration.generate(model.dir, prompt, w, steps != null ? steps : 50, count, seed);
      ImageOutput.writePng(out, ImageGrid.plotMultipleImages(images, Math.min(layout.cols, count)));
      System.out.printf(
          "Saved %s: %d images for \"%s\", guidance %s, seed %d%n", out, count, prompt, w, seed);
      if (samples != null) {
        ImageOutput.writeSamples(samples, images);
      }
      return 0;
    }
    if (label != null && label < 0) {
      throw new IllegalArgumentException("--label must be 0 or more, got " + label);
    }
    try (SavedGenerator generator = SavedGenerator.open(model.dir, signature)) {
      Map<String, TensorValue> given = readInputs();
      generator.checkGiven(given);
      int batch = batchSize(given);
      TensorSpec labelInput = generator.label();
      boolean perClass =
          labelInput != null && label == null && !given.containsKey(labelInput.name());
      Images images;
      BufferedImage grid;
      String what;
      if (perClass) {
        int nClasses =
            classes != null
                ? classes
                : generator
                    .labelCount()
                    .orElseThrow(
                        () ->
                            new IllegalArgumentException(
                                "the graph of the model has no one-hot encoding or "
                                    + "embedding table for its label input '"
                                    + labelInput.name()
                                    + "', so its number of classes is unknown: give "
                                    + "--classes N or --label K"));
        int perRow = given.isEmpty() ? (layout.n != null ? layout.n : layout.cols) : batch;
        List<Images> rows = new ArrayList<>();
        for (int k = 0; k < nClasses; k++) {
          int[] labels = new int[perRow];
          Arrays.fill(labels, k);
          rows.add(generator.generate(perRow, seed, given, labels)); // same codings in every row
        }
        images = concat(rows);
        grid = ImageGrid.plotRows(rows);
        what = "one row per class 0.." + (nClasses - 1) + ", " + perRow + " images each";
      } else {
        int[] labels = null;
        if (label != null) {
          labels = new int[batch];
          Arrays.fill(labels, label);
        }
        images = generator.generate(batch, seed, given, labels);
        grid = ImageGrid.plotMultipleImages(images, Math.min(layout.cols, batch));
        what = images.count() + " images" + (label != null ? " of class " + label : "");
      }
      ImageOutput.writePng(out, grid);
      System.out.printf(
          "Saved %s: %s of %dx%d from %s, codings [%d, %d] %s%n",
          out,
          what,
          images.height(),
          images.width(),
          generator.signature(),
          images.count(),
          generator.codingsSize(),
          given.containsKey(generator.codings().name())
              ? "from " + inputFiles.get(generator.codings().name())
              : "~ N(0, 1) with seed " + seed);
      if (samples != null) {
        ImageOutput.writeSamples(samples, images);
      }
    }
    return 0;
  }

  private Map<String, TensorValue> readInputs() {
    Map<String, TensorValue> given = new LinkedHashMap<>();
    inputFiles.forEach(
        (name, file) -> {
          if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--input " + name + "=" + file + ": no such file");
          }
          given.put(name, Npy.read(file));
        });
    return given;
  }

  /** {@code --n}, else the batch of the given inputs, which must all agree with it. */
  private int batchSize(Map<String, TensorValue> given) {
    Integer batch = layout.n;
    for (var entry : given.entrySet()) {
      long[] shape = entry.getValue().shape();
      long rows = shape.length == 0 ? -1 : shape[0];
      if (batch != null && rows != batch) {
        throw new IllegalArgumentException(
            "--input "
                + entry.getKey()
                + "="
                + inputFiles.get(entry.getKey())
                + " holds "
                + Arrays.toString(shape)
                + ": its batch (first dimension) must be "
                + batch
                + (layout.n != null ? " (--n)" : ", as the other inputs"));
      }
      batch = (int) rows;
    }
    if (batch == null) {
      batch = GridOptions.DEFAULT_N;
    }
    if (batch < 1) {
      throw new IllegalArgumentException("--n must be at least 1, got " + batch);
    }
    return batch;
  }

  private static Images concat(List<Images> rows) {
    int size = rows.stream().mapToInt(row -> row.pixels().length).sum();
    float[] pixels = new float[size];
    int offset = 0;
    for (Images row : rows) {
      System.arraycopy(row.pixels(), 0, pixels, offset, row.pixels().length);
      offset += row.pixels().length;
    }
    return new Images(
        pixels,
        rows.stream().mapToInt(Images::count).sum(),
        rows.get(0).height(),
        rows.get(0).width());
  }
}
