package io.github.homl.evaluation;

import io.github.homl.data.FashionMnist;
import io.github.homl.data.Images;
import io.github.homl.data.Npy;
import io.github.homl.data.TensorValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Reads a file of 28x28 images to score, recognised by its content, not its name:
 *
 * <ul>
 *   <li>IDX {@code ubyte} images (magic 2051, {@code [n, 28, 28]}, optionally gzipped), the
 *       Fashion-MNIST format: pixels / 255, so in [0, 1];
 *   <li>NumPy {@code .npy}: float32 (or float64) {@code [n, 28, 28]}, {@code [n, 28, 28, 1]} or
 *       {@code [n, 784]} in [0, 1] or [-1, 1] (see {@link PixelRange}), or uint8 (pixels / 255).
 * </ul>
 *
 * <p>Labels (for conditional accuracy) come as IDX {@code ubyte} labels (magic 2049) or an integer
 * {@code .npy} vector.
 */
public final class ImageFiles {

  private static final int IDX_IMAGES = 2051;
  private static final int IDX_LABELS = 2049;
  private static final String ACCEPTED =
      "expected IDX ubyte images (magic 2051, optionally "
          + "gzipped) or a .npy array of shape [n, 28, 28], [n, 28, 28, 1] or [n, 784]";

  private ImageFiles() {}

  /** The images of {@code file} in [0, 1], with the range that was assumed or told. */
  public static PixelRange.Converted readImages(Path file, PixelRange range) {
    byte[] bytes = readAll(file);
    if (isNpy(bytes)) {
      TensorValue value = Npy.read(file);
      long[] shape = value.shape();
      int n = shape.length > 0 ? (int) shape[0] : 0;
      long perImage = Arrays.stream(shape).skip(1).reduce(1, (a, b) -> a * b);
      boolean imageShape =
          shape.length == 3 && shape[1] == 28 && shape[2] == 28
              || shape.length == 4 && shape[1] == 28 && shape[2] == 28 && shape[3] == 1
              || shape.length == 2 && shape[1] == 784;
      if (!imageShape) {
        throw new IllegalArgumentException(
            file
                + " holds an array of shape "
                + Arrays.toString(shape)
                + ", not 28x28 images; "
                + ACCEPTED);
      }
      if (value.dtype() == TensorValue.DType.INT32) {
        return new PixelRange.Converted(
            bytesToImages(value.ints(), n), "integer pixels divided by 255 (uint8 .npy)");
      }
      return range.convert(new Images(value.floats(), n, 28, (int) (perImage / 28)));
    }
    ByteBuffer idx = ByteBuffer.wrap(gunzipIfNeeded(file, bytes));
    if (idx.remaining() < 16 || idx.getInt(0) != IDX_IMAGES) {
      throw new IllegalArgumentException(
          file
              + " is not an image file: "
              + ACCEPTED
              + (idx.remaining() >= 4 && idx.getInt(0) == IDX_LABELS
                  ? " (this is an IDX labels file)"
                  : ""));
    }
    int n = idx.getInt(4);
    int rows = idx.getInt(8);
    int cols = idx.getInt(12);
    if (rows != 28 || cols != 28) {
      throw new IllegalArgumentException(
          file
              + " holds "
              + n
              + " images of "
              + rows
              + "x"
              + cols
              + " pixels; the evaluator scores 28x28 images");
    }
    if (idx.remaining() != 16 + n * 784) {
      throw new IllegalArgumentException(
          file
              + ": its header announces "
              + n
              + " images of 28x28 but it holds "
              + (idx.remaining() - 16)
              + " pixel bytes");
    }
    int[] values = new int[n * 784];
    for (int k = 0; k < values.length; k++) {
      values[k] = Byte.toUnsignedInt(idx.get(16 + k));
    }
    return new PixelRange.Converted(bytesToImages(values, n), "IDX ubyte pixels divided by 255");
  }

  /** Class labels {@code 0..9}, one per image: IDX ubyte labels or an integer .npy vector. */
  public static int[] readLabels(Path file) {
    byte[] bytes = readAll(file);
    int[] labels;
    if (isNpy(bytes)) {
      TensorValue value = Npy.read(file);
      if (value.dtype() != TensorValue.DType.INT32 || value.shape().length != 1) {
        throw new IllegalArgumentException(
            file + " holds " + value + "; labels must be an integer vector [n]");
      }
      labels = value.ints();
    } else {
      ByteBuffer idx = ByteBuffer.wrap(gunzipIfNeeded(file, bytes));
      if (idx.remaining() < 8
          || idx.getInt(0) != IDX_LABELS
          || idx.remaining() != 8 + idx.getInt(4)) {
        throw new IllegalArgumentException(
            file
                + " is not a labels file: expected IDX ubyte "
                + "labels (magic 2049) or an integer .npy vector");
      }
      labels = new int[idx.getInt(4)];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = Byte.toUnsignedInt(idx.get(8 + i));
      }
    }
    Optional<String> outside = FashionMnist.labelOutside(file, labels, EvaluatorNet.CLASSES);
    if (outside.isPresent()) {
      throw new IllegalArgumentException(outside.get());
    }
    return labels;
  }

  private static Images bytesToImages(int[] values, int n) {
    float[] pixels = new float[values.length];
    for (int k = 0; k < values.length; k++) {
      pixels[k] = values[k] / 255f;
    }
    return new Images(pixels, n, 28, values.length / Math.max(1, n) / 28);
  }

  private static boolean isNpy(byte[] bytes) {
    return bytes.length >= 6
        && (bytes[0] & 0xFF) == 0x93
        && bytes[1] == 'N'
        && bytes[2] == 'U'
        && bytes[3] == 'M'
        && bytes[4] == 'P'
        && bytes[5] == 'Y';
  }

  private static byte[] gunzipIfNeeded(Path file, byte[] bytes) {
    if (bytes.length < 2 || (bytes[0] & 0xFF) != 0x1f || (bytes[1] & 0xFF) != 0x8b) {
      return bytes;
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          file + " looks gzipped but cannot be decompressed: " + e.getMessage(), e);
    }
  }

  private static byte[] readAll(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + ": no such file");
    }
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
