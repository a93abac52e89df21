package io.github.homl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImagesTest {
  /** Three 2x2 images; pixel (i, r, c) is {@code 10 * i + 2 * r + c}. */
  private final Images images =
      Images.of(
          new float[][][] {
            {{0, 1}, {2, 3}},
            {{10, 11}, {12, 13}},
            {{20, 21}, {22, 23}}
          });

  @Test
  void pixelIsStoredRowMajorAtImageRowColumn() {
    assertEquals(3, images.count());
    assertEquals(4, images.pixelsPerImage());
    assertEquals(21f, images.pixels()[(2 * 2 + 0) * 2 + 1]);
  }

  @Test
  void pixelCountThatDoesNotMatchTheShapeIsRejectedWithTheNumbers() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Images(new float[7], 2, 2, 2));

    assertTrue(e.getMessage().contains("7") && e.getMessage().contains("= 8"), e.getMessage());
  }

  @Test
  void raggedArraysAreRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> Images.of(new float[][][] {{{1, 2}}, {{1}}}));
  }

  @Test
  void sliceCopiesTheImagesInRange() {
    Images slice = images.slice(1, 3);

    assertEquals(2, slice.count());
    assertArrayEquals(new float[] {10, 11, 12, 13, 20, 21, 22, 23}, slice.pixels());
    slice.pixels()[0] = -1;
    assertEquals(10f, images.pixels()[4]);
  }

  @Test
  void sliceOutOfRangeIsRejected() {
    assertThrows(IndexOutOfBoundsException.class, () -> images.slice(2, 4));
  }

  @Test
  void takeClampsToTheNumberOfImages() {
    assertEquals(2, images.take(2).count());
    assertEquals(3, images.take(100).count());
  }

  @Test
  void gatherFollowsTheIndexOrder() {
    assertArrayEquals(
        new float[] {20, 21, 22, 23, 0, 1, 2, 3, 20, 21, 22, 23},
        images.gather(new int[] {2, 0, 2}).pixels());
  }

  @Test
  void gatherOfAMissingImageNamesTheIndex() {
    IndexOutOfBoundsException e =
        assertThrows(IndexOutOfBoundsException.class, () -> images.gather(new int[] {0, 3}));

    assertTrue(e.getMessage().contains("index 3"), e.getMessage());
  }

  @Test
  void imageReturnsACopyOfOneImage() {
    float[] image = images.image(1);
    image[0] = -1;

    assertArrayEquals(new float[] {-1, 11, 12, 13}, image);
    assertEquals(10f, images.image(1)[0]);
  }

  @Test
  void scaledMapsUnitRangeToMinusOneOne() {
    Images unit = new Images(new float[] {0f, 0.5f, 1f, 0.25f}, 1, 2, 2);

    assertArrayEquals(new float[] {-1f, 0f, 1f, -0.5f}, unit.scaled(2f, -1f).pixels());
  }
}
