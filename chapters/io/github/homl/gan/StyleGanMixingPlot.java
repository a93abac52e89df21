package io.github.homl.gan;

import io.github.homl.data.Images;
import io.github.homl.figures.ImageGrid;
import io.github.homl.gan.StyleGanGenerator.Noise;
import io.github.homl.training.Workspace;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The style-mixing figure of the StyleGAN section, laid out as Figure 3 of the StyleGAN paper: the
 * top row shows the source B images, the left column the source A images, and the cell at row i,
 * column j takes the coarse styles (the first {@code coarseLayers} style layers) from A_i and the
 * fine ones from B_j. The noise maps are fixed for the whole figure, so only the styles vary. Holds
 * the graph of the three batches: the A sources, the B sources, and every (A_i, B_j) mix.
 */
public record StyleGanMixingPlot(
    Operand<TFloat32> sourceA, Operand<TFloat32> sourceB, Operand<TFloat32> mixed) {

  public static final int SOURCES_A = 5;
  public static final int SOURCES_B = 6;

  /**
   * The figure's graph for codings of {@code codingsSize}, the first {@code coarseLayers} coarse.
   */
  public static StyleGanMixingPlot build(
      Workspace ws, StyleGanGenerator generator, long seed, int codingsSize, int coarseLayers) {
    Ops tf = ws.tf();
    Random random = new Random(seed);
    float[] codesA = ProGanTraining.gaussian(random, SOURCES_A * codingsSize);
    float[] codesB = ProGanTraining.gaussian(random, SOURCES_B * codingsSize);
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
    return new StyleGanMixingPlot(
        generator.call(
            ws.inference(),
            ProGanTraining.constant(tf, codesA, SOURCES_A, codingsSize),
            Noise.FIXED),
        generator.call(
            ws.inference(),
            ProGanTraining.constant(tf, codesB, SOURCES_B, codingsSize),
            Noise.FIXED),
        generator.mix(
            ws.inference(),
            ProGanTraining.constant(tf, coarse, SOURCES_A * SOURCES_B, codingsSize),
            ProGanTraining.constant(tf, fine, SOURCES_A * SOURCES_B, codingsSize),
            coarseLayers,
            Noise.FIXED));
  }

  /** Top row: a blank cell, then the B sources; each next row: A_i, then its mixes with every B. */
  public BufferedImage plot(Workspace ws) {
    Images a = new Images(ws.run(sourceA, Map.of()), SOURCES_A, 28, 28);
    Images b = new Images(ws.run(sourceB, Map.of()), SOURCES_B, 28, 28);
    Images mixes = new Images(ws.run(mixed, Map.of()), SOURCES_A * SOURCES_B, 28, 28);
    List<Images> rows = new ArrayList<>();
    rows.add(concat(new Images(new float[28 * 28], 1, 28, 28), b)); // a constant cell is white
    for (int i = 0; i < SOURCES_A; i++) {
      rows.add(concat(a.slice(i, i + 1), mixes.slice(i * SOURCES_B, (i + 1) * SOURCES_B)));
    }
    return ImageGrid.plotRows(rows);
  }

  private static Images concat(Images first, Images rest) {
    float[] pixels = new float[first.pixels().length + rest.pixels().length];
    System.arraycopy(first.pixels(), 0, pixels, 0, first.pixels().length);
    System.arraycopy(rest.pixels(), 0, pixels, first.pixels().length, rest.pixels().length);
    return new Images(pixels, first.count() + rest.count(), 28, 28);
  }
}
