package io.github.homl.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.data.Images;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageGridTest {
  private static final int WHITE = 0xffffff;
  private static final int BLACK = 0x000000;

  private static Images blankImages(int count) {
    return new Images(new float[count * 28 * 28], count, 28, 28);
  }

  /** Asserts every screen pixel of image pixel (r, c) in cell (row, col) has colour {@code rgb}. */
  private static void assertCellPixel(
      BufferedImage grid, int row, int col, Images shape, int r, int c, int rgb) {
    int s = ImageGrid.SCALE;
    int m = ImageGrid.MARGIN;
    int left = m + col * (shape.width() * s + m) + c * s;
    int top = m + row * (shape.height() * s + m) + r * s;
    for (int dy = 0; dy < s; dy++) {
      for (int dx = 0; dx < s; dx++) {
        assertEquals(
            rgb,
            grid.getRGB(left + dx, top + dy) & 0xffffff,
            "cell (" + row + ", " + col + ") pixel (" + r + ", " + c + ")");
      }
    }
  }

  @Test
  void thirtyTwoImagesInEightColumnsMakeFourRowsOfTheDocumentedSize() {
    BufferedImage grid = ImageGrid.plotMultipleImages(blankImages(32), 8);

    // width 8 * 28 * 4 + 9 * 4, height 4 * 28 * 4 + 5 * 4
    assertEquals(932, grid.getWidth());
    assertEquals(468, grid.getHeight());
    assertEquals(BufferedImage.TYPE_INT_RGB, grid.getType());
  }

  @Test
  void sevenImagesInSevenColumnsMakeOneRow() {
    BufferedImage grid = ImageGrid.plotMultipleImages(blankImages(7), 7);

    assertEquals(7 * 112 + 8 * 4, grid.getWidth());
    assertEquals(112 + 2 * 4, grid.getHeight());
  }

  @Test
  void defaultColumnCountPutsAllImagesInOneRow() {
    BufferedImage grid = ImageGrid.plotMultipleImages(blankImages(3));

    assertEquals(ImageGrid.gridWidth(3, 28), grid.getWidth());
    assertEquals(ImageGrid.gridHeight(1, 28), grid.getHeight());
  }

  @Test
  void binaryColormapDrawsTheMinimumWhiteAndTheMaximumBlack() {
    Images twoPixels = new Images(new float[] {0f, 1f}, 1, 1, 2);

    BufferedImage grid = ImageGrid.plotMultipleImages(twoPixels, 1);

    assertEquals(ImageGrid.gridWidth(1, 2), grid.getWidth());
    assertCellPixel(grid, 0, 0, twoPixels, 0, 0, WHITE);
    assertCellPixel(grid, 0, 0, twoPixels, 0, 1, BLACK);
  }

  @Test
  void eachImageIsScaledOnItsOwnLikeImshowWithoutVminOrVmax() {
    // image 0 spans [0, 1], image 1 spans [10, 20]: both extremes map to white and black
    Images images = new Images(new float[] {0f, 1f, 10f, 20f}, 2, 1, 2);

    BufferedImage grid = ImageGrid.plotMultipleImages(images, 2);

    assertCellPixel(grid, 0, 1, images, 0, 0, WHITE);
    assertCellPixel(grid, 0, 1, images, 0, 1, BLACK);
  }

  @Test
  void middleValueGetsMatplotlibsLookupTableGray() {
    // t = 0.5 -> LUT index floor(0.5 * 256) = 128 -> gray 255 - 128 = 127
    Images images = new Images(new float[] {0f, 0.5f, 1f}, 1, 1, 3);

    BufferedImage grid = ImageGrid.plotMultipleImages(images, 1);

    assertCellPixel(grid, 0, 0, images, 0, 1, 0x7f7f7f);
  }

  @Test
  void constantImageRendersWhite() {
    Images images = new Images(new float[] {0.7f, 0.7f, 0.7f, 0.7f}, 1, 2, 2);

    BufferedImage grid = ImageGrid.plotMultipleImages(images, 1);

    assertCellPixel(grid, 0, 0, images, 1, 1, WHITE);
  }

  @Test
  void plotMultipleImagesDoesNotClip() {
    // with clipping, 1.0 and 2.0 would both be black; without it 1.0 is mid-gray
    Images images = new Images(new float[] {0f, 1f, 2f}, 1, 1, 3);

    BufferedImage grid = ImageGrid.plotMultipleImages(images, 1);

    assertCellPixel(grid, 0, 0, images, 0, 1, 0x7f7f7f);
  }

  @Test
  void reconstructionsAreClippedSoTwoAndOneRenderTheSame() {
    Images originals = new Images(new float[] {0f, 1f, 2f}, 1, 1, 3);
    Images reconstructions = new Images(new float[] {0f, 1f, 2f}, 1, 1, 3);

    BufferedImage grid = ImageGrid.plotReconstructions(originals, reconstructions);

    assertCellPixel(grid, 1, 0, originals, 0, 1, BLACK);
    assertCellPixel(grid, 1, 0, originals, 0, 2, BLACK);
    assertCellPixel(grid, 0, 0, originals, 0, 1, 0x7f7f7f); // the originals are not clipped
  }

  @Test
  void reconstructionsLayOutTwoRowsOfTheSmallerCount() {
    BufferedImage grid = ImageGrid.plotReconstructions(blankImages(5), blankImages(3));

    assertEquals(ImageGrid.gridWidth(3, 28), grid.getWidth());
    assertEquals(ImageGrid.gridHeight(2, 28), grid.getHeight());
  }

  @Test
  void reconstructionsPutOriginalsOnTopAndReconstructionsBelow() {
    Images originals = new Images(new float[] {0f, 1f}, 1, 1, 2);
    Images reconstructions = new Images(new float[] {1f, 0f}, 1, 1, 2);

    BufferedImage grid = ImageGrid.plotReconstructions(originals, reconstructions);

    assertCellPixel(grid, 0, 0, originals, 0, 0, WHITE);
    assertCellPixel(grid, 1, 0, originals, 0, 0, BLACK);
  }

  @Test
  void plotRowsMakesOneRowPerElementAndAsManyColumnsAsTheLongestRow() {
    List<Images> rows = List.of(blankImages(3), blankImages(5), blankImages(1));

    BufferedImage grid = ImageGrid.plotRows(rows);

    assertEquals(ImageGrid.gridWidth(5, 28), grid.getWidth());
    assertEquals(ImageGrid.gridHeight(3, 28), grid.getHeight());
  }

  @Test
  void plotRowsLeavesCellsPastAShortRowWhite() {
    Images black = new Images(new float[] {1f, 0f}, 1, 1, 2); // pixel (0, 0) black
    Images two = new Images(new float[] {1f, 0f, 1f, 0f}, 2, 1, 2);

    BufferedImage grid = ImageGrid.plotRows(List.of(two, black));

    assertCellPixel(grid, 1, 0, black, 0, 0, BLACK);
    assertCellPixel(grid, 1, 1, black, 0, 0, WHITE);
  }

  @Test
  void marginsStayWhite() {
    Images allBlackish = new Images(new float[] {0f, 1f, 1f, 1f}, 1, 2, 2);

    BufferedImage grid = ImageGrid.plotMultipleImages(allBlackish, 1);

    assertEquals(WHITE, grid.getRGB(0, 0) & 0xffffff);
    assertEquals(WHITE, grid.getRGB(grid.getWidth() - 1, grid.getHeight() - 1) & 0xffffff);
    assertCellPixel(grid, 0, 0, allBlackish, 1, 1, BLACK);
  }

  @Test
  void zeroColumnsIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ImageGrid.plotMultipleImages(blankImages(2), 0));
    assertTrue(e.getMessage().contains("nCols"), e.getMessage());
  }

  @Test
  void reconstructionsOfAnotherImageSizeAreRejected() {
    Images small = new Images(new float[4], 1, 2, 2);

    assertThrows(
        IllegalArgumentException.class, () -> ImageGrid.plotReconstructions(blankImages(1), small));
  }
}
