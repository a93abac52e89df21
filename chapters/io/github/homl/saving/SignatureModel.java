package io.github.homl.saving;

import io.github.homl.data.TensorValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.exceptions.TFInvalidArgumentException;

/**
 * A SavedModel seen through one of its signatures, the common part of {@link SavedGenerator} and
 * {@link SavedDenoiser}: opening the model around the signature of the kind they run, chosen by its
 * inputs and outputs, feeding an integer input (a class label, a time step) and reading
 * TensorFlow's error for a lookup outside a table. Close it to free the model.
 */
abstract class SignatureModel implements AutoCloseable {

  /** TensorFlow's CPU gather error: {@code indices[3,0] = 12 is not in [0, 10)}. */
  private static final Pattern OUT_OF_RANGE =
      Pattern.compile("indices\\[[0-9,]*\\] = (-?[0-9]+) is not in \\[0, ([0-9]+)\\)");

  /**
   * An index that a lookup (an embedding, a time encoding) was asked for and the number of rows of
   * its table, {@code 0..size - 1}.
   */
  record OutOfRange(long index, int size) {}

  final LoadedModel model;
  final SignatureInfo signature;

  /** The output this model hands back (the images, the predicted noise). */
  final String outputName;

  SignatureModel(LoadedModel model, SignatureInfo signature, String outputName) {
    this.model = model;
    this.signature = signature;
    this.outputName = outputName;
  }

  /** The whole SavedModel, to call its other signatures. */
  public LoadedModel model() {
    return model;
  }

  /** The signature this model runs. */
  public SignatureInfo signature() {
    return signature;
  }

  /**
   * Runs the signature on {@code inputs} (by input name) and returns its output {@code outputName}.
   */
  TensorValue call(Map<String, TensorValue> inputs) {
    return model.call(signature.key(), inputs).get(outputName);
  }

  @Override
  public void close() {
    model.close();
  }

  /**
   * Loads the SavedModel in {@code dir} and wraps it with {@code wrap} around its signature {@code
   * key}, which must be of the {@code kind} that {@code isKind} recognises, or, when {@code key} is
   * null, around {@code serving_default} or {@code serve} if it is of that kind, else the only one
   * that is. The model is closed if that fails.
   *
   * @param kind what the signature is, for the messages: {@code generator}, {@code denoiser}
   * @param expected what a signature of that kind looks like, for the messages
   */
  static <T extends SignatureModel> T open(
      Path dir,
      String key,
      String kind,
      Predicate<SignatureInfo> isKind,
      String expected,
      BiFunction<LoadedModel, SignatureInfo, T> wrap) {
    LoadedModel model = SavedModels.load(dir);
    try {
      return wrap.apply(model, pick(model, key, kind, isKind, expected));
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private static SignatureInfo pick(
      LoadedModel model,
      String key,
      String kind,
      Predicate<SignatureInfo> isKind,
      String expected) {
    if (key != null) {
      SignatureInfo info = model.signature(key);
      if (!isKind.test(info)) {
        throw new IllegalArgumentException(
            "signature " + info + " is not a " + kind + ": " + expected);
      }
      return info;
    }
    var candidates = model.signatures().stream().filter(isKind).toList();
    for (String preferred : List.of("serving_default", "serve")) {
      var found = candidates.stream().filter(info -> info.key().equals(preferred)).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
    }
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    throw new IllegalArgumentException(
        (candidates.isEmpty()
                ? "no " + kind + " signature in "
                : "several " + kind + " signatures in ")
            + model.dir()
            + " (choose one with --signature); "
            + expected
            + ". It has:\n"
            + model.describe());
  }

  /** The rank of {@code spec} if it is a float32 of known shape, else -1. */
  static int float32Rank(TensorSpec spec) {
    return spec.dtype().equals("float32") && !spec.shape().isUnknown()
        ? spec.shape().numDimensions()
        : -1;
  }

  /** Whether {@code spec} is an int32 or int64 of shape {@code [-1]} or {@code [-1, 1]}. */
  static boolean isIntegerVector(TensorSpec spec) {
    return (spec.dtype().equals("int32") || spec.dtype().equals("int64"))
        && !spec.shape().isUnknown()
        && (spec.shape().numDimensions() == 1
            || spec.shape().numDimensions() == 2 && spec.shape().get(1) == 1);
  }

  /**
   * {@code values} as the integer input {@code spec} wants them: its dtype (int64, else int32) and
   * shape {@code [n]} or {@code [n, 1]}.
   */
  static TensorValue integers(TensorSpec spec, int[] values) {
    TensorValue.DType dtype =
        spec.dtype().equals("int64") ? TensorValue.DType.INT64 : TensorValue.DType.INT32;
    long[] shape =
        spec.shape().numDimensions() == 1
            ? new long[] {values.length}
            : new long[] {values.length, 1};
    return TensorValue.ofIntegers(dtype, values, shape);
  }

  /** The index and table size that {@code e} reports, if it is TensorFlow's gather error. */
  static Optional<OutOfRange> outOfRange(TFInvalidArgumentException e) {
    Matcher matcher = OUT_OF_RANGE.matcher(String.valueOf(e.getMessage()));
    if (!matcher.find()) {
      return Optional.empty();
    }
    return Optional.of(
        new OutOfRange(Long.parseLong(matcher.group(1)), Integer.parseInt(matcher.group(2))));
  }
}
