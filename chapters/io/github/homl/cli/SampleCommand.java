package io.github.homl.cli;

import io.github.homl.data.Images;
import io.github.homl.data.Npy;
import io.github.homl.data.TensorValue;
import io.github.homl.diffusion.HostSampler;
import io.github.homl.diffusion.ReverseStep;
import io.github.homl.diffusion.Schedule;
import io.github.homl.evaluation.PixelRange;
import io.github.homl.evaluation.SampleScores;
import io.github.homl.evaluation.Sampling;
import io.github.homl.figures.ImageGrid;
import io.github.homl.saving.SavedDenoiser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sample --model DIR}: runs the reverse diffusion process with any denoiser SavedModel
 * (exported by Java, by tf_keras as {@code savedmodels/keras/train.py diffusion}, or by Keras 3's
 * {@code model.export}) and writes the images as a grid, as the notebook's {@code
 * ddpm_generated_images_plot}; optionally also the samples as {@code .npy} for {@code evaluate}.
 *
 * <p>{@code --sampler ddpm} is the book's reverse process (T − 1 denoiser calls), {@code ddim} DDIM
 * in {@code --steps} calls, deterministic unless {@code --eta} gives its steps fresh noise, both
 * with the book's cosine schedule for {@code --T} (4000), or the original DDPM's linear one ({@code
 * --schedule linear}, T = 1000). The image shape and the time input's dtype are read from the
 * signature. The noise is drawn with {@code --seed}, or read from {@code --noise FILE.npy} (float32
 * {@code [k, n, h, w, c]}: x_T, then the z of each DDPM step, as {@code
 * savedmodels/keras/samplers.py} lays it out). More than 500 seeded images (10,000 for {@code
 * evaluate}) are drawn 500 at a time with progress, and the grid shows the first {@value
 * #GRID_MAX}. Nothing is written unless sampling finished.
 */
@Command(
    name = "sample",
    description =
        "Sample images with a denoiser SavedModel (Java or "
            + "Keras): DDPM (the book) or DDIM, and write an image grid.")
final class SampleCommand implements Callable<Integer> {

  private static final int GRID_MAX = 64;

  @Mixin ModelDirectory model;

  @Mixin GridOptions layout;

  @Option(
      names = "--signature",
      paramLabel = "KEY",
      description = "signature to run (default: serving_default, else the only denoiser one)")
  String signature;

  @Option(
      names = "--sampler",
      defaultValue = "ddpm",
      paramLabel = "ddpm|ddim",
      description =
          "ddpm (the book's reverse process, T - 1 steps) or ddim (--steps, --eta) "
              + "(default: ${DEFAULT-VALUE})")
  String sampler;

  @Option(
      names = "--steps",
      paramLabel = "N",
      description = "DDIM steps (default: 50, at most T - 1); DDPM always runs T - 1 steps")
  Integer steps;

  @Option(
      names = "--eta",
      paramLabel = "E",
      defaultValue = "0",
      description =
          "DDIM: the share of fresh noise each step adds, 0 (deterministic) to 1 (as much as"
              + " DDPM's); on the book's model 1 scored far better (default: ${DEFAULT-VALUE})")
  double eta;

  @Option(
      names = "--schedule",
      defaultValue = "cosine",
      paramLabel = "cosine|linear",
      description =
          "the variance schedule the denoiser learned: cosine (the book's) or linear (the"
              + " original DDPM's) (default: ${DEFAULT-VALUE})")
  String scheduleName;

  @Option(
      names = "--T",
      paramLabel = "N",
      description =
          "diffusion steps of the schedule (default: the model's T, read from its time"
              + " encoding, else the schedule's book value: 4000 for cosine, 1000 for linear)")
  Integer givenT;

  private int T;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "N",
      description = "seed of the noise (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--noise",
      paramLabel = "FILE.npy",
      description =
          "the noise instead of --seed: float32 [k, n, h, w, c], x_T then the z of each"
              + " step (k >= T - 1 for ddpm, >= 1 for ddim, >= steps for ddim with --eta)")
  Path noiseFile;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description =
          "the PNG to write (default: images/generative/<sampler>_generated_images_" + "plot.png)")
  Path out;

  @Option(
      names = "--samples",
      paramLabel = "FILE.npy",
      description =
          "also write the images as float32 [n, h, w] in [0, 1] ((x + 1) / 2), for " + "evaluate")
  Path samples;

  @Override
  public Integer call() throws IOException {
    String kind = sampler.toLowerCase(Locale.ROOT);
    Schedule.Kind scheduleKind = Schedule.Kind.parse("--schedule", scheduleName);
    checkOptions(kind);
    Path png =
        out != null ? out : Path.of("images", "generative", kind + "_generated_images_plot.png");
    if (givenT != null && kind.equals("ddim") && steps != null) {
      ReverseStep.ddimTimes(givenT, steps); // checks --steps before the model is loaded
    }
    TensorValue noise = noiseFile == null ? null : Npy.read(noiseFile);
    try (SavedDenoiser denoiser = SavedDenoiser.open(model.dir, signature)) {
      T = givenT != null ? givenT : modelT(denoiser, scheduleKind);
      checkSteps(kind, T);
      Schedule schedule = scheduleKind.of(T);
      int ddimSteps = steps != null ? steps : Math.min(50, T - 1);
      if (kind.equals("ddim")) {
        ReverseStep.ddimTimes(T, ddimSteps);
      }
      int[] shape = denoiser.imageShape(); // [h, w, c]
      if (shape[2] != 1) {
        throw new IllegalArgumentException(
            "the denoiser's images have "
                + shape[2]
                + " channels ("
                + denoiser.signature()
                + "); the image grid draws one channel");
      }
      int count = noise != null ? checkNoise(noise, shape, kind, ddimSteps) : layout.count();
      long start = System.nanoTime();
      BiFunction<HostSampler, HostSampler.Noise, float[]> run =
          (host, slabs) ->
              kind.equals("ddpm") ? host.ddpm(slabs) : host.ddim(ddimSteps, eta, slabs);
      Images sampled;
      if (noise != null) {
        HostSampler host = new HostSampler(denoiser::predictNoise, schedule, count, System.out);
        float[] x = run.apply(host, slabsOf(noise, count * shape[0] * shape[1] * shape[2]));
        sampled = new Images(x, count, shape[0], shape[1]);
      } else { // more than 500 (for evaluate): 500 at a time, the noise drawn in order
        Random random = new Random(seed);
        PrintStream steps = count <= SampleScores.BATCH ? System.out : null; // else per batch
        sampled =
            Sampling.inBatches(
                count,
                SampleScores.BATCH,
                (from, to) ->
                    HostSampler.images(
                        denoiser::predictNoise,
                        schedule,
                        to - from,
                        shape[0],
                        shape[1],
                        random,
                        steps,
                        run));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Images images = PixelRange.SYMMETRIC.toUnit(sampled);
      BufferedImage grid =
          ImageGrid.plotMultipleImages(
              images.take(Math.min(count, GRID_MAX)), Math.min(layout.cols, count));
      ImageOutput.writePng(png, grid);
      System.out.printf(
          Locale.ROOT,
          "Saved %s: %d images of %dx%d, %s with %d denoiser calls "
              + "(%s schedule, T = %d, time %s) in %.1f s, from %s, noise %s%n",
          png,
          count,
          shape[0],
          shape[1],
          eta == 0 ? kind : kind + " (eta = " + eta + ")",
          kind.equals("ddpm") ? T - 1 : ddimSteps,
          scheduleKind.name().toLowerCase(Locale.ROOT),
          T,
          denoiser.timeDtype(),
          seconds,
          denoiser.signature(),
          noiseFile != null ? "from " + noiseFile : "seed " + seed);
      if (samples != null) {
        ImageOutput.writeSamples(samples, images);
      }
    }
    return 0;
  }

  /** The T the denoiser's graph tells, said, or the schedule's book value with a note. */
  private static int modelT(SavedDenoiser denoiser, Schedule.Kind schedule) {
    OptionalInt T = denoiser.timeSteps();
    if (T.isPresent()) {
      System.out.println("T = " + T.getAsInt() + ", read from the model's time encoding");
      return T.getAsInt();
    }
    System.out.println(
        "T = "
            + schedule.bookT()
            + " (the schedule's book value): the model's graph does not tell its T; give --T N");
    return schedule.bookT();
  }

  private void checkOptions(String kind) {
    if (!kind.equals("ddpm") && !kind.equals("ddim")) {
      throw new IllegalArgumentException("--sampler must be ddpm or ddim, got '" + sampler + "'");
    }
    if (!(eta >= 0 && eta <= 1)) {
      throw new IllegalArgumentException("--eta must be between 0 and 1, got " + eta);
    }
    if (eta != 0 && !kind.equals("ddim")) {
      throw new IllegalArgumentException(
          "--eta is DDIM's; DDPM's steps add their noise already (use --sampler ddim)");
    }
    if (givenT != null && givenT < 2) {
      throw new IllegalArgumentException("--T must be at least 2, got " + givenT);
    }
    if (givenT != null) {
      checkSteps(kind, givenT);
    }
    if (out != null) {
      ImageOutput.checkPng(out);
    }
    if (samples != null && !samples.getFileName().toString().endsWith(".npy")) {
      throw new IllegalArgumentException("--samples must name a .npy file, got " + samples);
    }
    layout.checkCols();
    if (layout.n != null && layout.n < 1) {
      throw new IllegalArgumentException("--n must be at least 1, got " + layout.n);
    }
    if (noiseFile != null && !Files.isRegularFile(noiseFile)) {
      throw new IllegalArgumentException("--noise " + noiseFile + ": no such file");
    }
  }

  private void checkSteps(String kind, int T) {
    if (kind.equals("ddpm") && steps != null && steps != T - 1) {
      throw new IllegalArgumentException(
          "--steps "
              + steps
              + ": DDPM runs all T - 1 = "
              + (T - 1)
              + " steps; use --sampler ddim for fewer");
    }
  }

  /** The number of images in {@code noise}, after checking its dtype, shape and slab count. */
  private int checkNoise(TensorValue noise, int[] shape, String kind, int ddimSteps) {
    long[] dims = noise.shape();
    String expected = "float32 [k, n, " + shape[0] + ", " + shape[1] + ", " + shape[2] + "]";
    if (noise.dtype() != TensorValue.DType.FLOAT32
        || dims.length != 5
        || dims[2] != shape[0]
        || dims[3] != shape[1]
        || dims[4] != shape[2]
        || dims[1] < 1) {
      throw new IllegalArgumentException(
          "--noise " + noiseFile + " holds " + noise + "; the denoiser's images need " + expected);
    }
    int needed =
        kind.equals("ddpm")
            ? HostSampler.ddpmNoiseSlabs(T)
            : HostSampler.ddimNoiseSlabs(ddimSteps, eta);
    if (dims[0] < needed) {
      throw new IllegalArgumentException(
          "--noise "
              + noiseFile
              + " holds "
              + dims[0]
              + " slabs; "
              + kind
              + " with T = "
              + T
              + " needs "
              + needed
              + (kind.equals("ddpm")
                  ? " (x_T, then z for t = T - 1 .. 2)"
                  : needed == 1 ? " (x_T)" : " (x_T, then z for each step but the last)"));
    }
    if (layout.n != null && layout.n != dims[1]) {
      throw new IllegalArgumentException(
          "--n "
              + layout.n
              + " differs from the "
              + dims[1]
              + " images of --noise "
              + noiseFile
              + " "
              + Arrays.toString(dims));
    }
    return (int) dims[1];
  }

  private static HostSampler.Noise slabsOf(TensorValue noise, int size) {
    float[] values = noise.floats();
    return index -> Arrays.copyOfRange(values, index * size, (index + 1) * size);
  }
}
