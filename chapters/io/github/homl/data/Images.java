package io.github.homl.data;

import java.util.Objects;

/**
 * A stack of grayscale images stored in one flat array.
 *
 * <p>Pixel {@code (i, r, c)} is {@code pixels[(i * height + r) * width + c]}, so the layout is the
 * row-major {@code [count, height, width]} of a NumPy array. Every method that returns images
 * returns a copy; the record never shares its array with the result.
 */
public record Images(float[] pixels, int count, int height, int width) {

  public Images {
    Objects.requireNonNull(pixels, "pixels");
    if (count < 0 || height < 0 || width < 0) {
      throw new IllegalArgumentException(
          "negative shape: count " + count + ", height " + height + ", width " + width);
    }
    long expected = (long) count * height * width;
    if (pixels.length != expected) {
      throw new IllegalArgumentException(
          "pixels.length "
              + pixels.length
              + " != count "
              + count
              + " * height "
              + height
              + " * width "
              + width
              + " = "
              + expected);
    }
  }

  /** Builds images from {@code [count][height][width]} arrays, which must not be ragged. */
  public static Images of(float[][][] images) {
    int count = images.length;
    int height = count == 0 ? 0 : images[0].length;
    int width = height == 0 ? 0 : images[0][0].length;
    float[] pixels = new float[count * height * width];
    for (int i = 0; i < count; i++) {
      if (images[i].length != height) {
        throw new IllegalArgumentException(
            "image " + i + " has " + images[i].length + " rows, image 0 has " + height);
      }
      for (int r = 0; r < height; r++) {
        if (images[i][r].length != width) {
          throw new IllegalArgumentException(
              "image "
                  + i
                  + " row "
                  + r
                  + " has "
                  + images[i][r].length
                  + " columns, not "
                  + width);
        }
        System.arraycopy(images[i][r], 0, pixels, (i * height + r) * width, width);
      }
    }
    return new Images(pixels, count, height, width);
  }

  public int pixelsPerImage() {
    return height * width;
  }

  /** Images {@code from} (inclusive) to {@code to} (exclusive). */
  public Images slice(int from, int to) {
    if (from < 0 || to > count || from > to) {
      throw new IndexOutOfBoundsException(
          "slice [" + from + ", " + to + ") out of range for " + count + " images");
    }
    int n = pixelsPerImage();
    float[] copy = new float[(to - from) * n];
    System.arraycopy(pixels, from * n, copy, 0, copy.length);
    return new Images(copy, to - from, height, width);
  }

  /** The first {@code n} images, or all of them when there are fewer than {@code n}. */
  public Images take(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("take(" + n + "): n must be >= 0");
    }
    return slice(0, Math.min(n, count));
  }

  /** The images at {@code indices}, in that order (an index may repeat). */
  public Images gather(int[] indices) {
    float[] copy = Rows.gather(pixels, pixelsPerImage(), count, indices, "images");
    return new Images(copy, indices.length, height, width);
  }

  /** A copy of image {@code i}, {@code height * width} pixels in row-major order. */
  public float[] image(int i) {
    Objects.checkIndex(i, count);
    int n = pixelsPerImage();
    float[] copy = new float[n];
    System.arraycopy(pixels, i * n, copy, 0, n);
    return copy;
  }

  /**
   * {@code pixels * mul + add}; {@code scaled(2, -1)} maps {@code [0, 1]} to DCGAN's {@code [-1,
   * 1]}.
   */
  public Images scaled(float mul, float add) {
    float[] out = new float[pixels.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = pixels[k] * mul + add;
    }
    return new Images(out, count, height, width);
  }

  /** Every pixel clipped to {@code [low, high]}. */
  public Images clipped(float low, float high) {
    float[] out = new float[pixels.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = Math.max(low, Math.min(high, pixels[k]));
    }
    return new Images(out, count, height, width);
  }

  @Override
  public String toString() {
    return "Images[count=" + count + ", height=" + height + ", width=" + width + "]";
  }
}
