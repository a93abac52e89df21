package io.github.homl.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.homl.cli.Main;
import io.github.homl.data.Npy;
import io.github.homl.figures.ImageGrid;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's {@code generate} (any generator SavedModel) and {@code export} (a trained section). */
class GenerateAndExportCommandTest {

  static final Path FASHION_MNIST =
      Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");

  @TempDir Path tmp;

  @Test
  void kerasVaeDecoderGivesTheFigure17_12Grid() throws IOException {
    Path png = tmp.resolve("vae_generated_images_plot.png");
    Path samples = tmp.resolve("samples.npy");
    assertEquals(
        0,
        Main.execute(
            "generate",
            "--model",
            "savedmodels/python/vae_decoder/model",
            "--n",
            "21",
            "--cols",
            "7",
            "--out",
            png.toString(),
            "--samples",
            samples.toString()));
    BufferedImage grid = ImageIO.read(png.toFile());
    assertEquals(ImageGrid.gridWidth(7, 28), grid.getWidth());
    assertEquals(ImageGrid.gridHeight(3, 28), grid.getHeight());
    assertArrayEquals(new long[] {21, 28, 28}, Npy.read(samples).shape());
  }

  @Test
  void generateHandlesChannelsLastAndFlatOutputs() throws IOException {
    // the Keras tiny decoder outputs [n, 28, 28]; a Java export of Dense(784) outputs [n, 784]
    Path png = tmp.resolve("tiny.png");
    assertEquals(
        0,
        Main.execute(
            "generate",
            "--model",
            "savedmodels/python/tiny_decoder/model",
            "--n",
            "5",
            "--out",
            png.toString()));
    assertEquals(ImageGrid.gridWidth(5, 28), ImageIO.read(png.toFile()).getWidth());
  }

  @Test
  void generateOnAMissingDirectoryFailsWithAClearMessage() {
    String err =
        stderrOf(
            "generate",
            "--model",
            tmp.resolve("nothing").toString(),
            "--out",
            tmp.resolve("x.png").toString());
    assertEquals(
        "error: no SavedModel at " + tmp.resolve("nothing") + ": no such directory\n", err);
  }

  @Test
  void generateRefusesAModelThatIsNotAGenerator() {
    String err =
        stderrOf(
            "generate",
            "--model",
            "savedmodels/python/tiny_denoiser/model",
            "--out",
            tmp.resolve("x.png").toString());
    assertTrue(
        err.startsWith(
            "error: no generator signature in savedmodels/python/tiny_denoiser"
                + "/model (choose one with --signature); a generator signature has one float32 "
                + "input"),
        err);
    assertTrue(err.contains("serving_default(time: int32 [-1], x_noisy: float32"), err);
  }

  @Test
  void exportedVaeDecoderGeneratesImages() throws IOException {
    assumeTrue(
        Files.exists(FASHION_MNIST) || System.getenv("FASHION_MNIST_DIR") != null,
        "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
    Path model = tmp.resolve("vae_decoder");
    assertEquals(
        0,
        Main.execute(
            "export",
            "vae",
            "--quick",
            "--out",
            model.toString(),
            "--figures",
            tmp.resolve("figures").toString()));
    try (LoadedModel loaded = SavedModels.load(model)) {
      assertEquals(
          "encode_distribution(images: float32 [-1, 28, 28]) -> (codings_log_var: float32"
              + " [-1, 10], codings_mean: float32 [-1, 10])\n"
              + "  serving_default(codings: float32 [-1, 10]) -> (images: float32 [-1, 28, 28])",
          loaded.describe().trim());
    }
    Path png = tmp.resolve("generated.png");
    assertEquals(0, Main.execute("generate", "--model", model.toString(), "--out", png.toString()));
    assertEquals(ImageGrid.gridHeight(4, 28), ImageIO.read(png.toFile()).getHeight());
  }

  @Test
  void anUnknownModelFailsBeforeTrainingListingTheSectionsModels() {
    long start = System.nanoTime();
    String err =
        stderrOf(
            "export",
            "dcgan_replay",
            "--model",
            "nosuch",
            "--out",
            tmp.resolve("m").toString(),
            "--figures",
            tmp.resolve("figures").toString());
    assertEquals(
        "error: section 'dcgan_replay' has no model 'nosuch'; it hands over"
            + " [dcgan_replay_off_generator, dcgan_replay_on_generator]\n",
        err);
    assertTrue((System.nanoTime() - start) / 1e9 < 5, "it trained first");
  }

  @Test
  void exportNeedsEitherAnOutputOrThePretrainedFolder() {
    assertEquals("error: give either --out DIR or --to-pretrained\n", stderrOf("export", "gan"));
  }

  private static String stderrOf(String... args) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertEquals(2, Main.execute(args));
    } finally {
      System.setErr(saved);
    }
    return err.toString(StandardCharsets.UTF_8);
  }
}
