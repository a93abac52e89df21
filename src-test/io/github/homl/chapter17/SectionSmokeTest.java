package io.github.homl.chapter17;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.homl.cli.Section;
import io.github.homl.config.RunConfig;
import io.github.homl.training.History;
import io.github.homl.training.RunReport;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Section smoke tests ("Section smoke tests" in CONTRIBUTING.md): every section runs under the
 * {@code --quick} preset on the real Fashion-MNIST, trains the right number of epochs with finite
 * losses and writes each of its figures at the expected size.
 */
class SectionSmokeTest {

  private static final Path SYSTEM_COPY =
      Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");

  /** Pixels of a Fashion-MNIST image side once enlarged by the grid (28 × 4). */
  private static final int CELL = 28 * 4;

  private static final int MARGIN = 4;

  /** Width × height of each figure a section writes. */
  private static final Map<String, int[]> FIGURE_SIZES =
      Map.ofEntries(
          Map.entry("reconstruction_plot", grid(2, 5)),
          Map.entry("dropout_denoising_plot", grid(2, 5)),
          Map.entry("gaussian_denoising_plot", grid(2, 5)),
          Map.entry("sparsity_loss_plot", new int[] {800, 500}),
          Map.entry("sparse_l1_reconstruction_plot", grid(2, 5)),
          Map.entry("sparse_kl_reconstruction_plot", grid(2, 5)),
          Map.entry("vae_generated_images_plot", grid(3, 7)),
          Map.entry("semantic_interpolation_plot", grid(1, 7)),
          Map.entry("vae_latent_interpolation_plot", grid(2, 7)),
          Map.entry("vae_vector_arithmetic_plot", grid(3, 4)),
          Map.entry("gan_generated_images_plot", grid(4, 8)),
          Map.entry("gan_losses_plot", new int[] {800, 500}),
          Map.entry("gan_difficulties_plot", new int[] {1600, 500}),
          Map.entry("gan_difficulties_samples_plot", grid(5, 10)),
          Map.entry("dcgan_generated_images_plot", grid(4, 8)),
          Map.entry("dcgan_losses_plot", new int[] {800, 500}),
          Map.entry("dcgan_replay_off_generated_images_plot", grid(4, 8)),
          Map.entry("dcgan_replay_on_generated_images_plot", grid(4, 8)),
          Map.entry("dcgan_replay_losses_plot", new int[] {800, 500}),
          Map.entry("cgan_generated_images_plot", grid(10, 8)),
          Map.entry("cgan_losses_plot", new int[] {800, 500}),
          Map.entry("progan_generated_images_plot", grid(4, 8)),
          Map.entry("progan_growth_plot", grid(3, 8)),
          Map.entry("stylegan_generated_images_plot", grid(4, 8)),
          Map.entry("stylegan_growth_plot", grid(3, 8)),
          Map.entry("stylegan_style_mixing_plot", grid(6, 7)),
          Map.entry("exercise10_denoising_plot", grid(3, 5)),
          Map.entry("exercise10_coding_neurons_plot", grid(6, 8)),
          Map.entry("variance_schedule_plot", new int[] {800, 500}),
          Map.entry("ddpm_generated_images_plot", grid(4, 8)),
          Map.entry("ddim_generated_images_plot", grid(4, 8)),
          Map.entry("diffusion_processes_plot", grid(4, 7)),
          Map.entry("latent_ae_reconstruction_plot", grid(2, 5)),
          Map.entry("latent_diffusion_prompts_plot", grid(10, 8)),
          Map.entry("latent_guidance_sweep_plot", grid(4, 10)),
          Map.entry("latent_inpainting_plot", grid(3, 8)),
          Map.entry("latent_outpainting_plot", grid(3, 8)));

  /** The sets of samples each generative section scores at the end of its run. */
  private static final Map<Section, List<String>> SCORED =
      Map.of(
          Section.VAE, List.of("vae"),
          Section.GAN, List.of("gan"),
          Section.DCGAN, List.of("dcgan"),
          Section.DCGAN_REPLAY, List.of("dcgan_replay_off", "dcgan_replay_on"),
          Section.CGAN, List.of("cgan"),
          Section.PROGAN, List.of("progan"),
          Section.STYLEGAN, List.of("stylegan"),
          Section.DIFFUSION, List.of("diffusion_ddim"),
          Section.LATENT_DIFFUSION, List.of("latent_diffusion_w0", "latent_diffusion_w3"));

  @TempDir Path outDir;

  @BeforeEach
  void requireFashionMnist() {
    assumeTrue(
        Files.exists(SYSTEM_COPY) || System.getenv("FASHION_MNIST_DIR") != null,
        "Fashion-MNIST is not installed in /usr/share/datasets/fashion-mnist/ "
            + "(apt-get install dataset-fashion-mnist) and FASHION_MNIST_DIR is not set");
  }

