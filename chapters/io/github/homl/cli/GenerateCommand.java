package io.github.homl.cli;

import io.github.homl.data.AtomicFiles;
import io.github.homl.data.Images;
import io.github.homl.figures.ImageGrid;
import io.github.homl.saving.Npy;
import io.github.homl.saving.SavedGenerator;
import io.github.homl.saving.TensorValue;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code generate --model DIR}: runs a generator or decoder SavedModel, exported by Java ({@code
 * export vae}) or by Keras ({@code savedmodels/keras/train.py vae}), on codings drawn from N(0, 1)
 * and writes the images as a grid, as the notebook's {@code plot_multiple_images}; {@code --n 21
 * --cols 7} on a VAE decoder gives Figure 17-12.
 */
@Command(name = "generate", description = "Run a generator/decoder SavedModel (Java or Keras) on "
    + "random codings and write an image grid.")
final class GenerateCommand implements Callable<Integer> {

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "the SavedModel directory")
  Path model;

  @Option(names = "--n", defaultValue = "32", paramLabel = "N",
      description = "images to generate (default: ${DEFAULT-VALUE})")
  int n;

  @Option(names = "--cols", defaultValue = "8", paramLabel = "N",
      description = "grid columns (default: ${DEFAULT-VALUE}; Figure 17-12 uses 7)")
  int cols;

  @Option(names = "--out", defaultValue = "images/generative/generated_images_plot.png",
      paramLabel = "FILE", description = "the PNG to write (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
      description = "seed of the codings (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--signature", paramLabel = "KEY",
      description = "signature to run (default: serving_default, else the only generator one)")
  String signature;

  @Option(names = "--samples", paramLabel = "FILE.npy",
      description = "also write the raw images, float32 [n, h, w], for evaluate")
  Path samples;

  @Override
  public Integer call() throws IOException {
    if (!out.getFileName().toString().endsWith(".png")) {
      throw new IllegalArgumentException("--out must name a .png file, got " + out);
    }
    if (cols < 1) {
      throw new IllegalArgumentException("--cols must be at least 1, got " + cols);
    }
    try (SavedGenerator generator = SavedGenerator.open(model, signature)) {
      Images images = generator.generate(n, seed);
      BufferedImage grid = ImageGrid.plotMultipleImages(images, Math.min(cols, n));
      AtomicFiles.write(out, temp -> ImageIO.write(grid, "png", temp.toFile()));
      System.out.printf("Saved %s: %d images of %dx%d from %s, codings [%d, %d] ~ N(0, 1) "
          + "with seed %d%n", out, n, images.height(), images.width(), generator.signature(), n,
          generator.codingsSize(), seed);
      if (samples != null) {
        Npy.write(samples, TensorValue.of(images.pixels(), n, images.height(), images.width()));
        System.out.println("Saved " + samples);
      }
    }
    return 0;
  }
}
