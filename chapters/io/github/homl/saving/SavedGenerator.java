package io.github.homl.saving;

import io.github.homl.data.Images;
import io.github.homl.data.TensorValue;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.tensorflow.exceptions.TFInvalidArgumentException;

/**
 * A generator or decoder SavedModel, from Java, tf_keras or Keras 3, seen as a function from
 * codings (and, for a conditional generator, class labels) to images.
 *
 * <p>The signature it runs has a float32 codings input of shape {@code [-1, k]}, optionally an
 * integer (int32 or int64) label input of shape {@code [-1]} or {@code [-1, 1]} (the conditional
 * GAN's), possibly other inputs whose values the caller gives, and a float32 image output of shape
 * {@code [-1, h, w]}, {@code [-1, h, w, 1]} or {@code [-1, h·w]} with {@code h = w}. Inputs are
 * recognised by dtype and shape, so the names may be anything ({@code codings}, Keras 3's {@code z}
 * and {@code label}, ...).
 *
 * <p>A codings input declared as int32 or int64 {@code [-1, k]} (k > 1; a Keras 3 model whose
 * {@code Input} was given an integer dtype) is driven too: the N(0, 1) codings are rounded to the
 * nearest integer and handed over in the declared dtype, as the model's own cast of its input would
 * treat them.
 */
public final class SavedGenerator extends SignatureModel {

  private static final String EXPECTED =
      "a generator signature has one float32 input of shape "
          + "[-1, k] (the codings, or an int32/int64 one; optionally also an int32/int64 label input of shape [-1] or "
          + "[-1, 1]"
          + ", and other inputs given as values) and a float32 output of shape [-1, h, w], "
          + "[-1, h, w, 1] or [-1, h*w]";

  private final TensorSpec codings;
  private final TensorSpec label;
  private final int codingsSize;
  private final OptionalInt labelCount;

  private SavedGenerator(LoadedModel model, SignatureInfo signature) {
    super(model, signature, imageOutput(signature).name());
    this.codings = codingsInput(signature);
    this.label = labelInput(signature);
    this.codingsSize = (int) codings.shape().get(1);
    this.labelCount =
        label == null ? OptionalInt.empty() : model.indexRange(signature.key(), label.name());
  }

  /**
   * Opens the SavedModel in {@code dir} and picks signature {@code key}, or, when {@code key} is
   * null, {@code serving_default} or {@code serve} if it is a generator signature, else the only
   * one that is.
   */
  public static SavedGenerator open(Path dir, String key) {
    return open(dir, key, "generator", SavedGenerator::isGenerator, EXPECTED, SavedGenerator::new);
  }

  public int codingsSize() {
    return codingsSize;
  }

  /** The codings input. */
  public TensorSpec codings() {
    return codings;
  }

  /** The label input of a conditional generator, or null. */
  public TensorSpec label() {
    return label;
  }

  /** Decodes {@code n} codings drawn from N(0, 1) with {@code seed} ({@code tf.random.normal}). */
  public Images generate(int n, long seed) {
    return generate(n, seed, Map.of(), null);
  }