  /** One quick run per section (they take seconds each), checked for losses and figures. */
  @ParameterizedTest
  @EnumSource(Section.class)
  void quickRunTrainsOneEpochAndWritesEveryFigureAtItsSize(Section section) throws IOException {
    RunReport report = section.run(RunConfig.smoke(outDir));

    assertFalse(report.histories().isEmpty(), section.id() + " reported no history");
    report
        .histories()
        .forEach(
            (name, history) -> {
              assertEquals(1, history.size(), name + " epochs");
              History.Epoch last = history.last();
              assertTrue(
                  last.logs().keySet().stream().anyMatch(k -> k.startsWith("val_")),
                  name + " has no held-out loss: " + last.logs());
              last.logs()
                  .forEach(
                      (log, value) ->
                          assertTrue(Double.isFinite(value), name + " " + log + " " + value));
            });
    for (String id : section.figureIds()) {
      Path png = outDir.resolve(id + ".png");
      assertTrue(Files.isRegularFile(png), id + ".png was not written");
      BufferedImage image = ImageIO.read(png.toFile());
      assertNotNull(image, id + ".png is not a decodable image");
      int[] expected = FIGURE_SIZES.get(id);
      assertNotNull(expected, "no expected size recorded for " + id);
      assertEquals(expected[0], image.getWidth(), id + " width");
      assertEquals(expected[1], image.getHeight(), id + " height");
    }
    for (String name : SCORED.getOrDefault(section, List.of())) {
      Double fid = report.measures().get(name + " FID-FMNIST");
      assertNotNull(fid, name + " was not scored: " + report.measures().keySet());
      assertTrue(fid > 0 && Double.isFinite(fid), name + " FID " + fid);
      double coverage = report.measures().get(name + " coverage");
      assertTrue(coverage >= 0 && coverage <= 1, name + " coverage " + coverage);
      String json = Files.readString(outDir.resolve(name + "_scores.json"));
      assertTrue(
          json.contains("\"count\": " + io.github.homl.evaluation.SampleScores.QUICK_SAMPLES),
          json);
    }
    for (String name : List.of("cgan", "latent_diffusion_w0", "latent_diffusion_w3")) {
      if (SCORED.getOrDefault(section, List.of()).contains(name)) {
        double accuracy = report.measures().get(name + " conditional accuracy");
        assertTrue(accuracy >= 0 && accuracy <= 1, name + " conditional accuracy " + accuracy);
      }
    }
  }

  @Test
  void sparseQuickRunMeasuresBothMeanCodingActivationsInsideTheUnitInterval() {
    RunReport report = Section.SPARSE.run(RunConfig.smoke(outDir));

    List<String> expected =
        List.of("sparse_l1_ae mean coding activation", "sparse_kl_ae mean coding activation");
    assertEquals(expected, List.copyOf(report.measures().keySet()));
    for (String name : expected) {
      double activation = report.measures().get(name);
      assertTrue(activation > 0 && activation < 1, name + " = " + activation);
    }
  }

  /**
   * {@code bench} times the steps: the diffusion sections stop before their minutes of sampling.
   */
  @ParameterizedTest
  @EnumSource(
      value = Section.class,
      names = {"DIFFUSION", "LATENT_DIFFUSION"})
  void stepsOnlyStopsAfterTheTraining(Section section) throws IOException {
    RunReport report = section.run(RunConfig.smoke(outDir).withStepsOnly());

    assertFalse(report.histories().isEmpty(), "trained");
    report.histories().values().forEach(h -> assertEquals(1, h.size()));
    try (var files = Files.list(outDir)) {
      List<String> drawn =
          files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".png")).toList();
      assertTrue(
          drawn.stream().noneMatch(n -> n.contains("generated") || n.contains("prompt")),
          "sampled: " + drawn);
    }
    assertTrue(
        report.measures().keySet().stream().noneMatch(k -> k.contains("seconds")),
        "timed a sampler: " + report.measures().keySet());
  }

  @Test
  void epochsOptionOverridesTheQuickPresetsSingleEpoch() {
    RunReport report = Section.STACKED.run(new RunConfig(2, true, 42, null, outDir));

    History history = report.histories().get("stacked_ae");
    assertEquals(2, history.size());
    assertEquals(2, history.epochs().size());
    for (History.Epoch epoch : history.epochs()) {
      assertTrue(Double.isFinite(epoch.loss()), "loss " + epoch.loss());
      assertTrue(Double.isFinite(epoch.valLoss()), "val_loss " + epoch.valLoss());
    }
  }

  @Test
  void sameSeedGivesIdenticalStackedLosses(@TempDir Path secondOutDir) {
    History first = Section.STACKED.run(RunConfig.smoke(outDir)).histories().get("stacked_ae");
    History second =
        Section.STACKED.run(RunConfig.smoke(secondOutDir)).histories().get("stacked_ae");

    assertEquals(first.last().loss(), second.last().loss(), 0.0, "loss");
    assertEquals(first.last().valLoss(), second.last().valLoss(), 0.0, "val_loss");
  }

  @Test
  void differentSeedGivesDifferentStackedLosses(@TempDir Path secondOutDir) {
    History seed42 = Section.STACKED.run(RunConfig.smoke(outDir)).histories().get("stacked_ae");
    History seed7 =
        Section.STACKED
            .run(new RunConfig(null, true, 7, null, secondOutDir))
            .histories()
            .get("stacked_ae");

    assertNotEquals(seed42.last().loss(), seed7.last().loss(), "the seed changed nothing");
  }

  /** Width and height of an {@code nRows × nCols} grid of enlarged 28×28 images. */
  private static int[] grid(int nRows, int nCols) {
    return new int[] {nCols * CELL + (nCols + 1) * MARGIN, nRows * CELL + (nRows + 1) * MARGIN};
  }
}
