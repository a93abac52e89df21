package io.github.homl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceChainTest {
  private static final String NO_SERVER = "http://127.0.0.1:9/";

  @TempDir Path root;

  private final Map<String, byte[]> files = IdxFixtures.tinySet();

  private SourceChain chain(Path explicitDir) {
    return new SourceChain(
        explicitDir,
        "--data",
        root.resolve("cache"),
        root.resolve("system"),
        NO_SERVER,
        Map.of(),
        2);
  }

  @Test
  void explicitDirectoryWithoutTheFilesIsAnErrorEvenWhenOtherSourcesHaveThem() {
    IdxFixtures.writeGzipped(root.resolve("cache"), files);
    files.remove(FashionMnist.TEST_IMAGES);
    Path explicit = root.resolve("mine");
    IdxFixtures.writeGzipped(explicit, files);

    DataSourceException e = assertThrows(DataSourceException.class, () -> chain(explicit).load());

    assertTrue(e.getMessage().contains(explicit + " (given by --data) lacks"), e.getMessage());
    assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte"), e.getMessage());
  }

  @Test
  void explicitDirectoryThatDoesNotExistIsAnErrorNamingIt() {
    Path explicit = root.resolve("nowhere");

    DataSourceException e = assertThrows(DataSourceException.class, () -> chain(explicit).load());

    assertTrue(e.getMessage().contains(explicit + " (given by --data) does not exist"));
  }

  @Test
  void explicitDirectoryComesBeforeTheCache() {
    IdxFixtures.writeGzipped(root.resolve("cache"), files);
    IdxFixtures.writeGzipped(root.resolve("mine"), files);

    FashionMnist data = chain(root.resolve("mine")).load();

    assertEquals("--data " + root.resolve("mine"), data.source());
    assertEquals(IdxFixtures.TRAIN - 2, data.xTrain().count());
  }

  @Test
  void cacheComesBeforeTheSystemDirectory() {
    IdxFixtures.writeGzipped(root.resolve("cache"), files);
    IdxFixtures.writeGzipped(root.resolve("system"), files);

    assertTrue(chain(null).load().source().contains(root.resolve("cache").toString()));
  }

  @Test
  void systemDirectoryIsUsedWhenTheCacheIsIncomplete() {
    IdxFixtures.writeGzipped(root.resolve("system"), files);
    files.remove(FashionMnist.TRAIN_IMAGES);
    IdxFixtures.writeGzipped(root.resolve("cache"), files);

    assertTrue(chain(null).load().source().contains("dataset-fashion-mnist"));
  }

  @Test
  void noSourceAtAllIsOneErrorNamingTheThreeWays() {
    DataSourceException e = assertThrows(DataSourceException.class, () -> chain(null).load());

    String message = e.getMessage();
    assertTrue(message.contains("--data DIR or set FASHION_MNIST_DIR"), message);
    assertTrue(message.contains("apt-get install dataset-fashion-mnist"), message);
    assertTrue(message.contains("allow the download from " + NO_SERVER), message);
    assertTrue(message.contains("The download failed because: " + NO_SERVER), message);
  }
}
