package io.github.homl.cli;

import io.github.homl.data.AtomicFiles;
import io.github.homl.data.Images;
import io.github.homl.data.Npy;
import io.github.homl.data.TensorValue;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * What {@code generate} and {@code sample} write: the image grid as a PNG and, with {@code
 * --samples}, the images themselves as float32 {@code [n, h, w]} for {@code evaluate}. Each file
 * appears whole or not at all.
 */
final class ImageOutput {

  private ImageOutput() {}

  /** Refuses an {@code --out} that does not end in {@code .png}. */
  static void checkPng(Path out) {
    if (!out.getFileName().toString().endsWith(".png")) {
      throw new IllegalArgumentException("--out must name a .png file, got " + out);
    }
  }

  /** Writes {@code grid} to {@code png}. */
  static void writePng(Path png, BufferedImage grid) throws IOException {
    AtomicFiles.write(png, temp -> ImageIO.write(grid, "png", temp.toFile()));
  }

  /** Writes {@code images} to {@code samples} as float32 {@code [n, h, w]} and says so. */
  static void writeSamples(Path samples, Images images) {
    Npy.write(
        samples, TensorValue.of(images.pixels(), images.count(), images.height(), images.width()));
    System.out.println("Saved " + samples);
  }
}
