package io.github.homl.figures;

import io.github.homl.data.Images;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Grids of grayscale images drawn as matplotlib's {@code imshow(image, cmap="binary")} draws them:
 * each image is scaled on its own, its minimum is white and its maximum is black, and a constant
 * image is all white. Values are not clipped (except the reconstructions, as the notebook does).
 *
 * <p>Each image is enlarged {@link #SCALE} times (nearest neighbour) and cells are separated and
 * surrounded by {@link #MARGIN} white pixels, so a grid of {@code nRows × nCols} images of {@code
 * height × width} pixels is an RGB image of
 *
 * <ul>
 *   <li>width {@code nCols * width * SCALE + (nCols + 1) * MARGIN} and
 *   <li>height {@code nRows * height * SCALE + (nRows + 1) * MARGIN}
 * </ul>
 *
 * (for 28×28 images: {@code 116 * n + 4} pixels for {@code n} cells). Unused cells stay white.
 *
 * <p>Counterparts: the notebook's {@code plot_multiple_images} and {@code plot_reconstructions}.
 */
public final class ImageGrid {
  /** How many screen pixels each image pixel becomes, along each axis. */
  public static final int SCALE = 4;

  /** White pixels between cells and around the grid. */
  public static final int MARGIN = 4;

  private ImageGrid() {}

  /** {@code plot_multiple_images(images)} with its default {@code n_cols = len(images)}. */
  public static BufferedImage plotMultipleImages(Images images) {
    return plotMultipleImages(images, images.count());
  }

  /** {@code plot_multiple_images(images, n_cols)}: {@code ceil(count / nCols)} rows, row-major. */
  public static BufferedImage plotMultipleImages(Images images, int nCols) {
    requireNonEmpty(images, "images");
    if (nCols < 1) {
      throw new IllegalArgumentException("nCols must be at least 1, got " + nCols);
    }
    int nRows = (images.count() - 1) / nCols + 1;
    BufferedImage grid = blankGrid(nRows, nCols, images.height(), images.width());
    for (int index = 0; index < images.count(); index++) {
      drawCell(grid, index / nCols, index % nCols, images, index);
    }
    return grid;
  }

  /**
   * {@code plot_reconstructions}: the originals on the top row and the reconstructions, clipped to
   * {@code [0, 1]}, on the bottom row, in {@code min(originals.count(), reconstructions.count())}
   * columns. The caller runs the model (the notebook predicts the first 5 images).
   */
  public static BufferedImage plotReconstructions(Images originals, Images reconstructions) {
    requireNonEmpty(originals, "originals");
    requireNonEmpty(reconstructions, "reconstructions");
    requireSameImageSize(originals, reconstructions);
    int nImages = Math.min(originals.count(), reconstructions.count());
    Images clipped = clip(reconstructions, nImages);
    BufferedImage grid = blankGrid(2, nImages, originals.height(), originals.width());
    for (int imageIndex = 0; imageIndex < nImages; imageIndex++) {
      drawCell(grid, 0, imageIndex, originals, imageIndex);
      drawCell(grid, 1, imageIndex, clipped, imageIndex);
    }
    return grid;
  }

  /**
   * One grid row per element of {@code rows} (for example one row per class), as many columns as
   * the longest row; shorter rows leave white cells on the right. No clipping.
   */
  public static BufferedImage plotRows(List<Images> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("rows is empty: nothing to plot");
    }
    int nCols = 0;
    for (Images row : rows) {
      requireNonEmpty(row, "each row");
      requireSameImageSize(rows.get(0), row);
      nCols = Math.max(nCols, row.count());
    }
    BufferedImage grid = blankGrid(rows.size(), nCols, rows.get(0).height(), rows.get(0).width());
    for (int rowIndex = 0; rowIndex < rows.size(); rowIndex++) {
      for (int colIndex = 0; colIndex < rows.get(rowIndex).count(); colIndex++) {
        drawCell(grid, rowIndex, colIndex, rows.get(rowIndex), colIndex);
      }
    }
    return grid;
  }

  /** Pixel width of a grid with {@code nCols} columns of images {@code imageWidth} pixels wide. */
  public static int gridWidth(int nCols, int imageWidth) {
    return nCols * imageWidth * SCALE + (nCols + 1) * MARGIN;
  }

  /** Pixel height of a grid with {@code nRows} rows of images {@code imageHeight} pixels high. */
  public static int gridHeight(int nRows, int imageHeight) {
    return nRows * imageHeight * SCALE + (nRows + 1) * MARGIN;
  }

  /**
   * Gray level (0 = black, 255 = white) of {@code value} in an image spanning {@code [min, max]}.
   * Matplotlib's colormaps are 256-entry tables: {@code index = floor(t * 256)} capped at 255, with
   * {@code t = (value - min) / (max - min)}, and "binary" maps index {@code i} to {@code 255 - i}.
   * A constant image has {@code t = 0}; NaN is matplotlib's transparent "bad" colour, so white.
   */
  static int binaryGray(float value, float min, float max) {
    if (Float.isNaN(value)) {
      return 255;
    }
    double t = max > min ? ((double) value - min) / ((double) max - min) : 0.0;
    int index = (int) Math.floor(t * 256);
    return 255 - Math.max(0, Math.min(255, index));
  }

  private static BufferedImage blankGrid(int nRows, int nCols, int height, int width) {
    BufferedImage grid =
        new BufferedImage(
            gridWidth(nCols, width), gridHeight(nRows, height), BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = grid.createGraphics();
    graphics.setColor(Color.WHITE);
    graphics.fillRect(0, 0, grid.getWidth(), grid.getHeight());
    graphics.dispose();
    return grid;
  }

  /** Draws image {@code index} of {@code images} into cell ({@code row}, {@code col}). */
  private static void drawCell(BufferedImage grid, int row, int col, Images images, int index) {
    int height = images.height();
    int width = images.width();
    float[] pixels = images.pixels();
    int offset = index * height * width;
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (int p = offset; p < offset + height * width; p++) {
      if (Float.isFinite(pixels[p])) { // imshow autoscales over the finite values only
        min = Math.min(min, pixels[p]);
        max = Math.max(max, pixels[p]);
      }
    }
    int left = MARGIN + col * (width * SCALE + MARGIN);
    int top = MARGIN + row * (height * SCALE + MARGIN);
    for (int r = 0; r < height; r++) {
      for (int c = 0; c < width; c++) {
        int gray = binaryGray(pixels[offset + r * width + c], min, max);
        int rgb = (gray << 16) | (gray << 8) | gray;
        for (int dy = 0; dy < SCALE; dy++) {
          for (int dx = 0; dx < SCALE; dx++) {
            grid.setRGB(left + c * SCALE + dx, top + r * SCALE + dy, rgb);
          }
        }
      }
    }
  }

  /** {@code np.clip(reconstructions[:nImages], 0, 1)}; NaN stays NaN, as in numpy. */
  private static Images clip(Images images, int nImages) {
    int size = nImages * images.height() * images.width();
    float[] clipped = new float[size];
    for (int p = 0; p < size; p++) {
      float value = images.pixels()[p];
      clipped[p] = Float.isNaN(value) ? value : Math.max(0f, Math.min(1f, value));
    }
    return new Images(clipped, nImages, images.height(), images.width());
  }

  private static void requireNonEmpty(Images images, String what) {
    if (images.count() < 1) {
      throw new IllegalArgumentException(what + " must hold at least one image");
    }
  }

  private static void requireSameImageSize(Images expected, Images actual) {
    if (expected.height() != actual.height() || expected.width() != actual.width()) {
      throw new IllegalArgumentException(
          String.format(
              "images must all be %d×%d, got %d×%d",
              expected.height(), expected.width(), actual.height(), actual.width()));
    }
  }
}
