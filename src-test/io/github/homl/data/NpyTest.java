package io.github.homl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .npy reader and writer, against files NumPy wrote (the fixtures) and round trips. */
class NpyTest {

  @TempDir Path tmp;

  @Test
  void floatArrayRoundTripsWithItsShape() {
    float[] values = {1.5f, -2f, 3.25f, 0f, 1e-8f, Float.MAX_VALUE};
    Npy.write(tmp.resolve("a.npy"), TensorValue.of(values, 2, 3));
    TensorValue read = Npy.read(tmp.resolve("a.npy"));
    assertArrayEquals(new long[] {2, 3}, read.shape());
    assertArrayEquals(values, read.floats());
  }

  @Test
  void intVectorRoundTrips() {
    Npy.write(tmp.resolve("t.npy"), TensorValue.ofInts(new int[] {1, 2000, 4000}, 3));
    TensorValue read = Npy.read(tmp.resolve("t.npy"));
    assertEquals(TensorValue.DType.INT32, read.dtype());
    assertArrayEquals(new int[] {1, 2000, 4000}, read.ints());
    assertArrayEquals(new long[] {3}, read.shape());
  }

  @Test
  void headerIsTheOneNumpyWrites() throws IOException {
    // np.save(f, np.zeros(4, np.float32)) writes a 128-byte header (padded to 64) and 16 data bytes
    Npy.write(tmp.resolve("a.npy"), TensorValue.of(new float[4], 4));
    byte[] bytes = Files.readAllBytes(tmp.resolve("a.npy"));
    assertEquals(128 + 16, bytes.length);
    String header = new String(bytes, 10, 118, java.nio.charset.StandardCharsets.ISO_8859_1);
    assertEquals(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }" + " ".repeat(60) + "\n",
        header);
  }

  @Test
  void readsTheFilesNumpyWrote() {
    TensorValue time =
        Npy.read(Path.of("savedmodels", "python").resolve("tiny_denoiser/inputs/time.npy"));
    assertArrayEquals(new int[] {1, 5, 10}, time.ints());
    TensorValue codings =
        Npy.read(Path.of("savedmodels", "python").resolve("tiny_decoder/inputs/codings.npy"));
    assertArrayEquals(new long[] {5, 4}, codings.shape());
  }

  @Test
  void aFileThatIsNotNpyIsNamedInTheError() throws IOException {
    Path file = Files.writeString(tmp.resolve("x.npy"), "hello, world");
    var error = assertThrows(IllegalArgumentException.class, () -> Npy.read(file));
    assertTrue(error.getMessage().startsWith(file + " is not a .npy file"), error.getMessage());
  }
}
