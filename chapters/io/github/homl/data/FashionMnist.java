package io.github.homl.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fashion-MNIST split as the book splits it: 55,000 training, 5,000 validation and 10,000 test
 * images of 28x28 pixels, scaled to {@code [0, 1]}, with labels {@code 0..9}.
 *
 * <p>The validation set is the <em>last</em> 5,000 training images, as in the notebook's {@code
 * X_train, X_valid = X_train_full[:-5000], X_train_full[-5000:]}. Keras counterpart: {@code
 * tf.keras.datasets.fashion_mnist.load_data()}.
 *
 * <p>With {@code --data DIR} the same split holds any other image set ({@link ImageSets}, exercise
 * 11): then {@code fashionMnist()} is false and the images may have another size and another number
 * of classes.
 *
 * @param source where the files came from, for the log and for reports
 * @param fashionMnist whether these are Fashion-MNIST's images (checked by SHA-256)
 * @param classes the number of classes of the labels (10 for Fashion-MNIST; 0 for a set without
 *     labels, whose labels are then all 0)
 */
public record FashionMnist(
    Images xTrain,
    int[] yTrain,
    Images xValid,
    int[] yValid,
    Images xTest,
    int[] yTest,
    String source,
    boolean fashionMnist,
    int classes) {

  public static final String[] CLASS_NAMES = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"
  };

  public static final int VALIDATION_SIZE = 5_000;

  /**
   * The same split with every image's pixels mapped to {@code pixels * mul + add}: {@code scaled(2,
   * -1)} is the DCGAN's {@code X_train.reshape(-1, 28, 28, 1) * 2. - 1.} (the channel axis is the
   * feed's).
   */
  public FashionMnist scaled(float mul, float add) {
    return new FashionMnist(
        xTrain.scaled(mul, add),
        yTrain,
        xValid.scaled(mul, add),
        yValid,
        xTest.scaled(mul, add),
        yTest,
        source,
        fashionMnist,
        classes);
  }

  /**
   * The first {@code train}, {@code valid} and {@code test} images of each part (and their labels),
   * or all of a part that has fewer: the few hundred images of {@code --quick}.
   */
  public FashionMnist head(int train, int valid, int test) {
    return new FashionMnist(
        xTrain.take(train),
        head(yTrain, train),
        xValid.take(valid),
        head(yValid, valid),
        xTest.take(test),
        head(yTest, test),
        source,
        fashionMnist,
        classes);
  }

  private static int[] head(int[] labels, int n) {
    return Arrays.copyOf(labels, Math.min(n, labels.length));
  }

  static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
  static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
  static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

  /**
   * SHA-256 of each decompressed IDX file (gzip bytes differ between mirrors; Debian recompresses).
   * The loader and the downloader both check against this one table.
   */
  static final Map<String, String> SHA256 =
      Map.of(
          TRAIN_IMAGES, "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
          TRAIN_LABELS, "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
          TEST_IMAGES, "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
          TEST_LABELS, "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

  /**
   * Finds the four files, checks them and splits them, printing one line that names the source.
   *
   * <p>The sources, in order: {@code dataOption} (the {@code --data} option) or else the
   * environment variable {@code FASHION_MNIST_DIR}, which must hold the files; {@code
   * data/fashion-mnist/}; {@code /usr/share/datasets/fashion-mnist/} (Debian's {@code
   * dataset-fashion-mnist}); a download into {@code data/fashion-mnist/} from the system property
   * {@code fashionMnist.url}, the environment variable {@code FASHION_MNIST_URL} or {@code
   * https://storage.googleapis.com/tensorflow/tf-keras-datasets/}.
   *
   * @param dataOption a directory with the four IDX files ({@code NAME.gz} or {@code NAME}), or
   *     null to search
   * @throws DataSourceException if no source works, or a file is missing, truncated or corrupt
   */
  public static FashionMnist load(Path dataOption) {
    return SourceChain.defaults(dataOption).load();
  }

  /**
   * Reads the four files from {@code dir} without searching or downloading.
   *
   * @param expectedSha256 SHA-256 of each decompressed file by name (such as {@code
   *     train-images-idx3-ubyte}); a name absent from the map is not verified
   * @param validationSize how many of the last training images become the validation set
   */
  public static FashionMnist loadFrom(
      Path dir, Map<String, String> expectedSha256, int validationSize) {
    return read(dir, expectedSha256, validationSize, dir.toString());
  }

  static FashionMnist read(
      Path dir, Map<String, String> expectedSha256, int validationSize, String source) {
    if (validationSize < 0) {
      throw new IllegalArgumentException("validationSize must be >= 0, got " + validationSize);
    }
    List<String> missing = missingFiles(dir);
    if (!missing.isEmpty()) {
      throw new DataSourceException(dir + ": missing " + String.join(", ", missing));
    }
    Path trainImagesFile = IdxFile.locate(dir, TRAIN_IMAGES);
    Path testImagesFile = IdxFile.locate(dir, TEST_IMAGES);
    Images trainImages = IdxFile.readImages(trainImagesFile, expectedSha256.get(TRAIN_IMAGES));
    int[] trainLabels = readLabels(dir, TRAIN_LABELS, trainImagesFile, trainImages, expectedSha256);
    Images xTest = IdxFile.readImages(testImagesFile, expectedSha256.get(TEST_IMAGES));
    int[] yTest = readLabels(dir, TEST_LABELS, testImagesFile, xTest, expectedSha256);
    if (xTest.height() != trainImages.height() || xTest.width() != trainImages.width()) {
      throw new DataSourceException(
          testImagesFile
              + ": images are "
              + xTest.height()
              + "x"
              + xTest.width()
              + " but "
              + trainImagesFile
              + " has "
              + trainImages.height()
              + "x"
              + trainImages.width());
    }
    int count = trainImages.count();
    if (validationSize > count) {
      throw new DataSourceException(
          trainImagesFile + ": " + count + " images, fewer than validationSize " + validationSize);
    }
    int split = count - validationSize;
    return new FashionMnist(
        trainImages.slice(0, split),
        Arrays.copyOfRange(trainLabels, 0, split),
        trainImages.slice(split, count),
        Arrays.copyOfRange(trainLabels, split, count),
        xTest,
        yTest,
        source,
        true,
        CLASS_NAMES.length);
  }

  /** The names among the four whose {@code NAME.gz} and {@code NAME} both are absent from dir. */
  static List<String> missingFiles(Path dir) {
    List<String> missing = new ArrayList<>();
    for (String name : FILES) {
      if (IdxFile.locate(dir, name) == null) {
        missing.add(name + "[.gz]");
      }
    }
    return missing;
  }

  private static int[] readLabels(
      Path dir, String name, Path imagesFile, Images images, Map<String, String> expectedSha256) {
    Path file = IdxFile.locate(dir, name);
    int[] labels = IdxFile.readLabels(file, expectedSha256.get(name));
    if (labels.length != images.count()) {
      throw new DataSourceException(
          file
              + ": count mismatch: "
              + labels.length
              + " labels but "
              + imagesFile
              + " has "
              + images.count()
              + " images");
    }
    Optional<String> outside = labelOutside(file, labels, CLASS_NAMES.length);
    if (outside.isPresent()) {
      throw new DataSourceException(outside.get());
    }
    return labels;
  }

  /**
   * The first of {@code labels}, read from {@code file}, that is not a class {@code 0..classes -
   * 1}, said as {@code FILE: label 12 at index 3 is outside 0..9}; empty when every label is a
   * class.
   */
  public static Optional<String> labelOutside(Path file, int[] labels, int classes) {
    for (int k = 0; k < labels.length; k++) {
      if (labels[k] < 0 || labels[k] >= classes) {
        return Optional.of(
            file + ": label " + labels[k] + " at index " + k + " is outside 0.." + (classes - 1));
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "FashionMnist[train="
        + xTrain.count()
        + ", valid="
        + xValid.count()
        + ", test="
        + xTest.count()
        + ", "
        + xTrain.height()
        + "x"
        + xTrain.width()
        + ", source="
        + source
        + "]";
  }
}
