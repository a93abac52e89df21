package io.github.homl.saving;

import io.github.homl.data.TensorValue;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
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
public final class SavedDenoiser extends SignatureModel {

  private static final String EXPECTED =
      "a denoiser signature has two inputs, a float32 image "
          + "[-1, h, w, c] and an int32 or int64 time step [-1] (or [-1, 1]), and a float32 "
          + "output of "
          + "the image's shape (the predicted noise)";

  private final TensorSpec image;
  private final TensorSpec time;

  private SavedDenoiser(LoadedModel model, SignatureInfo signature) {
    super(model, signature, noiseOutput(signature, imageInput(signature)).name());
    this.image = imageInput(signature);
    this.time = timeInput(signature);
  }

  /**
   * Opens the SavedModel in {@code dir} and picks signature {@code key}, or, when {@code key} is
   * null, {@code serving_default} or {@code serve} if it is a denoiser signature, else the only one
   * that is.
   */
  public static SavedDenoiser open(Path dir, String key) {
    return open(dir, key, "denoiser", SavedDenoiser::isDenoiser, EXPECTED, SavedDenoiser::new);
  }

  /** {@code [h, w, c]} of the image input. */
  public int[] imageShape() {
    return new int[] {
      (int) image.shape().get(1), (int) image.shape().get(2), (int) image.shape().get(3)
    };
  }

  /**
   * The model's T as its graph tells it: its time encoding is a table of {@code T + 1} rows that
   * the time input indexes (the book's {@code TimeEncoding}), or empty when the graph does not say.
   */
  public OptionalInt timeSteps() {
    OptionalInt rows = model().indexRange(signature().key(), time.name());
    return rows.isPresent() && rows.getAsInt() > 1
        ? OptionalInt.of(rows.getAsInt() - 1)
        : OptionalInt.empty();
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
    Map<String, TensorValue> inputs =
        Map.of(
            image.name(), TensorValue.of(x, n, shape[0], shape[1], shape[2]),
            time.name(), integers(time, times));
    try {
      return call(inputs).floats();
    } catch (TFInvalidArgumentException e) {
      Optional<OutOfRange> outside = outOfRange(e);
      if (outside.isPresent()) {
        int last = outside.get().size() - 1;
        throw new IllegalArgumentException(
            "time step "
                + t
                + " is outside the range of the "
                + "model's time input '"
                + time.name()
                + "', 0.."
                + last
                + ": its T is "
                + last
                + "; give that with --T",
            e);
      }
      throw e;
    }
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
                float32Rank(input) == 4
                    && input.shape().get(1) > 0
                    && input.shape().get(2) > 0
                    && input.shape().get(3) > 0)
        .findFirst()
        .orElse(null);
  }

  private static TensorSpec timeInput(SignatureInfo info) {
    return info.inputs().stream().filter(SignatureModel::isIntegerVector).findFirst().orElse(null);
  }

  /** The float32 output of the image's shape: {@code noise}, else {@code output_0}, else first. */
  private static TensorSpec noiseOutput(SignatureInfo info, TensorSpec image) {
    List<TensorSpec> candidates =
        info.outputs().stream()
            .filter(
                output ->
                    float32Rank(output) == 4
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
}
