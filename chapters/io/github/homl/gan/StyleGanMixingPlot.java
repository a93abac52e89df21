package io.github.homl.gan;

import io.github.homl.data.Images;
import io.github.homl.data.TensorValue;
import io.github.homl.data.Vectors;
import io.github.homl.figures.ImageGrid;
import io.github.homl.saving.SignatureCalls;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The style-mixing figure of the StyleGAN section, laid out as Figure 3 of the StyleGAN paper: the
 * top row shows the source B images, the left column the source A images, and the cell at row i,
 * column j takes the coarse styles from A_i and the fine ones from B_j. Drawn through the
 * generator's {@code mix} signature (coarse codes {@code codings_a}, fine codes {@code codings_b},
 * fixed noise maps, so only the styles vary), in the training session or from the SavedModel alike;
 * a source alone is its code mixed with itself.
 */
public final class StyleGanMixingPlot {

  public static final int SOURCES_A = 5;
  public static final int SOURCES_B = 6;

  private StyleGanMixingPlot() {}

  /** The figure for codings of {@code codingsSize} drawn with {@code Random(seed)}. */
  public static BufferedImage plot(SignatureCalls generator, long seed, int codingsSize) {
    Random random = new Random(seed);
    float[] codesA = Vectors.gaussian(random, SOURCES_A, codingsSize).values();
    float[] codesB = Vectors.gaussian(random, SOURCES_B, codingsSize).values();
    // every (i, j) pair, row-major: A_i repeated, B tiled, both [SOURCES_A · SOURCES_B, codings]
    float[] coarse = new float[SOURCES_A * SOURCES_B * codingsSize];
    float[] fine = new float[coarse.length];
    for (int i = 0; i < SOURCES_A; i++) {
      for (int j = 0; j < SOURCES_B; j++) {
        int cell = (i * SOURCES_B + j) * codingsSize;
        System.arraycopy(codesA, i * codingsSize, coarse, cell, codingsSize);
        System.arraycopy(codesB, j * codingsSize, fine, cell, codingsSize);
      }
    }
    Images a = mix(generator, codesA, codesA, codingsSize);
    Images b = mix(generator, codesB, codesB, codingsSize);
    Images mixes = mix(generator, coarse, fine, codingsSize);
    List<Images> rows = new ArrayList<>();
    rows.add(concat(new Images(new float[28 * 28], 1, 28, 28), b)); // a constant cell is white
    for (int i = 0; i < SOURCES_A; i++) {
      rows.add(concat(a.slice(i, i + 1), mixes.slice(i * SOURCES_B, (i + 1) * SOURCES_B)));
    }
    return ImageGrid.plotRows(rows);
  }

  private static Images mix(
      SignatureCalls generator, float[] coarse, float[] fine, int codingsSize) {
    int n = coarse.length / codingsSize;
    float[] images =
        generator
            .call(
                "mix",
                Map.of(
                    "codings_a", TensorValue.of(coarse, n, codingsSize),
                    "codings_b", TensorValue.of(fine, n, codingsSize)))
            .get("images")
            .floats();
    return new Images(images, n, 28, 28);
  }

  private static Images concat(Images first, Images rest) {
    float[] pixels = new float[first.pixels().length + rest.pixels().length];
    System.arraycopy(first.pixels(), 0, pixels, 0, first.pixels().length);
    System.arraycopy(rest.pixels(), 0, pixels, first.pixels().length, rest.pixels().length);
    return new Images(pixels, first.count() + rest.count(), 28, 28);
  }
}
