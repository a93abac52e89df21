package io.github.homl.chapter17;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.homl.config.RunConfig;
import io.github.homl.gan.GrowingGan.FadeIn;
import io.github.homl.gan.ProGanDiscriminator;
import io.github.homl.gan.ProGanGenerator;
import io.github.homl.layers.AvgPool2D;
import io.github.homl.layers.GraphRuns;
import io.github.homl.layers.UpSampling2D;
import io.github.homl.training.History;
import io.github.homl.training.RunReport;
import io.github.homl.training.Workspace;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class ProgressiveGanTest {

  static final Path FASHION_MNIST =
      Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
  private static final int[] TINY = {4, 3, 2};

  @TempDir Path outDir;

  @Test
  void generatorFadeInIsTheOldPathEnlargedAtAlphaZeroAndTheNewPathAtAlphaOne() {
    try (Workspace ws = Workspace.create(42)) {
      Ops tf = ws.tf();
      ProGanGenerator generator = new ProGanGenerator(TINY);
      Operand<TFloat32> codings = constant(tf, GraphRuns.randomValues(1, 3 * 8, 0f), 3, 8);
      for (int stage = 1; stage <= 2; stage++) {
        List<float[]> out =
            GraphRuns.run(
                ws,
                Map.of(),
                List.of(
                    generator.fadeIn(ws.inference(), codings, stage, tf.constant(0f)),
                    new UpSampling2D(2)
                        .apply(ws.inference(), generator.call(ws.inference(), codings, stage - 1)),
                    generator.fadeIn(ws.inference(), codings, stage, tf.constant(1f)),
                    generator.call(ws.inference(), codings, stage),
                    generator.fadeIn(ws.inference(), codings, stage, tf.constant(0.25f))));

        assertArrayEquals(out.get(1), out.get(0), 1e-5f, "alpha 0, stage " + stage);
        assertArrayEquals(out.get(3), out.get(2), 1e-5f, "alpha 1, stage " + stage);
        assertFalse(java.util.Arrays.equals(out.get(1), out.get(3)), "old and new paths agree");
        for (int i = 0; i < out.get(4).length; i++) {
          float expected = out.get(1)[i] + 0.25f * (out.get(3)[i] - out.get(1)[i]);
          assertEquals(expected, out.get(4)[i], 1e-5, "alpha 0.25, entry " + i);
        }
      }
    }
  }

  @Test
  void discriminatorFadeInSeesPooledImagesAtAlphaZeroAndTheNewBlockAtAlphaOne() {
    try (Workspace ws = Workspace.create(42)) {
      Ops tf = ws.tf();
      ProGanDiscriminator discriminator = new ProGanDiscriminator(TINY);
      for (int stage = 1; stage <= 2; stage++) {
        int size = 7 << stage;
        Operand<TFloat32> images =
            constant(tf, GraphRuns.randomValues(stage, 3 * size * size, 0f), 3, size, size, 1);
        List<float[]> out =
            GraphRuns.run(
                ws,
                Map.of(),
                List.of(
                    discriminator.fadeIn(ws.training(), images, stage, tf.constant(0f)),
                    discriminator.call(
                        ws.training(), new AvgPool2D(2).apply(ws.training(), images), stage - 1),
                    discriminator.fadeIn(ws.training(), images, stage, tf.constant(1f)),
                    discriminator.call(ws.training(), images, stage)));

        assertArrayEquals(out.get(1), out.get(0), 1e-5f, "alpha 0, stage " + stage);
        assertArrayEquals(out.get(3), out.get(2), 1e-5f, "alpha 1, stage " + stage);
      }
    }
  }

  @Test
  void scheduleGrowsFrom7To28WithAlphaRisingFrom0To1DuringEachFadeIn() {
    int total = 100; // 5 phases of 20 steps
    assertEquals(new FadeIn(0, 1f, false), FadeIn.at(0, total));
    assertEquals(new FadeIn(0, 1f, false), FadeIn.at(19, total));
    assertEquals(new FadeIn(1, 0f, true), FadeIn.at(20, total));
    assertEquals(0.5f, FadeIn.at(30, total).alpha(), 1e-6);
    assertEquals(new FadeIn(1, 1f, false), FadeIn.at(40, total));
    assertEquals(new FadeIn(2, 0f, true), FadeIn.at(60, total));
    assertEquals(new FadeIn(2, 1f, false), FadeIn.at(99, total));
    for (int step = 21; step < 40; step++) {
      assertTrue(FadeIn.at(step, total).alpha() > FadeIn.at(step - 1, total).alpha());
    }
  }

  @Test
  void quickRunGrowsThroughEveryStageAndResumesFromItsCheckpoint() throws IOException {
    assumeTrue(Files.exists(FASHION_MNIST), "Fashion-MNIST is not installed");
    RunReport report = ProgressiveGan.run(RunConfig.smoke(outDir));

    assertEquals(List.of("progan"), List.copyOf(report.histories().keySet()));
    History history = report.histories().get("progan");
    assertEquals(1, history.size());
    for (String name : List.of("d_loss", "g_loss", "val_d_loss", "val_g_loss")) {
      assertTrue(Double.isFinite(history.last().get(name)), name + " " + history.last().logs());
    }
    assertFigure(outDir.resolve("progan_generated_images_plot.png"), 4, 8);
    BufferedImage growth = assertFigure(outDir.resolve("progan_growth_plot.png"), 3, 8);
    for (int row = 0; row < 3; row++) { // every stage left its snapshot: no row is blank
      assertTrue(hasDarkPixel(growth, row), "growth row " + row + " is blank");
    }

    RunReport resumed = ProgressiveGan.run(new RunConfig(2, true, 42, null, outDir, true));

    History both = resumed.histories().get("progan");
    assertEquals(2, both.size());
    assertEquals(
        history.last().get("g_loss"), both.epochs().get(0).get("g_loss"), 1e-6, "epoch 1 restored");
  }

  static BufferedImage assertFigure(Path png, int rows, int cols) throws IOException {
    assertTrue(Files.isRegularFile(png), png + " was not written");
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(cols * 112 + (cols + 1) * 4, image.getWidth(), png + " width");
    assertEquals(rows * 112 + (rows + 1) * 4, image.getHeight(), png + " height");
    return image;
  }

  private static boolean hasDarkPixel(BufferedImage grid, int row) {
    int top = 4 + row * 116;
    for (int y = top; y < top + 112; y++) {
      for (int x = 0; x < grid.getWidth(); x++) {
        if ((grid.getRGB(x, y) & 0xff) < 128) {
          return true;
        }
      }
    }
    return false;
  }

  static Operand<TFloat32> constant(Ops tf, float[] values, long... dims) {
    return tf.constant(Shape.of(dims), DataBuffers.of(values, true, false));
  }
}
