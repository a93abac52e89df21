package io.github.homl.figures;

import io.github.homl.data.AtomicFiles;
import io.github.homl.data.Images;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Writes figures as PNG files, as the notebook's {@code save_fig(fig_id)} does.
 *
 * <p><b>Deviation:</b> no {@code tight_layout} and no 300 dpi: the PNG has exactly the pixels of
 * the image it is given.
 */
public final class Figures {
  /** The notebook's {@code IMAGES_PATH}: {@code images/generative}. */
  public static final Path DEFAULT_DIR = Path.of("images", "generative");

  private static final Pattern FIG_ID = Pattern.compile("[A-Za-z0-9_-]+");

  private Figures() {}

  /**
   * The notebook's {@code plot_multiple_images(images, n_cols)} then {@code save_fig(figId)}: the
   * grid of {@code images} written as {@code <outDir>/<figId>.png}.
   */
  public static Path saveImages(Images images, int nCols, Path outDir, String figId) {
    return saveFig(ImageGrid.plotMultipleImages(images, nCols), outDir, figId);
  }

  /** {@code save_fig(figId)}: writes {@code images/generative/<figId>.png}. */
  public static Path saveFig(BufferedImage image, String figId) {
    return saveFig(image, DEFAULT_DIR, figId);
  }

  /**
   * Writes {@code outDir/<figId>.png}, creating {@code outDir} if needed, prints {@code Saved
   * <path>} and returns the path. The PNG goes to a temporary file in {@code outDir} first and is
   * then renamed atomically, so a reader never sees a half-written figure.
   *
   * @throws IllegalArgumentException if {@code figId} is not a non-empty {@code [A-Za-z0-9_-]+}
   * @throws UncheckedIOException if the file cannot be written
   */
  public static Path saveFig(BufferedImage image, Path outDir, String figId) {
    if (figId == null || !FIG_ID.matcher(figId).matches()) {
      throw new IllegalArgumentException(
          "figId must be a non-empty [A-Za-z0-9_-]+ (it names <figId>.png), got \"" + figId + "\"");
    }
    Path target = outDir.resolve(figId + ".png");
    try {
      AtomicFiles.write(
          target,
          temp -> {
            if (!ImageIO.write(image, "png", temp.toFile())) {
              throw new IOException("no PNG writer for image type " + image.getType());
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot save figure " + target + ": " + AtomicFiles.reason(e), e);
    }
    System.out.println("Saved " + target);
    return target;
  }
}
