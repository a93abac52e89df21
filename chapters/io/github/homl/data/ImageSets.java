package io.github.homl.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Exercise 11's "a dataset of your choice": the {@code --data DIR} reader for image sets other than
 * Fashion-MNIST, in one of two layouts.
 *
 * <ul>
 *   <li>IDX, as MNIST and its kin ship: {@code train-images-idx3-ubyte} and {@code
 *       t10k-images-idx3-ubyte} (each {@code .gz} or not), and where present {@code
 *       train-labels-idx1-ubyte} and {@code t10k-labels-idx1-ubyte}. If the training images are
 *       Fashion-MNIST's (by SHA-256), the four files are read and checked as Fashion-MNIST.
 *   <li>NumPy, as Keras's {@code load_data()} returns it: {@code x_train.npy} and {@code
 *       x_test.npy} ({@code [n, h, w]} or {@code [n, h, w, 1]}, float32/float64 in [0, 1] or
 *       integers in 0..255), and where present {@code y_train.npy} and {@code y_test.npy} (integer
 *       labels {@code [n]}, 0 or more).
 * </ul>
 *
 * Other sets are not checked by checksum but by shape, dtype and range; each error names the file
 * and what was expected. The last twelfth of the training images becomes the validation set (the
 * book's 5,000 of Fashion-MNIST's 60,000). Without label files every label is 0 and {@code
 * classes()} is 0.
 */
public final class ImageSets {

  static final String X_TRAIN = "x_train.npy";
  static final String Y_TRAIN = "y_train.npy";
  static final String X_TEST = "x_test.npy";
  static final String Y_TEST = "y_test.npy";

  private ImageSets() {}

  /**
   * The set in {@code dir} if it is not Fashion-MNIST, validated; {@code null} when it is (its
   * training images' SHA-256 is {@code fashionSha256}, or that is null: nothing is checked) or when
   * neither layout is complete, so that the caller reads and checks it as Fashion-MNIST.
   *
   * @throws DataSourceException naming the file and what was expected
   */
  static FashionMnist readOther(Path dir, String origin, String fashionSha256) {
    if (fashionSha256 == null) {
      return null;
    }
    Path trainImages = IdxFile.locate(dir, FashionMnist.TRAIN_IMAGES);
    if (trainImages != null) {
      boolean other =
          IdxFile.locate(dir, FashionMnist.TEST_IMAGES) != null
              && !fashionSha256.equals(IdxFile.sha256(trainImages));
      return other ? readIdx(dir, origin + " " + dir) : null;
    }
    if (Files.isRegularFile(dir.resolve(X_TRAIN)) && Files.isRegularFile(dir.resolve(X_TEST))) {
      return readNpy(dir, origin + " " + dir);
    }
    return null;
  }

  /** An IDX set that is not Fashion-MNIST: shapes and label counts checked, no checksum. */
  static FashionMnist readIdx(Path dir, String source) {
    Path testFile = IdxFile.locate(dir, FashionMnist.TEST_IMAGES);
    Path trainFile = IdxFile.locate(dir, FashionMnist.TRAIN_IMAGES);
    Images train = IdxFile.readImages(trainFile, null);
    Images test = IdxFile.readImages(testFile, null);
    int[] yTrain = idxLabels(dir, FashionMnist.TRAIN_LABELS, trainFile, train);
    int[] yTest = idxLabels(dir, FashionMnist.TEST_LABELS, testFile, test);
    return split(train, yTrain, test, yTest, trainFile, testFile, source);
  }

  private static int[] idxLabels(Path dir, String name, Path imagesFile, Images images) {
    Path file = IdxFile.locate(dir, name);
    if (file == null) {
      return null;
    }
    int[] labels = IdxFile.readLabels(file, null);
    checkCount(file, labels.length, imagesFile, images.count());
    return labels;
  }

  /** A NumPy set: dtypes, shapes and ranges checked. */
  static FashionMnist readNpy(Path dir, String source) {
    Path trainFile = dir.resolve(X_TRAIN);
    Path testFile = dir.resolve(X_TEST);
    Images train = npyImages(trainFile);
    Images test = npyImages(testFile);
    int[] yTrain = npyLabels(dir.resolve(Y_TRAIN), trainFile, train);
    int[] yTest = npyLabels(dir.resolve(Y_TEST), testFile, test);
    return split(train, yTrain, test, yTest, trainFile, testFile, source);
  }

