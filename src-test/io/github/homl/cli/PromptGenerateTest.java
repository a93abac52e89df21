package io.github.homl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.diffusion.LatentPipelines;
import io.github.homl.saving.SavedModels;
import io.github.homl.training.Workspace;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate --prompt} on an exported (untrained, small) latent diffusion pipeline. */
class PromptGenerateTest {

  @RegisterExtension final StandardStreams streams = new StandardStreams();
  @TempDir static Path tmp;
  private static Path model;

  @BeforeAll
  static void exportAPipeline() {
    model = tmp.resolve("pipeline");
    try (Workspace ws = Workspace.create(42)) {
      SavedModels.export(ws.session(), model, LatentPipelines.untrained(ws).signatures());
    }
  }

  @Test
  void writesAGridOfNImagesAndWarnsAboutUnknownWords() throws Exception {
    Path png = tmp.resolve("boots.png");

    int code =
        generate(
            "--prompt",
            "a salamander boot",
            "--guidance",
            "3",
            "--steps",
            "4",
            "--n",
            "3",
            "--out",
            png.toString());

    assertEquals(0, code, streams.stderr());
    BufferedImage grid = ImageIO.read(png.toFile());
    assertEquals(3 * 28 * 4 + 4 * 4, grid.getWidth());
    assertTrue(streams.stdout().contains("read as <unk>: salamander"), streams.stdout());
  }

  @Test
  void aTooLongPromptIsOneClearErrorAndWritesNothing() {
    Path png = tmp.resolve("long.png");

    int code = generate("--prompt", "a b c d e f g h i j k l m", "--out", png.toString());

    assertEquals(2, code);
    assertTrue(streams.stderr().contains("has 13 words; at most 12 fit"), streams.stderr());
    assertFalse(Files.exists(png));
  }

  @Test
  void guidanceWithoutAPromptIsAnError() {
    int code = generate("--guidance", "2", "--out", tmp.resolve("x.png").toString());

    assertEquals(2, code);
    assertTrue(
        streams.stderr().contains("--guidance and --steps go with --prompt"), streams.stderr());
  }

  @Test
  void sizeAndNoiseAreOnlyForAStableDiffusionExport() {
    int code =
        generate("--prompt", "a boot", "--size", "64", "--out", tmp.resolve("x.png").toString());

    assertEquals(2, code);
    assertTrue(
        streams
            .stderr()
            .contains("--size and --noise go with --prompt on a Stable Diffusion export"),
        streams.stderr());
  }

  /** {@code generate --model <the exported pipeline>} with {@code options}. */
  private static int generate(String... options) {
    String[] args = new String[options.length + 3];
    args[0] = "generate";
    args[1] = "--model";
    args[2] = model.toString();
    System.arraycopy(options, 0, args, 3, options.length);
    return Main.execute(args);
  }
}
