package io.github.homl.chapter17;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.homl.cli.Section;
import io.github.homl.config.RunConfig;
import io.github.homl.gan.GanResults;
import io.github.homl.saving.Pretrained;
import io.github.homl.training.RunReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code run SECTION --pretrained} with the models committed under {@code savedmodels/pretrained/}:
 * the figures are written and the scores of 500 samples stay near the README's 10,000-sample ones
 * (FID on fewer samples is biased upwards: the bound is [0.8, 1.5] times the README's FID, and
 * coverage within 0.1).
 */
class PretrainedRunTest {

  @TempDir Path outDir;

  /**
   * Section, pretrained model, the name its scores go under, the README's FID-FMNIST and coverage
   * (10,000 samples), and the figures drawn only on request or without --quick (diffusion's
   * 3,999-step DDPM grid and Figure 17-20) or only after training (the replay exercise's run
   * without replay, whose generator is not committed).
   */
  static Stream<Arguments> pretrainedSections() {
    return Stream.of(
        Arguments.of(Section.VAE, "variational_ae", "vae", 71.7, 0.947, List.of()),
        Arguments.of(Section.GAN, "gan_generator", "gan", 57.1, 0.748, List.of()),
        Arguments.of(Section.DCGAN, "dcgan_generator", "dcgan", 25.0, 0.977, List.of()),
        Arguments.of(Section.CGAN, "cgan_generator", "cgan", 10.7, 0.995, List.of()),
        Arguments.of(
            Section.DCGAN_REPLAY,
            "dcgan_replay_on_generator",
            "dcgan_replay_on",
            33.8,
            0.974,
            List.of("dcgan_replay_off_generated_images_plot")),
        Arguments.of(
            Section.PROGAN,
            "progan_generator",
            "progan",
            18.2,
            0.983,
            List.of("progan_growth_plot")),
        Arguments.of(
            Section.STYLEGAN,
            "stylegan_generator",
            "stylegan",
            30.1,
            0.964,
            List.of("stylegan_growth_plot")),
        Arguments.of(
            Section.DIFFUSION,
            "diffusion_model",
            "diffusion_ddim",
            21.5,
            0.985,
            List.of("ddpm_generated_images_plot", "diffusion_processes_plot")),
        Arguments.of(
            Section.LATENT_DIFFUSION,
            "latent_diffusion",
            "latent_diffusion_w3",
            8.6,
            0.9989,
            List.of()));
  }

  @ParameterizedTest
  @MethodSource("pretrainedSections")
  void drawsTheFiguresAndScoresNearTheReadme(
      Section section,
      String model,
      String name,
      double fid,
      double coverage,
      List<String> onRequest)
      throws IOException {
    assumeTrue(Files.isDirectory(Path.of("savedmodels", "evaluator")), "no evaluator");
    assertTrue(
        Files.isDirectory(Pretrained.dir(section.id(), model)),
        "no pretrained model in " + Pretrained.dir(section.id(), model));
    long start = cpuNanos();

    RunReport report = section.run(RunConfig.smoke(outDir).withPretrained());

    double seconds = (cpuNanos() - start) / 1e9;
    for (String id : section.figureIds()) {
      assertEquals(
          !onRequest.contains(id),
          Files.isRegularFile(outDir.resolve(id + ".png")),
          id + ".png written (drawn on request only: " + onRequest + ")");
    }
    double sampleFid = report.measures().get(name + " FID-FMNIST");
    assertTrue(sampleFid > 0.8 * fid && sampleFid < 1.5 * fid, "FID " + sampleFid + " vs " + fid);
    double sampleCoverage = report.measures().get(name + " coverage");
    assertEquals(coverage, sampleCoverage, 0.1, "coverage");
    assertTrue(seconds < CPU_SECONDS, "took " + seconds + " s of CPU time");
  }

  /**
   * A pretrained run draws its figures in seconds: at most 90 s of CPU time, the process's (so the
   * TensorFlow threads count), which other jobs on a shared machine do not inflate as they do the
   * wall time. Measured 2026-12-06 on two cores of an AMD EPYC without AVX-512: 1 to 5 s for the
   * autoencoders, the VAE and the GANs, 46 s for latent diffusion, 66 s for the pixel DDPM.
   */
  private static final double CPU_SECONDS = 90;

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The autoencoders have no sample scores: their weights go into the model the section builds. */
  @ParameterizedTest
  @EnumSource(
      value = Section.class,
      names = {"STACKED", "DENOISING", "SPARSE"})
  void theAutoencodersDrawTheirFiguresFromTheCommittedWeights(Section section) {
    long start = cpuNanos();

    RunReport report = section.run(RunConfig.smoke(outDir).withPretrained());

    for (String id : section.figureIds()) {
      assertTrue(Files.isRegularFile(outDir.resolve(id + ".png")), id + ".png written");
    }
    report
        .histories()
        .forEach(
            (model, history) ->
                assertEquals(Pretrained.history(section.id(), model).size(), history.size()));
    double seconds = (cpuNanos() - start) / 1e9;
    assertTrue(seconds < CPU_SECONDS, "took " + seconds + " s of CPU time");
  }

  @Test
  void aMissingPretrainedModelIsAnErrorThatSaysHowToMakeIt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Pretrained.generator("nosuch", "m", 3));

    assertTrue(
        e.getMessage().startsWith("no pretrained model 'm' of section nosuch in "), e.getMessage());
    assertTrue(e.getMessage().contains("export nosuch --resume --epochs N --to-pretrained"));
  }

  @Test
  void anUnconditionalGeneratorIsNotTakenForTheConditionalGans() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                GanResults.pretrainedConditional(
                    RunConfig.smoke(outDir).outputs(),
                    "dcgan",
                    "dcgan_generator",
                    "cgan",
                    100,
                    10,
                    8));

    assertTrue(
        e.getMessage()
            .startsWith(
                "the pretrained model in savedmodels/pretrained/dcgan/dcgan_generator is not a"
                    + " conditional generator of 10 classes"),
        e.getMessage());
  }

  @Test
  void aGeneratorIsNotTakenForTheDiffusionSectionsDenoiser() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Pretrained.denoiser("dcgan", "dcgan_generator").close());

    assertTrue(e.getMessage().contains("denoiser"), e.getMessage());
    assertTrue(e.getMessage().contains("dcgan_generator"), e.getMessage());
  }

  @Test
  void aPretrainedModelOfAnotherArchitectureIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Pretrained.generator("gan", "gan_generator", 64));

    assertEquals(
        "the pretrained model in savedmodels/pretrained/gan/gan_generator takes 30 codings but"
            + " section gan's generator takes 64: it was exported from a different architecture;"
            + " export it again with: export gan --to-pretrained",
        e.getMessage());
  }

  /**
   * The budgets: every committed model within 25 MiB in all (the autoencoders the notebooks load
   * included), every README figure ≤ 150 KB.
   */
  @Test
  void theCommittedModelsAndFiguresStayWithinTheirBudgets() throws IOException {
    long total;
    try (Stream<Path> files = Files.walk(Path.of("savedmodels", "pretrained"))) {
      total = files.filter(Files::isRegularFile).mapToLong(PretrainedRunTest::size).sum();
    }
    assertTrue(
        total <= 25 * 1024 * 1024, "savedmodels/pretrained holds " + total + " bytes, over 25 MiB");
    try (Stream<Path> figures = Files.list(Path.of("docs", "figures"))) {
      for (Path figure : figures.toList()) {
        long bytes = size(figure);
        assertTrue(bytes <= 150_000, figure + ": " + bytes + " bytes");
      }
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
