package io.github.homl.evaluation;

import io.github.homl.data.Images;
import io.github.homl.training.Progress;

/** Draws the many images a score needs from a generator a bounded batch at a time. */
public final class Sampling {

  /** Images {@code from} (inclusive) to {@code to} (exclusive) of a set of samples. */
  @FunctionalInterface
  public interface Batch {
    Images sample(int from, int to);
  }

  private Sampling() {}

  /**
   * Images {@code 0..n-1} from {@code batch}, asking for at most {@code batchSize} at a time, so a
   * generator never holds the activations of all {@code n} at once; shows progress (a diffusion
   * model's 10,000 samples take minutes).
   *
   * @throws IllegalArgumentException if a batch returns the wrong count or changes image size
   */
  public static Images inBatches(int n, int batchSize, Batch batch) {
    if (n < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "expected n >= 1 and batchSize >= 1, got " + n + ", " + batchSize);
    }
    float[] pixels = null;
    int height = 0;
    int width = 0;
    Progress progress = Progress.start("sampling", (n + batchSize - 1) / batchSize);
    for (int from = 0; from < n; from += batchSize) {
      int to = Math.min(n, from + batchSize);
      Images images = batch.sample(from, to);
      if (pixels == null) {
        height = images.height();
        width = images.width();
        pixels = new float[n * height * width];
      }
      if (images.count() != to - from || images.height() != height || images.width() != width) {
        throw new IllegalArgumentException(
            "samples "
                + from
                + ".."
                + (to - 1)
                + " came back as "
                + images
                + ", expected "
                + (to - from)
                + " images of "
                + height
                + "x"
                + width);
      }
      System.arraycopy(images.pixels(), 0, pixels, from * height * width, images.pixels().length);
      progress.update(from / batchSize + 1);
    }
    progress.finish();
    return new Images(pixels, n, height, width);
  }
}
