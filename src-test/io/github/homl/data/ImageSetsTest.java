package io.github.homl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exercise 11's {@code --data DIR}: other IDX and .npy sets, validated by shape, dtype, range. */
class ImageSetsTest {

  @TempDir Path dir;

  /** The chain as {@code --data DIR} builds it: Fashion-MNIST's checksums, the book's split. */
  private FashionMnist load() {
    return new SourceChain(
            dir,
            "--data",
            dir.resolve("cache"),
            dir.resolve("system"),
            "http://127.0.0.1:9/",
            FashionMnist.SHA256,
            FashionMnist.VALIDATION_SIZE)
        .load();
  }

  private String loadFails() {
    return assertThrows(DataSourceException.class, this::load).getMessage();
  }

  @Test
  void anIdxSetThatIsNotFashionMnistIsReadWithoutChecksumAndSplitByTwelfths() {
    IdxFixtures.writeGzipped(dir, IdxFixtures.tinySet()); // 12 + 4 images of 5x4

    FashionMnist data = load();

    assertFalse(data.fashionMnist());
    assertEquals(10, data.classes()); // labels i % 10 over 12 images: 0..9
    assertEquals(11, data.xTrain().count());
    assertEquals(1, data.xValid().count());
    assertEquals(IdxFixtures.TEST, data.xTest().count());
    assertEquals(5, data.xTrain().height());
    assertEquals(IdxFixtures.pixel(11, 3) / 255f, data.xValid().pixels()[3]);
    assertEquals(1, data.yTrain()[1]);
  }

  @Test
  void idxLabelsAreOptional() {
    Map<String, byte[]> files = IdxFixtures.tinySet();
    files.remove(FashionMnist.TRAIN_LABELS);
    files.remove(FashionMnist.TEST_LABELS);
    IdxFixtures.writeGzipped(dir, files);

    FashionMnist data = load();

    assertEquals(0, data.classes());
    assertEquals(0, data.yTest()[3]);
  }

  @Test
  void npyFloatImagesWithAChannelAxisAndInt64Labels() {
    Npy.write(dir.resolve("x_train.npy"), TensorValue.of(ramp(24 * 6), 24, 3, 2, 1));
    Npy.write(dir.resolve("x_test.npy"), TensorValue.of(ramp(2 * 6), 2, 3, 2, 1));
    Npy.write(dir.resolve("y_train.npy"), TensorValue.ofLongs(labels(24, 3), 24));
    Npy.write(dir.resolve("y_test.npy"), TensorValue.ofLongs(labels(2, 3), 2));

    FashionMnist data = load();

    assertFalse(data.fashionMnist());
    assertEquals(3, data.classes());
    assertEquals(22, data.xTrain().count());
    assertEquals(2, data.xValid().count());
    assertEquals(2, data.xTrain().width());
    assertEquals(ramp(24 * 6)[22 * 6 + 5], data.xValid().pixels()[5]);
  }

  @Test
  void npyIntegerImagesAreScaledFrom0To255() {
    int[] pixels = new int[4 * 4];
    pixels[5] = 255;
    Npy.write(dir.resolve("x_train.npy"), TensorValue.ofInts(pixels, 4, 2, 2));
    Npy.write(dir.resolve("x_test.npy"), TensorValue.ofInts(new int[4], 1, 2, 2));

    assertEquals(1f, load().xTrain().pixels()[5]);
  }

  @Test
  void npyErrorsNameTheFileAndWhatWasExpected() {
    float[] pixels = ramp(4 * 4);
    pixels[7] = 1.5f;
    Npy.write(dir.resolve("x_train.npy"), TensorValue.of(pixels, 4, 2, 2));
    Npy.write(dir.resolve("x_test.npy"), TensorValue.of(ramp(4), 1, 2, 2));
    String range = loadFails();
    assertTrue(range.contains(dir.resolve("x_train.npy") + ": value 1.5 at flat index 7"), range);
    assertTrue(range.contains("in [0, 1] or integers in 0..255"), range);

    Npy.write(dir.resolve("x_train.npy"), TensorValue.of(ramp(4 * 12), 4, 2, 2, 3));
    String shape = loadFails();
    assertTrue(shape.contains("x_train.npy: shape [4, 2, 2, 3]; expected images [n, h, w]"), shape);

    Npy.write(dir.resolve("x_train.npy"), TensorValue.of(ramp(4 * 4), 4, 2, 2));
    Npy.write(dir.resolve("x_test.npy"), TensorValue.of(ramp(9), 1, 3, 3));
    String size = loadFails();
    assertTrue(size.contains("x_test.npy: images are 3x3 but "), size);

    Npy.write(dir.resolve("x_test.npy"), TensorValue.of(ramp(4), 1, 2, 2));
    Npy.write(dir.resolve("y_train.npy"), TensorValue.ofInts(new int[3], 3));
    Npy.write(dir.resolve("y_test.npy"), TensorValue.ofInts(new int[1], 1));
    String count = loadFails();
    assertTrue(count.contains("y_train.npy: count mismatch: 3 labels but "), count);

    Npy.write(dir.resolve("y_train.npy"), TensorValue.of(new float[4], 4));
    String dtype = loadFails();
    assertTrue(dtype.contains("y_train.npy: holds "), dtype);
    assertTrue(dtype.contains("expected integer labels [n]"), dtype);
  }

  @Test
  void aDirectoryWithNeitherLayoutNamesBoth() {
    Npy.write(dir.resolve("x_train.npy"), TensorValue.of(ramp(4), 1, 2, 2));

    String message = loadFails();

    assertTrue(message.contains(dir + " (given by --data) lacks"), message);
    assertTrue(message.contains("another image set: x_train.npy and x_test.npy"), message);
  }

  private static float[] ramp(int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (i % 7) / 6f;
    }
    return values;
  }

  private static long[] labels(int n, int classes) {
    long[] values = new long[n];
    for (int i = 0; i < n; i++) {
      values[i] = i % classes;
    }
    return values;
  }
}
