package io.github.homl.saving;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.exceptions.TFInvalidArgumentException;

/**
 * A diffusion denoiser SavedModel, from Java, tf_keras or Keras 3, seen as a function from noisy
 * images and a time step to the predicted noise: the notebook's {@code model({"X_noisy": x, "time":
 * t})}.
 *
 * <p>The signature it runs has two inputs, a float32 image input of shape {@code [-1, h, w, c]} and
 * an int32 or int64 time input of shape {@code [-1]} or {@code [-1, 1]}, and a float32 output of
 * the image input's shape (the one called {@code noise} or {@code output_0} when there are
 * several). Inputs are recognised by dtype and shape, so {@code x_noisy}, the notebook's {@code
 * X_noisy} and Keras 3's names all work; the image shape and the time dtype are read from the
 * signature.
 */
public final class SavedDenoiser implements AutoCloseable {

  private static final String EXPECTED =
      "a denoiser signature has two inputs, a float32 image "
          + "[-1, h, w, c] and an int32 or int64 time step [-1] (or [-1, 1]), and a float32 "
          + "output of "
          + "the image's shape (the predicted noise)";

  /** TensorFlow's CPU gather error, as the time encoding's lookup raises it. */
  private static final Pattern OUT_OF_RANGE =
      Pattern.compile("indices\\[[0-9,]*\\] = (-?[0-9]+) is not in \\[0, ([0-9]+)\\)");

  private final LoadedModel model;
  private final SignatureInfo signature;
  private final TensorSpec image;
  private final TensorSpec time;
  private final String outputName;

  private SavedDenoiser(LoadedModel model, SignatureInfo signature) {
    this.model = model;
    this.signature = signature;
    this.image = imageInput(signature);
    this.time = timeInput(signature);
    this.outputName = noiseOutput(signature, image).name();
  }

  /**
   * Opens the SavedModel in {@code dir} and picks signature {@code key}, or, when {@code key} is
   * null, {@code serving_default} or {@code serve} if it is a denoiser signature, else the only one
   * that is.
   */
  public static SavedDenoiser open(Path dir, String key) {
    LoadedModel model = SavedModels.load(dir);
    try {
      return new SavedDenoiser(model, pick(model, key));
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  public SignatureInfo signature() {
    return signature;
  }

  /** {@code [h, w, c]} of the image input. */
  public int[] imageShape() {
    return new int[] {
      (int) image.shape().get(1), (int) image.shape().get(2), (int) image.shape().get(3)
    };
  }

  /** {@code int32} or {@code int64}. */
  public String timeDtype() {
    return time.dtype();
  }

  /**
   * The predicted noise for {@code n} images {@code x} ({@code [n, h, w, c]} flattened), all at
   * time step {@code t}: one call of the signature.
   *
   * @throws IllegalArgumentException if {@code t} is outside the model's time range (its time
   *     encoding has fewer rows), saying which range it has
   */
  public float[] predictNoise(float[] x, int n, int t) {
    int[] shape = imageShape();
    int[] times = new int[n];
    Arrays.fill(times, t);
    TensorValue.DType timeType =
        time.dtype().equals("int64") ? TensorValue.DType.INT64 : TensorValue.DType.INT32;
    long[] timeShape = time.shape().numDimensions() == 1 ? new long[] {n} : new long[] {n, 1};
    Map<String, TensorValue> inputs =
        Map.of(
            image.name(), TensorValue.of(x, n, shape[0], shape[1], shape[2]),
            time.name(), TensorValue.ofIntegers(timeType, times, timeShape));
    try {
      return model.call(signature.key(), inputs).get(outputName).floats();
    } catch (TFInvalidArgumentException e) {
      Matcher matcher = OUT_OF_RANGE.matcher(String.valueOf(e.getMessage()));
      if (matcher.find()) {
        throw new IllegalArgumentException(
            "time step "
                + t
                + " is outside the range of the "
                + "model's time input '"
                + time.name()
                + "', 0.."
                + (Integer.parseInt(matcher.group(2)) - 1)
                + ": its T is "
                + (Integer.parseInt(matcher.group(2)) - 1)
                + "; give that with --T",
            e);
      }
      throw e;
    }
  }

  private static SignatureInfo pick(LoadedModel model, String key) {
    if (key != null) {
      SignatureInfo info = model.signature(key);
      if (!isDenoiser(info)) {
        throw new IllegalArgumentException("signature " + info + " is not a denoiser: " + EXPECTED);
      }
      return info;
    }
    var denoisers = model.signatures().stream().filter(SavedDenoiser::isDenoiser).toList();
    for (String preferred : List.of("serving_default", "serve")) {
      var found = denoisers.stream().filter(info -> info.key().equals(preferred)).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
    }
    if (denoisers.size() == 1) {
      return denoisers.get(0);
    }
    throw new IllegalArgumentException(
        (denoisers.isEmpty() ? "no denoiser signature in " : "several denoiser signatures in ")
            + model.dir()
            + " (choose one with --signature); "
            + EXPECTED
            + ". It has:\n"
            + model.describe());
  }

  static boolean isDenoiser(SignatureInfo info) {
    if (info.inputs().size() != 2) {
      return false;
    }
    TensorSpec image = imageInput(info);
    return image != null && timeInput(info) != null && noiseOutput(info, image) != null;
  }

  private static TensorSpec imageInput(SignatureInfo info) {
    return info.inputs().stream()
        .filter(
            input ->
                input.dtype().equals("float32")
                    && !input.shape().isUnknown()
                    && input.shape().numDimensions() == 4
                    && input.shape().get(1) > 0
                    && input.shape().get(2) > 0
                    && input.shape().get(3) > 0)
        .findFirst()
        .orElse(null);
  }

  private static TensorSpec timeInput(SignatureInfo info) {
    return info.inputs().stream()
        .filter(
            input ->
                (input.dtype().equals("int32") || input.dtype().equals("int64"))
                    && !input.shape().isUnknown()
                    && (input.shape().numDimensions() == 1
                        || input.shape().numDimensions() == 2 && input.shape().get(1) == 1))
        .findFirst()
        .orElse(null);
  }

  /** The float32 output of the image's shape: {@code noise}, else {@code output_0}, else first. */
  private static TensorSpec noiseOutput(SignatureInfo info, TensorSpec image) {
    List<TensorSpec> candidates =
        info.outputs().stream()
            .filter(
                output ->
                    output.dtype().equals("float32")
                        && !output.shape().isUnknown()
                        && output.shape().numDimensions() == 4
                        && sameOrUnknown(output.shape().get(1), image.shape().get(1))
                        && sameOrUnknown(output.shape().get(2), image.shape().get(2))
                        && sameOrUnknown(output.shape().get(3), image.shape().get(3)))
            .toList();
    for (String preferred : List.of("noise", "output_0")) {
      for (TensorSpec output : candidates) {
        if (output.name().equals(preferred)) {
          return output;
        }
      }
    }
    return candidates.isEmpty() ? null : candidates.get(0);
  }

  private static boolean sameOrUnknown(long dim, long expected) {
    return dim < 0 || dim == expected;
  }

  @Override
  public void close() {
    model.close();
  }
}
