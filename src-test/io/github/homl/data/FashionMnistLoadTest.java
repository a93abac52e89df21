package io.github.homl.data;

import static io.github.homl.data.IdxFixtures.COLS;
import static io.github.homl.data.IdxFixtures.ROWS;
import static io.github.homl.data.IdxFixtures.TEST;
import static io.github.homl.data.IdxFixtures.TRAIN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistLoadTest {
  @TempDir Path dir;

  private final Map<String, byte[]> files = IdxFixtures.tinySet();

  private DataSourceException loadFails(Map<String, String> sha256) {
    return assertThrows(DataSourceException.class, () -> FashionMnist.loadFrom(dir, sha256, 3));
  }

  private static void assertMentions(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), () -> "expected \"" + part + "\" in: " + message);
    }
  }

  @Test
  void tinySetLoadsScaledToUnitRangeWithTheLastTrainingImagesAsValidation() {
    Map<String, String> sha256 = IdxFixtures.writeGzipped(dir, files);

    FashionMnist data = FashionMnist.loadFrom(dir, sha256, 3);

    assertEquals(TRAIN - 3, data.xTrain().count());
    assertEquals(3, data.xValid().count());
    assertEquals(TEST, data.xTest().count());
    assertEquals(ROWS, data.xTrain().height());
    assertEquals(COLS, data.xTrain().width());
    assertEquals(TRAIN - 3, data.yTrain().length);
    assertArrayEquals(new int[] {9, 0, 1}, data.yValid());
    assertArrayEquals(new int[] {0, 1, 2, 3}, data.yTest());
    // pixel 6 = (row 1, col 2) of validation image 1, which is training image 10
    assertEquals(IdxFixtures.pixel(10, 6) / 255f, data.xValid().pixels()[ROWS * COLS + 6]);
    assertEquals(IdxFixtures.pixel(2, 3) / 255f, data.xTest().image(2)[3]);
    for (Images images : new Images[] {data.xTrain(), data.xValid(), data.xTest()}) {
      for (float p : images.pixels()) {
        assertTrue(p >= 0f && p <= 1f, "pixel " + p + " outside [0, 1]");
      }
    }
    assertEquals(dir.toString(), data.source());
  }

  @Test
  void uncompressedFilesAreReadToo() {
    files.forEach((name, content) -> IdxFixtures.write(dir.resolve(name), content));

    FashionMnist data = FashionMnist.loadFrom(dir, Map.of(), 0);

    assertEquals(TRAIN, data.xTrain().count());
    assertEquals(0, data.xValid().count());
    assertEquals(IdxFixtures.pixel(11, 19) / 255f, data.xTrain().image(11)[19]);
  }

  @Test
  void truncatedFileIsAnErrorNamingTheFileAndTheByteCounts() {
    byte[] images = files.get(FashionMnist.TRAIN_IMAGES);
    files.put(FashionMnist.TRAIN_IMAGES, Arrays.copyOf(images, images.length - 7));
    IdxFixtures.writeGzipped(dir, files);

    DataSourceException e = loadFails(Map.of());

    assertMentions(
        e.getMessage(),
        dir.resolve("train-images-idx3-ubyte.gz").toString(),
        "truncated",
        "expected " + images.length + " bytes",
        "got " + (images.length - 7));
  }

  @Test
  void truncatedGzipStreamIsAnErrorNamingTheFile() {
    IdxFixtures.writeGzipped(dir, files);
    byte[] gz = IdxFixtures.gzip(files.get(FashionMnist.TEST_LABELS));
    Path file = dir.resolve("t10k-labels-idx1-ubyte.gz");
    IdxFixtures.write(file, Arrays.copyOf(gz, gz.length / 2));

    assertMentions(loadFails(Map.of()).getMessage(), file.toString(), "truncated");
  }

  @Test
  void wrongMagicNumberIsAnErrorWithExpectedAndActual() {
    files.put(FashionMnist.TRAIN_LABELS, IdxFixtures.labels(IdxFile.IMAGES_MAGIC, TRAIN));
    IdxFixtures.writeGzipped(dir, files);

    assertMentions(
        loadFails(Map.of()).getMessage(),
        dir.resolve("train-labels-idx1-ubyte.gz").toString(),
        "wrong magic number: expected 2049, got 2051");
  }

  @Test
  void imageAndLabelCountMismatchIsAnErrorNamingBothCounts() {
    files.put(FashionMnist.TEST_LABELS, IdxFixtures.labels(IdxFile.LABELS_MAGIC, TEST + 1));
    IdxFixtures.writeGzipped(dir, files);

    assertMentions(
        loadFails(Map.of()).getMessage(),
        dir.resolve("t10k-labels-idx1-ubyte.gz").toString(),
        "count mismatch: " + (TEST + 1) + " labels",
        TEST + " images");
  }

  @Test
  void checksumMismatchIsAnErrorWithExpectedAndActualDigests() {
    Map<String, String> sha256 = IdxFixtures.writeGzipped(dir, files);
    String actual = sha256.get(FashionMnist.TEST_IMAGES);
    String wrong = FashionMnist.SHA256.get(FashionMnist.TEST_IMAGES);
    sha256.put(FashionMnist.TEST_IMAGES, wrong);

    assertMentions(
        loadFails(sha256).getMessage(),
        dir.resolve("t10k-images-idx3-ubyte.gz") + ": checksum mismatch",
        "expected SHA-256 " + wrong,
        "got " + actual);
  }

  @Test
  void labelOutsideTheTenClassesIsAnError() {
    byte[] labels = IdxFixtures.labels(IdxFile.LABELS_MAGIC, TRAIN);
    labels[8 + 4] = 10;
    files.put(FashionMnist.TRAIN_LABELS, labels);
    IdxFixtures.writeGzipped(dir, files);

    assertMentions(loadFails(Map.of()).getMessage(), "label 10 at index 4");
  }

  @Test
  void missingFileIsAnErrorNamingIt() {
    files.remove(FashionMnist.TRAIN_LABELS);
    IdxFixtures.writeGzipped(dir, files);

    assertMentions(
        loadFails(Map.of()).getMessage(), dir.toString(), "missing train-labels-idx1-ubyte");
  }

  @Test
  void validationLargerThanTheTrainingSetIsAnError() {
    IdxFixtures.writeGzipped(dir, files);

    DataSourceException e =
        assertThrows(DataSourceException.class, () -> FashionMnist.loadFrom(dir, Map.of(), 13));

    assertMentions(e.getMessage(), "12 images", "validationSize 13");
  }
}
