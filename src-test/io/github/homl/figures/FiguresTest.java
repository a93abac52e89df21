package io.github.homl.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FiguresTest {
  @TempDir Path tempDir;

  private static List<Path> listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  @Test
  void saveFigWritesAPngThatDecodesToTheSameSizeAndLeavesNoTempFile() throws IOException {
    BufferedImage image = new BufferedImage(37, 21, BufferedImage.TYPE_INT_RGB);
    image.setRGB(5, 6, 0x123456);
    Path outDir = tempDir.resolve("images").resolve("generative");

    Path saved = Figures.saveFig(image, outDir, "reconstruction_plot");

    assertEquals(outDir.resolve("reconstruction_plot.png"), saved);
    BufferedImage decoded = ImageIO.read(saved.toFile());
    assertNotNull(decoded, "ImageIO could not decode " + saved);
    assertEquals(37, decoded.getWidth());
    assertEquals(21, decoded.getHeight());
    assertEquals(0x123456, decoded.getRGB(5, 6) & 0xffffff);
    assertEquals(List.of(saved), listing(outDir));
  }

  @Test
  void saveFigReplacesAnExistingFigure() throws IOException {
    Figures.saveFig(new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB), tempDir, "fig-1");

    Path saved =
        Figures.saveFig(new BufferedImage(20, 5, BufferedImage.TYPE_INT_RGB), tempDir, "fig-1");

    assertEquals(20, ImageIO.read(saved.toFile()).getWidth());
    assertEquals(1, listing(tempDir).size());
  }

  @Test
  void invalidFigIdIsRejectedWithAMessageNamingIt() {
    BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Figures.saveFig(image, tempDir, "../escape me"));

    assertTrue(e.getMessage().contains("\"../escape me\""), e.getMessage());
  }

  @Test
  void emptyFigIdIsRejected() {
    BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);

    assertThrows(IllegalArgumentException.class, () -> Figures.saveFig(image, tempDir, ""));
  }

  @Test
  void defaultDirectoryIsTheNotebooksImagesGenerative() {
    assertEquals(Path.of("images", "generative"), Figures.DEFAULT_DIR);
  }
}
