package io.github.homl.saving;

import io.github.homl.data.Images;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * A generator or decoder SavedModel, from Java or Keras, seen as a function from codings to
 * images: the signature it runs has one float32 input of shape {@code [-1, k]} and a float32 image
 * output of shape {@code [-1, h, w]}, {@code [-1, h, w, 1]} or {@code [-1, h·w]} with {@code h =
 * w}.
 */
public final class SavedGenerator implements AutoCloseable {

  private static final String EXPECTED = "a generator signature has one float32 input of shape "
      + "[-1, k] and a float32 output of shape [-1, h, w], [-1, h, w, 1] or [-1, h*w]";

  private final LoadedModel model;
  private final SignatureInfo signature;
  private final String inputName;
  private final String outputName;
  private final int codingsSize;

  private SavedGenerator(LoadedModel model, SignatureInfo signature) {
    this.model = model;
    this.signature = signature;
    this.inputName = signature.inputs().get(0).name();
    this.codingsSize = (int) signature.inputs().get(0).shape().get(1);
    this.outputName = imageOutput(signature).name();
  }

  /**
   * Opens the SavedModel in {@code dir} and picks signature {@code key}, or, when {@code key} is
   * null, {@code serving_default} if it is a generator signature, else the only one that is.
   */
  public static SavedGenerator open(Path dir, String key) {
    LoadedModel model = SavedModels.load(dir);
    try {
      return new SavedGenerator(model, pick(model, key));
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  public SignatureInfo signature() {
    return signature;
  }

  public int codingsSize() {
    return codingsSize;
  }

  /** Decodes {@code n} codings drawn from N(0, 1) with {@code seed} ({@code tf.random.normal}). */
  public Images generate(int n, long seed) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, got " + n);
    }
    Random random = new Random(seed);
    float[] codings = new float[n * codingsSize];
    for (int i = 0; i < codings.length; i++) {
      codings[i] = (float) random.nextGaussian();
    }
    return decode(codings);
  }

  /** Decodes codings given row by row, {@code [n, k]} flattened. */
  public Images decode(float[] codings) {
    if (codings.length % codingsSize != 0) {
      throw new IllegalArgumentException(codings.length + " values are not rows of "
          + codingsSize + " codings");
    }
    int n = codings.length / codingsSize;
    TensorValue images = model.call(signature.key(),
        Map.of(inputName, TensorValue.of(codings, n, codingsSize))).get(outputName);
    long[] shape = images.shape();
    int height;
    int width;
    if (shape.length == 2) {
      height = (int) Math.round(Math.sqrt(shape[1]));
      width = height;
      if ((long) height * width != shape[1]) {
        throw new IllegalArgumentException("output '" + outputName + "' has " + shape[1]
            + " values per image, not a square image");
      }
    } else {
      height = (int) shape[1];
      width = (int) shape[2];
    }
    return new Images(images.floats(), n, height, width);
  }

  private static SignatureInfo pick(LoadedModel model, String key) {
    if (key != null) {
      SignatureInfo info = model.signature(key);
      if (!isGenerator(info)) {
        throw new IllegalArgumentException("signature " + info + " is not a generator: "
            + EXPECTED);
      }
      return info;
    }
    var generators = model.signatures().stream().filter(SavedGenerator::isGenerator).toList();
    var servingDefault = generators.stream()
        .filter(info -> info.key().equals("serving_default")).findFirst();
    if (servingDefault.isPresent()) {
      return servingDefault.get();
    }
    if (generators.size() == 1) {
      return generators.get(0);
    }
    throw new IllegalArgumentException((generators.isEmpty() ? "no generator signature in "
        : "several generator signatures in ") + model.dir() + " (choose one with --signature); "
        + EXPECTED + ". It has:\n" + model.describe());
  }

  static boolean isGenerator(SignatureInfo info) {
    if (info.inputs().size() != 1) {
      return false;
    }
    TensorSpec input = info.inputs().get(0);
    boolean codings = input.dtype().equals("float32") && !input.shape().isUnknown()
        && input.shape().numDimensions() == 2 && input.shape().get(1) > 0;
    return codings && imageOutput(info) != null;
  }

  /** The output called {@code images}, else the first float32 output of an image shape. */
  private static TensorSpec imageOutput(SignatureInfo info) {
    TensorSpec found = null;
    for (TensorSpec output : info.outputs()) {
      boolean image = output.dtype().equals("float32") && !output.shape().isUnknown()
          && (output.shape().numDimensions() == 3 || output.shape().numDimensions() == 2
          || output.shape().numDimensions() == 4 && output.shape().get(3) == 1);
      if (image && (found == null || output.name().equals(SavedModels.GENERATOR_OUTPUT))) {
        found = output;
      }
    }
    return found;
  }

  @Override
  public void close() {
    model.close();
  }
}
