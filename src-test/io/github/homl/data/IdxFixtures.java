package io.github.homl.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Tiny IDX files written by the tests themselves, with their SHA-256. */
final class IdxFixtures {
  static final int TRAIN = 12;
  static final int TEST = 4;
  static final int ROWS = 5;
  static final int COLS = 4;

  private IdxFixtures() {}

  /** Pixel {@code k} of image {@code i}: a pattern that reaches both 0 and 255. */
  static int pixel(int i, int k) {
    return (i * 37 + k * 11) % 256;
  }

  static byte[] images(int magic, int count, int rows, int cols) {
    ByteBuffer buffer = ByteBuffer.allocate(16 + count * rows * cols);
    buffer.putInt(magic).putInt(count).putInt(rows).putInt(cols);
    for (int i = 0; i < count; i++) {
      for (int k = 0; k < rows * cols; k++) {
        buffer.put((byte) pixel(i, k));
      }
    }
    return buffer.array();
  }

  static byte[] labels(int magic, int count) {
    ByteBuffer buffer = ByteBuffer.allocate(8 + count);
    buffer.putInt(magic).putInt(count);
    for (int i = 0; i < count; i++) {
      buffer.put((byte) (i % 10));
    }
    return buffer.array();
  }

  /** The four files of a valid tiny set by name, uncompressed. */
  static Map<String, byte[]> tinySet() {
    Map<String, byte[]> files = new HashMap<>();
    files.put(FashionMnist.TRAIN_IMAGES, images(IdxFile.IMAGES_MAGIC, TRAIN, ROWS, COLS));
    files.put(FashionMnist.TRAIN_LABELS, labels(IdxFile.LABELS_MAGIC, TRAIN));
    files.put(FashionMnist.TEST_IMAGES, images(IdxFile.IMAGES_MAGIC, TEST, ROWS, COLS));
    files.put(FashionMnist.TEST_LABELS, labels(IdxFile.LABELS_MAGIC, TEST));
    return files;
  }

  /** Writes each file as {@code NAME.gz} and returns the SHA-256 table of their content. */
  static Map<String, String> writeGzipped(Path dir, Map<String, byte[]> files) {
    Map<String, String> sha256 = new HashMap<>();
    files.forEach(
        (name, content) -> {
          write(dir.resolve(name + ".gz"), gzip(content));
          sha256.put(name, sha256(content));
        });
    return sha256;
  }

  static void write(Path file, byte[] content) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] gzip(byte[] content) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
