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
import java.util.function.IntFunction;

/**
 * What the diffusion section ends with, from the U-Net it just trained (its moving average) or from
 * its pretrained denoiser ({@code run diffusion --pretrained}): the DDIM grid, Figure 17-20, and
 * the scores of fresh DDIM samples. One path for both: each is a {@link HostSampler.Denoiser},
 * sampled on the host one call per step.
 */
public final class DiffusionResults {

  private DiffusionResults() {}

  /**
   * {@code ddim_generated_images_plot.png} (32 images, 4×8, in {@code ddimSteps} steps from noise
   * drawn with {@code Random(seeds.figures())}, each image scaled on its own as the notebook's
   * imshow does) and Figure 17-20 on the first two of {@code xTest} ({@code null} leaves it out),
   * added to {@code figures}; then the scores of fresh DDIM samples (noise from {@code
   * Random(seeds.scoring())}) saved as {@code <name>_scores.json} and returned.
   *
   * @param shape the denoiser's image shape {@code [h, w, c]}
   */
  public static Map<String, Double> draw(
      Outputs out,
      String name,
      HostSampler.Denoiser denoiser,
      int[] shape,
      Schedule schedule,
      int ddimSteps,
      Images xTest,
      List<Path> figures) {
    Images grid =
        HostSampler.images(
            denoiser,
            schedule,
            32,
            shape[0],
            shape[1],
            new Random(out.seeds().figures()),
            System.out,
            (host, noise) -> host.ddim(ddimSteps, noise));
    figures.add(Figures.saveImages(grid, 8, out.dir(), "ddim_generated_images_plot"));
    if (xTest == null) {
      System.out.println("Figure 17-20 (diffusion_processes_plot) is drawn without --quick");
    } else {
      figures.add(ProcessesPlot.save(out, denoiser, schedule, xTest));
    }
    return score(out, name, denoiser, shape, schedule, ddimSteps);
  }

  /**
   * The scores of fresh DDIM samples of {@code denoiser} ({@code ddimSteps} steps, noise from
   * {@code Random(seeds.scoring())}), saved as {@code <name>_scores.json}.
   */
  public static Map<String, Double> score(
      Outputs out,
      String name,
      HostSampler.Denoiser denoiser,
      int[] shape,
      Schedule schedule,
      int ddimSteps) {
    Random noise = new Random(out.seeds().scoring());
    IntFunction<Images> samples =
        n ->
            PixelRange.SYMMETRIC.toUnit(
                HostSampler.images(
                    denoiser,
                    schedule,
                    n,
                    shape[0],
                    shape[1],
                    noise,
                    null,
                    (host, z) -> host.ddim(ddimSteps, z)));
    return out.scores().score(name, samples);
  }

  /**
   * {@link #draw} from section {@code section}'s pretrained denoiser {@code model}, with the
   * history it was trained with, and the command that draws the book's DDPM grid on request.
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
      List<Path> written = new ArrayList<>(figures);
      Map<String, Double> scores =
          draw(
              out,
              name,
              denoiser::predictNoise,
              denoiser.imageShape(),
              schedule,
              ddimSteps,
              xTest,
              written);
      System.out.printf(
          Locale.ROOT,
          "the book's DDPM grid (%d denoiser calls, a few minutes on two cores): sample --model %s"
              + " --sampler ddpm --T %d --out %s%n",
          schedule.T() - 1,
          Pretrained.dir(section, model),
          schedule.T(),
          out.dir().resolve("ddpm_generated_images_plot.png"));
      return new RunReport(Map.of(model, Pretrained.history(section, model)), scores, written);
    }
  }
}
