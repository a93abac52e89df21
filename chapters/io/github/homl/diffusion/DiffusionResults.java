package io.github.homl.diffusion;

import io.github.homl.data.Images;
import io.github.homl.evaluation.Outputs;
import io.github.homl.evaluation.PixelRange;
import io.github.homl.figures.Figures;
import io.github.homl.saving.Pretrained;
import io.github.homl.saving.SavedDenoiser;
import io.github.homl.training.RunReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

/**
 * What the diffusion section ends with when it draws from its pretrained denoiser ({@code run
 * diffusion --pretrained}) instead of the U-Net it just trained: the DDIM grid at once, the scores
 * of fresh DDIM samples, and the command that draws the book's 3,999-step DDPM grid on request.
 * Both samplers run on the host ({@link HostSampler}), one SavedModel call per step.
 */
public final class DiffusionResults {

  private DiffusionResults() {}

  /**
   * The figures and scores of section {@code section}'s pretrained denoiser {@code model}: {@code
   * ddim_generated_images_plot.png} (32 images, 4×8, in {@code ddimSteps} steps from noise drawn
   * with {@code Random(seeds.figures())}, each image scaled on its own as the notebook's imshow
   * does), added to {@code figures}; Figure 17-20 on the first two of {@code xTest} ({@code null}
   * leaves it out: 3,999 SavedModel calls, about a minute); and the scores of fresh DDIM samples
   * (noise from {@code Random(seeds.scoring())}) saved as {@code <name>_scores.json}.
   *
   * @throws IllegalArgumentException when the model is missing, is not the section's, or was
   *     trained with a T below the schedule's (its time encoding has fewer rows)
   */
  public static RunReport pretrained(
      Outputs out,
      String section,
      String model,
      String name,
      Schedule schedule,
      int ddimSteps,
      Images xTest,
      List<Path> figures) {
    try (SavedDenoiser denoiser = Pretrained.denoiser(section, model)) {
      Path dir = Pretrained.dir(section, model);
      int[] shape = denoiser.imageShape(); // [h, w, c]
      List<Path> written = new ArrayList<>(figures);
      BiFunction<HostSampler, HostSampler.Noise, float[]> ddim =
          (host, noise) -> host.ddim(ddimSteps, noise);
      Images grid =
          HostSampler.images(
              denoiser::predictNoise,
              schedule,
              32,
              shape[0],
              shape[1],
              new Random(out.seeds().figures()),
              System.out,
              ddim);
      written.add(Figures.saveImages(grid, 8, out.dir(), "ddim_generated_images_plot"));
      if (xTest == null) {
        System.out.println("Figure 17-20 (diffusion_processes_plot) is drawn without --quick");
      } else {
        written.add(ProcessesPlot.save(out, denoiser::predictNoise, schedule, xTest));
      }
      System.out.printf(
          Locale.ROOT,
          "the book's DDPM grid (%d denoiser calls, a few minutes on two cores): sample --model %s"
              + " --sampler ddpm --T %d --out %s%n",
          schedule.T() - 1,
          dir,
          schedule.T(),
          out.dir().resolve("ddpm_generated_images_plot.png"));
      Random noise = new Random(out.seeds().scoring());
      IntFunction<Images> samples =
          n ->
              PixelRange.SYMMETRIC.toUnit(
                  HostSampler.images(
                      denoiser::predictNoise, schedule, n, shape[0], shape[1], noise, null, ddim));
      Map<String, Double> scores = out.scores().score(name, samples);
      return new RunReport(Map.of(model, Pretrained.history(section, model)), scores, written);
    }
  }
}