  private static Images npyImages(Path file) {
    TensorValue value = read(file);
    long[] shape = value.shape();
    String expected =
        "; expected images [n, h, w] or [n, h, w, 1], float32/float64 in [0, 1] or integers in"
            + " 0..255";
    boolean rankOk = shape.length == 3 || shape.length == 4 && shape[3] == 1;
    if (!rankOk || shape[0] < 1 || shape[1] < 1 || shape[2] < 1) {
      throw new DataSourceException(file + ": shape " + Arrays.toString(shape) + expected);
    }
    float[] pixels = new float[value.size()];
    if (value.dtype() == TensorValue.DType.FLOAT32) {
      float[] floats = value.floats();
      for (int k = 0; k < floats.length; k++) {
        if (!(floats[k] >= 0 && floats[k] <= 1)) {
          throw new DataSourceException(
              file
                  + ": value "
                  + floats[k]
                  + " at flat index "
                  + k
                  + " is outside [0, 1]"
                  + expected);
        }
      }
      pixels = floats;
    } else if (value.dtype() == TensorValue.DType.INT32) {
      int[] ints = value.ints();
      for (int k = 0; k < ints.length; k++) {
        if (ints[k] < 0 || ints[k] > 255) {
          throw new DataSourceException(
              file
                  + ": value "
                  + ints[k]
                  + " at flat index "
                  + k
                  + " is outside 0..255"
                  + expected);
        }
        pixels[k] = ints[k] / 255f;
      }
    } else {
      throw new DataSourceException(file + ": dtype " + value.dtype() + expected);
    }
    return new Images(pixels, (int) shape[0], (int) shape[1], (int) shape[2]);
  }

  private static int[] npyLabels(Path file, Path imagesFile, Images images) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    TensorValue value = read(file);
    if (value.dtype() != TensorValue.DType.INT32 || value.shape().length != 1) {
      throw new DataSourceException(
          file + ": holds " + value + "; expected integer labels [n] (int32, int64 or uint8)");
    }
    int[] labels = value.ints();
    checkCount(file, labels.length, imagesFile, images.count());
    for (int k = 0; k < labels.length; k++) {
      if (labels[k] < 0) {
        throw new DataSourceException(
            file + ": label " + labels[k] + " at index " + k + " is negative; expected 0 or more");
      }
    }
    return labels;
  }

  private static TensorValue read(Path file) {
    try {
      return Npy.read(file);
    } catch (RuntimeException e) {
      throw new DataSourceException(e.getMessage(), e);
    }
  }

  private static void checkCount(Path file, int labels, Path imagesFile, int images) {
    if (labels != images) {
      throw new DataSourceException(
          file
              + ": count mismatch: "
              + labels
              + " labels but "
              + imagesFile
              + " has "
              + images
              + " images");
    }
  }

  /** The book's split: the last twelfth of the training images validates. */
  private static FashionMnist split(
      Images train,
      int[] yTrain,
      Images test,
      int[] yTest,
      Path trainFile,
      Path testFile,
      String source) {
    if (test.height() != train.height() || test.width() != train.width()) {
      throw new DataSourceException(
          testFile
              + ": images are "
              + test.height()
              + "x"
              + test.width()
              + " but "
              + trainFile
              + " has "
              + train.height()
              + "x"
              + train.width());
    }
    if (train.count() < 2) {
      throw new DataSourceException(
          trainFile + ": " + train.count() + " image; expected at least 2 (training, validation)");
    }
    if ((yTrain == null) != (yTest == null)) {
      throw new DataSourceException(
          source + ": labels for only one of the training and test images; give both or neither");
    }
    boolean labelled = yTrain != null;
    int[] trainLabels = labelled ? yTrain : new int[train.count()];
    int[] testLabels = labelled ? yTest : new int[test.count()];
    int classes = labelled ? Math.max(max(trainLabels), max(testLabels)) + 1 : 0;
    int split = train.count() - Math.max(1, train.count() / 12);
    System.out.printf(
        "not Fashion-MNIST: %d training and %d test images of %dx%d, %s, from %s%n",
        train.count(),
        test.count(),
        train.height(),
        train.width(),
        labelled ? classes + " classes" : "no labels",
        source);
    return new FashionMnist(
        train.slice(0, split),
        Arrays.copyOfRange(trainLabels, 0, split),
        train.slice(split, train.count()),
        Arrays.copyOfRange(trainLabels, split, train.count()),
        test,
        testLabels,
        source,
        false,
        classes);
  }

  private static int max(int[] values) {
    return Arrays.stream(values).max().orElse(0);
  }
}
