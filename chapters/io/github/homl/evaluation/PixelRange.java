package io.github.homl.evaluation;

import io.github.homl.data.Images;
import java.util.Locale;

/**
 * The value range of images to score. The evaluator reads [0, 1], so generators with a tanh output
 * (the DCGAN's [-1, 1]) are rescaled with {@code (x + 1) / 2} first, and overshoots (a linear
 * decoder such as the VAE's reaches -0.5 and 1.7) are clipped to [0, 1], as the notebook clips
 * images before plotting them.
 */
public enum PixelRange {
  /** Decide from the pixels: see {@link #convert}. */
  AUTO,
  /** Pixels in [0, 1] (the book's {@code X / 255}). */
  UNIT,
  /** Pixels in [-1, 1] (the DCGAN's {@code X * 2 - 1} and tanh outputs). */
  SYMMETRIC;

  /**
   * {@code images} of this range in [0, 1]: as they are for {@link #UNIT}, {@code (x + 1) / 2} for
   * {@link #SYMMETRIC} (no clipping; {@link #convert} also checks and clips).
   */
  public Images toUnit(Images images) {
    return switch (this) {
      case UNIT -> images;
      case SYMMETRIC -> images.scaled(0.5f, 0.5f);
      case AUTO -> throw new IllegalStateException("AUTO has no range of its own: use convert");
    };
  }

  /** What was assumed and why, for the user, and the images in [0, 1]. */
  public record Converted(Images images, String assumption) {}

  /**
   * Converts {@code images} to [0, 1]. With {@link #AUTO}, Fashion-MNIST's background decides: it
   * is 0 in [0, 1] and -1 in [-1, 1], so a set with more than 10% of its pixels below -0.5 is taken
   * as [-1, 1]. Pixels still outside [0, 1] after rescaling are clipped.
   *
   * @throws IllegalArgumentException if a pixel is not finite or the values reach above 2 (images
   *     in 0..255 must be divided by 255)
   */
  public Converted convert(Images images) {
    Stats stats = Stats.of(images);
    PixelRange range = this != AUTO ? this : stats.mostlyNegative() ? SYMMETRIC : UNIT;
    Images rescaled = range.toUnit(images);
    Clipped clipped = clip(rescaled);
    String assumption =
        String.format(
            Locale.ROOT,
            "%s pixels in %s (%s)%s%s",
            this == AUTO ? "assumed" : "told",
            range == SYMMETRIC ? "[-1, 1]" : "[0, 1]",
            stats,
            range == SYMMETRIC ? "; rescaled to [0, 1] with (x + 1) / 2" : "",
            clipped.fraction() > 0
                ? String.format(
                    Locale.ROOT, "; %.2f%% of pixels clipped to [0, 1]", 100 * clipped.fraction())
                : "");
    return new Converted(clipped.images(), assumption);
  }

  /**
   * The images as the evaluator reads them, clipped to [0, 1]; an error with a hint for images that
   * look like [-1, 1] or 0..255, so a tanh generator is not scored by mistake.
   */
  static Images forEvaluator(Images images) {
    Stats stats = Stats.of(images);
    if (stats.mostlyNegative()) {
      throw new IllegalArgumentException(
          "the evaluator expects pixels in [0, 1], got "
              + stats
              + ": these look like [-1, 1] images; pass PixelRange.SYMMETRIC.toUnit(images)");
    }
    return clip(images).images();
  }

  private record Clipped(Images images, double fraction) {}

  private static Clipped clip(Images images) {
    float[] pixels = images.pixels().clone();
    long count = 0;
    for (int k = 0; k < pixels.length; k++) {
      float p = pixels[k];
      if (p < 0f || p > 1f) {
        pixels[k] = Math.max(0f, Math.min(1f, p));
        count++;
      }
    }
    return new Clipped(
        new Images(pixels, images.count(), images.height(), images.width()),
        (double) count / Math.max(1, pixels.length));
  }

  /** The range of the pixels and the fraction below -0.5 (background in [-1, 1] images). */
  private record Stats(float min, float max, double fractionBelowHalf) {

    static Stats of(Images images) {
      float min = Float.POSITIVE_INFINITY;
      float max = Float.NEGATIVE_INFINITY;
      long below = 0;
      for (float p : images.pixels()) {
        if (!Float.isFinite(p)) {
          throw new IllegalArgumentException("the images contain a non-finite pixel (" + p + ")");
        }
        min = Math.min(min, p);
        max = Math.max(max, p);
        if (p < -0.5f) {
          below++;
        }
      }
      Stats stats = new Stats(min, max, (double) below / Math.max(1, images.pixels().length));
      if (max > 2f) {
        throw new IllegalArgumentException(
            "pixel values reach "
                + max
                + " ("
                + stats
                + "): expected [0, 1] or [-1, 1]; divide 0..255 images by 255");
      }
      return stats;
    }

    boolean mostlyNegative() {
      return fractionBelowHalf > 0.1;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "pixels in [%.3f, %.3f], %.0f%% below -0.5",
          min,
          max,
          100 * fractionBelowHalf);
    }
  }
}
