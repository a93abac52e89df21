package io.github.homl.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (version 1.0 to 3.0, C order), the files that carry reference inputs,
 * expected outputs and generated samples between Python and Java without extra dependencies.
 *
 * <p>Reads little-endian float32 and int32 as they are, float64 as float32, and int64 and uint8 as
 * int32 (an int64 outside the int32 range is an error). Writes float32 ({@code <f4}), int32 ({@code
 * <i4}) or int64 ({@code <i8}), what {@code np.load} returns as such.
 */
public final class Npy {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** Reads {@code file}; the error names the file and what is wrong with it. */
  public static TensorValue read(Path file) {
    try {
      return parse(Files.readAllBytes(file), file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code value} to {@code file} atomically (temporary file, then rename). */
  public static void write(Path file, TensorValue value) {
    String descr =
        switch (value.dtype()) {
          case FLOAT32 -> "<f4";
          case INT32 -> "<i4";
          case INT64 -> "<i8";
        };
    int itemSize = value.dtype() == TensorValue.DType.INT64 ? 8 : 4;
    long[] shape = value.shape();
    StringBuilder dims = new StringBuilder();
    for (long dim : shape) {
      dims.append(dim).append(", ");
    }
    String tuple =
        shape.length == 1
            ? dims.substring(0, dims.length() - 1)
            : shape.length == 0 ? "" : dims.substring(0, dims.length() - 2);
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + tuple + "), }";
    // numpy pads the header with spaces and a newline so the data starts on a 64-byte boundary
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    ByteBuffer buffer =
        ByteBuffer.allocate(MAGIC.length + 4 + header.length() + itemSize * value.size())
            .order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    buffer.put(header.getBytes(StandardCharsets.ISO_8859_1));
    if (value.dtype() == TensorValue.DType.FLOAT32) {
      buffer.asFloatBuffer().put(value.floats());
    } else if (value.dtype() == TensorValue.DType.INT32) {
      buffer.asIntBuffer().put(value.ints());
    } else {
      buffer.asLongBuffer().put(value.longs());
    }
    try {
      AtomicFiles.write(file, temp -> Files.write(temp, buffer.array()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  static TensorValue parse(byte[] bytes, Path file) {
    if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
      throw new IllegalArgumentException(file + " is not a .npy file (no \\x93NUMPY magic)");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int major = bytes[6];
    int headerLength;
    int dataStart;
    if (major == 1) {
      headerLength = Short.toUnsignedInt(buffer.getShort(8));
      dataStart = 10 + headerLength;
    } else if (major == 2 || major == 3) {
      headerLength = buffer.getInt(8);
      dataStart = 12 + headerLength;
    } else {
      throw new IllegalArgumentException(file + ": unsupported .npy version " + major);
    }
    if (dataStart > bytes.length) {
      throw new IllegalArgumentException(file + " is truncated inside its header");
    }
    String header =
        new String(bytes, dataStart - headerLength, headerLength, StandardCharsets.ISO_8859_1);
    String descr = find(DESCR, header, "descr", file);
    if (find(FORTRAN, header, "fortran_order", file).equals("True")) {
      throw new IllegalArgumentException(file + " is in Fortran order; save it with C order");
    }
    long[] shape =
        Arrays.stream(find(SHAPE, header, "shape", file).split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .mapToLong(Long::parseLong)
            .toArray();
    long count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    int itemSize =
        switch (descr) {
          case "<f4", "<i4" -> 4;
          case "<f8", "<i8" -> 8;
          case "|u1" -> 1;
          default ->
              throw new IllegalArgumentException(
                  file
                      + " holds dtype '"
                      + descr
                      + "'; readable are <f4, <f8, <i4, <i8, |u1 (little-endian float32/64, "
                      + "int32/64, uint8)");
        };
    if ((long) bytes.length - dataStart != count * itemSize) {
      throw new IllegalArgumentException(
          file
              + " should hold "
              + count * itemSize
              + " data bytes for shape "
              + Arrays.toString(shape)
              + " of "
              + descr
              + ", it has "
              + (bytes.length - dataStart));
    }
    ByteBuffer data =
        ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart)
            .slice()
            .order(ByteOrder.LITTLE_ENDIAN);
    int n = (int) count;
    return switch (descr) {
      case "<f4" -> TensorValue.of(floats(n, i -> data.getFloat(4 * i)), shape);
      case "<f8" -> TensorValue.of(floats(n, i -> (float) data.getDouble(8 * i)), shape);
      case "<i4" -> TensorValue.ofInts(ints(n, i -> data.getInt(4 * i)), shape);
      case "<i8" -> TensorValue.ofInts(ints(n, i -> Math.toIntExact(data.getLong(8 * i))), shape);
      default -> TensorValue.ofInts(ints(n, i -> Byte.toUnsignedInt(data.get(i))), shape);
    };
  }

  /** The {@code i}th float of the data. */
  private interface FloatAt {
    float get(int i);
  }

  /** The {@code n} values {@code value.get(i)}. */
  private static float[] floats(int n, FloatAt value) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = value.get(i);
    }
    return values;
  }

  /** The {@code n} values {@code value.applyAsInt(i)}. */
  private static int[] ints(int n, IntUnaryOperator value) {
    int[] values = new int[n];
    for (int i = 0; i < n; i++) {
      values[i] = value.applyAsInt(i);
    }
    return values;
  }

  private static String find(Pattern pattern, String header, String key, Path file) {
    Matcher matcher = pattern.matcher(header);
    if (!matcher.find()) {
      throw new IllegalArgumentException(
          file + ": the .npy header has no '" + key + "': " + header.trim());
    }
    return matcher.group(1);
  }
}
