package io.github.homl.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The places {@link FashionMnist#load} looks for the data, in order, with everything a test needs
 * to replace: the directories, the download URL and the checksum table.
 *
 * @param explicitDir the {@code --data} directory or {@code FASHION_MNIST_DIR}, or null
 * @param explicitOrigin how {@code explicitDir} was given, for messages
 * @param cacheDir {@code data/fashion-mnist/}, also where downloads go
 * @param systemDir {@code /usr/share/datasets/fashion-mnist/}
 * @param baseUrl the download URL that the four {@code NAME.gz} are appended to
 */
record SourceChain(
    Path explicitDir,
    String explicitOrigin,
    Path cacheDir,
    Path systemDir,
    String baseUrl,
    Map<String, String> sha256,
    int validationSize) {

  static final String DEFAULT_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/";
  static final Path CACHE_DIR = Path.of("data", "fashion-mnist");
  static final Path SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  static SourceChain defaults(Path dataOption) {
    Path explicitDir = dataOption;
    String origin = "--data";
    String env = System.getenv("FASHION_MNIST_DIR");
    if (explicitDir == null && env != null && !env.isBlank()) {
      explicitDir = Path.of(env);
      origin = "FASHION_MNIST_DIR";
    }
    String url = System.getProperty("fashionMnist.url");
    if (url == null || url.isBlank()) {
      url = System.getenv("FASHION_MNIST_URL");
    }
    if (url == null || url.isBlank()) {
      url = DEFAULT_URL;
    }
    return new SourceChain(
        explicitDir,
        origin,
        CACHE_DIR,
        SYSTEM_DIR,
        url,
        FashionMnist.SHA256,
        FashionMnist.VALIDATION_SIZE);
  }

  FashionMnist load() {
    if (explicitDir != null && explicitOrigin.equals("--data")) {
      // exercise 11: another image set (IDX or .npy), validated by shape, dtype and range
      FashionMnist other =
          ImageSets.readOther(explicitDir, explicitOrigin, sha256.get(FashionMnist.TRAIN_IMAGES));
      if (other != null) {
        return other;
      }
    }
    if (explicitDir != null) {
      List<String> missing = FashionMnist.missingFiles(explicitDir);
      if (!missing.isEmpty()) {
        String problem =
            Files.isDirectory(explicitDir) ? "lacks " : "does not exist; it should hold ";
        throw new DataSourceException(
            "Fashion-MNIST directory "
                + explicitDir
                + " (given by "
                + explicitOrigin
                + ") "
                + problem
                + String.join(", ", missing)
                + (explicitOrigin.equals("--data")
                    ? " (another image set: " + ImageSets.X_TRAIN + " and " + ImageSets.X_TEST + ")"
                    : ""));
      }
      return use(explicitDir, explicitOrigin + " " + explicitDir);
    }
    if (FashionMnist.missingFiles(cacheDir).isEmpty()) {
      return use(cacheDir, "the download cache " + cacheDir);
    }
    if (FashionMnist.missingFiles(systemDir).isEmpty()) {
      return use(systemDir, "Debian's dataset-fashion-mnist in " + systemDir);
    }
    String url = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
    try {
      new Downloader(url, sha256).downloadMissing(cacheDir, FashionMnist.FILES);
    } catch (DataSourceException e) {
      throw new DataSourceException(notFound(url, e.getMessage()), e);
    }
    return use(cacheDir, "a download from " + url + " into " + cacheDir);
  }

  private FashionMnist use(Path dir, String source) {
    System.out.println("Fashion-MNIST: reading " + source);
    return FashionMnist.read(dir, sha256, validationSize, source);
  }

  private String notFound(String url, String reason) {
    return "Fashion-MNIST not found in "
        + cacheDir
        + " or "
        + systemDir
        + ", and the download failed. Provide it in one of three ways:\n"
        + "  1. pass --data DIR or set FASHION_MNIST_DIR=DIR, a directory holding "
        + String.join(", ", FashionMnist.FILES)
        + " (each .gz or uncompressed);\n"
        + "  2. sudo apt-get install dataset-fashion-mnist (fills "
        + systemDir
        + ");\n"
        + "  3. allow the download from "
        + url
        + " into "
        + cacheDir
        + " (set fashionMnist.url or FASHION_MNIST_URL for a mirror).\n"
        + "The download failed because: "
        + reason;
  }
}
