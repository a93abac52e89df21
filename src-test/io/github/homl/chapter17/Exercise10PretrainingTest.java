package io.github.homl.chapter17;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.homl.config.RunConfig;
import io.github.homl.figures.ImageGrid;
import io.github.homl.training.History;
import io.github.homl.training.RunReport;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exercise 10 under the quick preset: one pretraining epoch, every classifier, both figures. */
class Exercise10PretrainingTest {

  @TempDir Path outDir;

  @Test
  void quickRunPretrainsComparesTheClassifiersAndWritesBothFigures() throws IOException {
    assumeTrue(
        Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            || System.getenv("FASHION_MNIST_DIR") != null,
        "Fashion-MNIST is not installed");

    RunReport report = Exercise10Pretraining.run(RunConfig.smoke(outDir));

    History history = report.histories().get("exercise10_denoising_ae");
    assertEquals(1, history.size());
    assertTrue(Double.isFinite(history.last().loss()) && Double.isFinite(history.last().valLoss()));
    for (Exercise10Pretraining.Variant variant : Exercise10Pretraining.Variant.values()) {
      double mean = report.measures().get(variant.label + " accuracy mean");
      double std = report.measures().get(variant.label + " accuracy std");
      assertTrue(mean >= 0 && mean <= 1, variant + " mean " + mean);
      assertTrue(std >= 0 && std <= 1, variant + " std " + std);
    }
    assertFigure("exercise10_denoising_plot", 3, 5);
    assertFigure("exercise10_coding_neurons_plot", 6, 8);
  }

  private void assertFigure(String id, int rows, int cols) throws IOException {
    BufferedImage image = ImageIO.read(outDir.resolve(id + ".png").toFile());
    assertNotNull(image, id + ".png missing or unreadable");
    assertEquals(ImageGrid.gridWidth(cols, 28), image.getWidth(), id + " width");
    assertEquals(ImageGrid.gridHeight(rows, 28), image.getHeight(), id + " height");
  }
}
