package io.github.homl.diffusion;

import io.github.homl.data.Images;
import io.github.homl.evaluation.Outputs;
import io.github.homl.figures.Figures;
import io.github.homl.figures.ImageGrid;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Figure 17-20, the forward and the reverse process, drawn from real images and a denoiser: the
 * first rows show test images noised by the forward process, {@code x_t = √ᾱ_t·x_0 + √(1 − ᾱ_t)·ε},
 * at the columns' time steps; the last rows show the book's DDPM reverse process ({@link
 * HostSampler#ddpm}) from pure noise, each image x_t taken at the same time steps. Columns run from
 * t = 0 (left) to t = T − 1 (right), so the forward process reads left to right and the reverse
 * process right to left, as the book's arrows go. Each image is scaled on its own, as imshow does.
 */
public final class ProcessesPlot {

  private ProcessesPlot() {}

  /**
   * Draws the figure for the first two of {@code xTest} ({@code [n, 28, 28]} in [−1, 1]) and two
   * reverse trajectories (noise from {@code Random(seeds.figures())}), saved as {@code
   * diffusion_processes_plot.png}.
   */
  public static Path save(
      Outputs out, HostSampler.Denoiser denoiser, Schedule schedule, Images xTest) {
    System.out.printf(
        "Figure 17-20: the forward process, and the reverse process in %d steps%n",
        schedule.T() - 1);
    BufferedImage figure =
        plot(denoiser, schedule, xTest.take(2), 2, out.seeds().figures(), System.out);
    return Figures.saveFig(figure, out.dir(), "diffusion_processes_plot");
  }

  /** The time steps shown: 0, then about T/16, T/8, T/4, T/2, 3T/4, and T − 1. */
  public static int[] times(int T) {
    return new int[] {0, T / 16, T / 8, T / 4, T / 2, 3 * T / 4, T - 1};
  }

  /**
   * The figure for {@code real} ({@code [k, h, w]} in [−1, 1], one forward row each) and {@code
   * reverse} reverse trajectories of {@code denoiser}; noise from {@code Random(seed)}; the reverse
   * process prints progress to {@code progress} (null: silent).
   */
  public static BufferedImage plot(
      HostSampler.Denoiser denoiser,
      Schedule schedule,
      Images real,
      int reverse,
      long seed,
      PrintStream progress) {
    int[] times = times(schedule.T());
    int size = real.pixelsPerImage();
    Random random = new Random(seed);
    List<Images> rows = new ArrayList<>();
    for (int i = 0; i < real.count(); i++) {
      float[] x0 = real.image(i);
      float[] row = new float[times.length * size];
      for (int c = 0; c < times.length; c++) {
        float a = schedule.alphaCumprod()[times[c]];
        float signal = (float) Math.sqrt(a);
        float noise = (float) Math.sqrt(1 - a);
        for (int p = 0; p < size; p++) {
          row[c * size + p] = signal * x0[p] + noise * (float) random.nextGaussian();
        }
      }
      rows.add(new Images(row, times.length, real.height(), real.width()));
    }
    float[][] trajectory = new float[reverse][times.length * size];
    HostSampler.Noise drawn = HostSampler.Noise.from(random, reverse * size);
    HostSampler.Noise noise =
        index -> {
          float[] slab = drawn.slab(index);
          if (index == 0) { // x_{T−1}: the book's loop starts from pure noise at t = T − 1
            keep(trajectory, times, schedule.T() - 1, slab, size);
          }
          return slab;
        };
    new HostSampler(denoiser, schedule, reverse, progress)
        .ddpm(noise, (t, x) -> keep(trajectory, times, t, x, size));
    for (float[] row : trajectory) {
      rows.add(new Images(row, times.length, real.height(), real.width()));
    }
    return ImageGrid.plotRows(rows);
  }

  /** Copies each image of {@code x} (x_t) into its trajectory if t is one of the columns. */
  private static void keep(float[][] trajectory, int[] times, int t, float[] x, int size) {
    int column = Arrays.binarySearch(times, t);
    if (column >= 0) {
      for (int k = 0; k < trajectory.length; k++) {
        System.arraycopy(x, k * size, trajectory[k], column * size, size);
      }
    }
  }
}