  /**
   * Runs the generator on {@code n} images: the inputs in {@code given} as they are (each checked
   * against the signature, with a batch of {@code n}), the codings, when not given, drawn from N(0,
   * 1) with {@code seed}, and the label, when not given, from {@code labels} (one per image).
   *
   * @throws IllegalArgumentException naming the input for an unknown input, a value of the wrong
   *     dtype or shape, a missing label or other input, or a label outside the model's classes
   */
  public Images generate(int n, long seed, Map<String, TensorValue> given, int[] labels) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, got " + n);
    }
    checkGiven(given);
    Map<String, TensorValue> inputs = new LinkedHashMap<>(given);
    if (!inputs.containsKey(codings.name())) {
      inputs.put(codings.name(), codingsValue(gaussian(n * codingsSize, seed), n));
    }
    if (label != null && !inputs.containsKey(label.name())) {
      if (labels == null) {
        throw new IllegalArgumentException(
            "signature "
                + signature
                + " is a conditional "
                + "generator: give the class with --label K (input '"
                + label.name()
                + "')");
      }
      inputs.put(label.name(), labelValue(labels));
    } else if (labels != null) {
      throw new IllegalArgumentException(
          label == null
              ? "--label: signature "
                  + signature
                  + " has no integer label input of shape [-1] or "
                  + "[-1, 1]; it is not a conditional generator"
              : "--label and a value for input '" + label.name() + "' are both given; give one");
    }
    for (TensorSpec spec : signature.inputs()) {
      if (!inputs.containsKey(spec.name())) {
        throw new IllegalArgumentException(
            "input '"
                + spec
                + "' of signature '"
                + signature.key()
                + "' needs a value: give it with --input "
                + spec.name()
                + "=FILE.npy");
      }
      long batch =
          inputs.get(spec.name()).shape().length == 0 ? -1 : inputs.get(spec.name()).shape()[0];
      if (batch != n) {
        throw new IllegalArgumentException(
            "input '"
                + spec.name()
                + "' has a batch of "
                + batch
                + " values, the other inputs "
                + n
                + "; every input needs the same batch size");
      }
    }
    return images(run(inputs), n);
  }

  /**
   * The number of classes of the label input, read from the model's graph: the depth of the one-hot
   * encoding of the label (Java's conditional GAN, a tf_keras {@code tf.one_hot}) or the rows of
   * the embedding table it is looked up in (a Keras {@code Embedding}); empty when the model has no
   * label input or uses its label some other way.
   */
  public OptionalInt labelCount() {
    return labelCount;
  }

  /** Decodes codings given row by row, {@code [n, k]} flattened (unconditional generators). */
  public Images decode(float[] values) {
    return decode(values, null);
  }

  /**
   * Decodes codings given row by row, {@code [n, k]} flattened, of the classes {@code labels} (one
   * per row; null for an unconditional generator).
   */
  public Images decode(float[] values, int[] labels) {
    if (values.length % codingsSize != 0) {
      throw new IllegalArgumentException(
          values.length + " values are not rows of " + codingsSize + " codings");
    }
    int n = values.length / codingsSize;
    return generate(n, 0, Map.of(codings.name(), codingsValue(values, n)), labels);
  }

  private TensorValue run(Map<String, TensorValue> inputs) {
    try {
      return call(inputs);
    } catch (TFInvalidArgumentException e) {
      Optional<OutOfRange> outside = outOfRange(e);
      if (label != null && outside.isPresent()) {
        IllegalArgumentException error =
            outsideTheClasses(outside.get().index(), outside.get().size());
        error.initCause(e);
        throw error;
      }
      throw e;
    }
  }

  /**
   * Checks values given for inputs against the signature: each must name an input and have its
   * dtype and shape.
   */
  public void checkGiven(Map<String, TensorValue> given) {
    for (var entry : given.entrySet()) {
      TensorSpec spec = signature.input(entry.getKey());
      if (spec == null) {
        throw new IllegalArgumentException(
            "unknown input '"
                + entry.getKey()
                + "': signature '"
                + signature.key()
                + "' of "
                + model.dir()
                + " accepts "
                + signature.inputs());
      }
      TensorValue value = entry.getValue();
      spec.checkValue(
          value,
          " (" + spec + ")",
          spec.shape().numDimensions() != value.shape().length
              ? " (rank "
                  + value.shape().length
                  + " instead of "
                  + spec.shape().numDimensions()
                  + ")"
              : "");
    }
  }

  /**
   * The labels as the label input wants them: its dtype, shape {@code [n]} or {@code [n, 1]}, each
   * checked against the model's classes when its graph tells them (a one-hot encoding would
   * silently give a blank class for a label beyond them).
   */
  private TensorValue labelValue(int[] labels) {
    OptionalInt classes = labelCount;
    for (int value : labels) {
      if (value < 0) {
        throw new IllegalArgumentException("label must be 0 or more, got " + value);
      }
      if (classes.isPresent() && value >= classes.getAsInt()) {
        throw outsideTheClasses(value, classes.getAsInt());
      }
    }
    return integers(label, labels);
  }

  private IllegalArgumentException outsideTheClasses(long value, int classes) {
    return new IllegalArgumentException(
        "label "
            + value
            + " is outside the range of the model's label input '"
            + label.name()
            + "': it has "
            + classes
            + " classes, 0.."
            + (classes - 1));
  }

  private Images images(TensorValue images, int n) {
    long[] shape = images.shape();
    int height;
    int width;
    if (shape.length == 2) {
      height = (int) Math.round(Math.sqrt(shape[1]));
      width = height;
      if ((long) height * width != shape[1]) {
        throw new IllegalArgumentException(
            "output '"
                + outputName
                + "' has "
                + shape[1]
                + " values per image, not a square image");
      }
    } else {
      height = (int) shape[1];
      width = (int) shape[2];
    }
    return new Images(images.floats(), n, height, width);
  }

  /** {@code n} rows of codings in the dtype the codings input declares. */
  private TensorValue codingsValue(float[] values, int n) {
    if (codings.dtype().equals("float32")) {
      return TensorValue.of(values, n, codingsSize);
    }
    int[] rounded = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      rounded[i] = Math.round(values[i]);
    }
    TensorValue.DType dtype =
        codings.dtype().equals("int64") ? TensorValue.DType.INT64 : TensorValue.DType.INT32;
    return TensorValue.ofIntegers(dtype, rounded, n, codingsSize);
  }

  private static float[] gaussian(int size, long seed) {
    Random random = new Random(seed);
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  static boolean isGenerator(SignatureInfo info) {
    return codingsInput(info) != null && imageOutput(info) != null;
  }

  /**
   * The float32 {@code [-1, k]} input (else an int32/int64 {@code [-1, k]} one, k > 1): the one
   * named codings or z if several, else the first.
   */
  private static TensorSpec codingsInput(SignatureInfo info) {
    List<TensorSpec> candidates =
        info.inputs().stream()
            .filter(input -> float32Rank(input) == 2 && input.shape().get(1) > 0)
            .toList();
    if (candidates.isEmpty()) {
      candidates = info.inputs().stream().filter(SavedGenerator::isIntegerMatrix).toList();
    }
    return candidates.stream()
        .filter(input -> List.of(SavedModels.GENERATOR_INPUT, "z").contains(input.name()))
        .findFirst()
        .orElse(candidates.isEmpty() ? null : candidates.get(0));
  }

  private static boolean isIntegerMatrix(TensorSpec spec) {
    return (spec.dtype().equals("int32") || spec.dtype().equals("int64"))
        && !spec.shape().isUnknown()
        && spec.shape().numDimensions() == 2
        && spec.shape().get(1) > 1;
  }

  /** The int32/int64 input of shape {@code [-1]} or {@code [-1, 1]}, if exactly one, else null. */
  private static TensorSpec labelInput(SignatureInfo info) {
    List<TensorSpec> candidates =
        info.inputs().stream().filter(SignatureModel::isIntegerVector).toList();
    return candidates.size() == 1 ? candidates.get(0) : null;
  }

  /** The output called {@code images}, else the first float32 output of an image shape. */
  private static TensorSpec imageOutput(SignatureInfo info) {
    TensorSpec found = null;
    for (TensorSpec output : info.outputs()) {
      int rank = float32Rank(output);
      boolean image = rank == 3 || rank == 2 || rank == 4 && output.shape().get(3) == 1;
      if (image && (found == null || output.name().equals(SavedModels.GENERATOR_OUTPUT))) {
        found = output;
      }
    }
    return found;
  }
}
