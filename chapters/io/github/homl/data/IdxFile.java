package io.github.homl.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads one IDX file (the MNIST format), gzipped or not, checking its SHA-256 on the way.
 *
 * <p>The header is a big-endian magic number ({@value #IMAGES_MAGIC} for images {@code [n, rows,
 * cols]}, {@value #LABELS_MAGIC} for labels {@code [n]}) followed by one big-endian int per
 * dimension, then one unsigned byte per value. The checksum covers the decompressed bytes, which
 * are the same on every mirror, unlike the gzip bytes.
 */
final class IdxFile {
  static final int IMAGES_MAGIC = 2051;
  static final int LABELS_MAGIC = 2049;
  private static final int BUFFER = 1 << 16;
  private static final long MAX_BODY = Integer.MAX_VALUE - 8;

  private IdxFile() {}

  /** {@code dir/NAME.gz} if it exists, else {@code dir/NAME} if it exists, else null. */
  static Path locate(Path dir, String name) {
    Path gz = dir.resolve(name + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    Path raw = dir.resolve(name);
    return Files.isRegularFile(raw) ? raw : null;
  }

  /** Images scaled by {@code 1/255} to {@code [0, 1]}; a null checksum is not verified. */
  static Images readImages(Path file, String expectedSha256) {
    Body body = read(file, IMAGES_MAGIC, 3, expectedSha256);
    byte[] bytes = body.bytes();
    float[] pixels = new float[bytes.length];
    for (int k = 0; k < bytes.length; k++) {
      pixels[k] = (bytes[k] & 0xFF) / 255f;
    }
    return new Images(pixels, body.dims()[0], body.dims()[1], body.dims()[2]);
  }

  /** Labels as ints {@code 0..255}; a null checksum is not verified. */
  static int[] readLabels(Path file, String expectedSha256) {
    byte[] bytes = read(file, LABELS_MAGIC, 1, expectedSha256).bytes();
    int[] labels = new int[bytes.length];
    for (int k = 0; k < bytes.length; k++) {
      labels[k] = bytes[k] & 0xFF;
    }
    return labels;
  }

  /** The SHA-256 (lower-case hex) of a gzip file's decompressed content, whatever its name. */
  static String sha256OfGzip(Path file) throws IOException {
    return sha256(gunzip(new BufferedInputStream(Files.newInputStream(file), BUFFER)));
  }

  /** The SHA-256 of an IDX file's content, decompressed if its name ends in {@code .gz}. */
  static String sha256(Path file) {
    try {
      return sha256(open(file));
    } catch (IOException e) {
      throw new DataSourceException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static String sha256(InputStream stream) throws IOException {
    MessageDigest digest = newDigest();
    try (InputStream in = stream) {
      byte[] buffer = new byte[BUFFER];
      for (int n; (n = in.read(buffer)) != -1; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static void checkSha256(Object what, String expected, String actual) {
    if (expected != null && !expected.equalsIgnoreCase(actual)) {
      throw new DataSourceException(
          what + ": checksum mismatch: expected SHA-256 " + expected + ", got " + actual);
    }
  }

  private record Body(int[] dims, byte[] bytes) {}

  private static Body read(Path file, int magic, int rank, String expectedSha256) {
    try (InputStream in = open(file)) {
      byte[] header = new byte[4 + 4 * rank];
      readFully(file, in, header, 0, "");
      int[] dims = parseHeader(file, header, magic);
      byte[] bytes = new byte[Arrays.stream(dims).reduce(1, (a, b) -> a * b)];
      readFully(file, in, bytes, header.length, " (header shape " + Arrays.toString(dims) + ")");
      if (in.read() != -1) {
        throw new DataSourceException(
            file
                + ": unexpected data after the "
                + (header.length + bytes.length)
                + " bytes announced");
      }
      MessageDigest digest = newDigest();
      digest.update(header);
      digest.update(bytes);
      checkSha256(file, expectedSha256, HexFormat.of().formatHex(digest.digest()));
      return new Body(dims, bytes);
    } catch (EOFException | ZipException e) {
      throw new DataSourceException(
          file + ": truncated or corrupt gzip stream: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new DataSourceException(file + ": cannot read: " + e, e);
    }
  }

  /** Fills {@code buffer}, which starts {@code offset} bytes into the file, or says it is short. */
  private static void readFully(Path file, InputStream in, byte[] buffer, int offset, String why)
      throws IOException {
    int got = in.readNBytes(buffer, 0, buffer.length);
    if (got < buffer.length) {
      long expected = (long) offset + buffer.length;
      throw new DataSourceException(
          file + ": truncated: expected " + expected + " bytes" + why + ", got " + (offset + got));
    }
  }

  /** Checks the magic number and returns the dimensions, whose product fits in an array. */
  private static int[] parseHeader(Path file, byte[] header, int magic) {
    ByteBuffer fields = ByteBuffer.wrap(header);
    int actualMagic = fields.getInt();
    if (actualMagic != magic) {
      throw new DataSourceException(
          file + ": wrong magic number: expected " + magic + ", got " + actualMagic);
    }
    int[] dims = new int[fields.remaining() / 4];
    long size = 1;
    for (int d = 0; d < dims.length; d++) {
      dims[d] = fields.getInt();
      size *= dims[d];
      if (dims[d] < 0 || size > MAX_BODY) {
        throw new DataSourceException(
            file
                + ": invalid header: dimensions "
                + Arrays.toString(dims)
                + " are negative or too large");
      }
    }
    return dims;
  }

  private static InputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
    return file.getFileName().toString().endsWith(".gz") ? gunzip(raw) : raw;
  }

  /** Wraps {@code raw} in a gzip decoder, closing it if its header is not gzip. */
  private static InputStream gunzip(InputStream raw) throws IOException {
    try {
      return new GZIPInputStream(raw, BUFFER);
    } catch (IOException e) {
      raw.close();
      throw e;
    }
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
