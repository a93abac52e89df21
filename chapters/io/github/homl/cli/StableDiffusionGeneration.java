package io.github.homl.cli;

import io.github.homl.data.Npy;
import io.github.homl.data.TensorValue;
import io.github.homl.stablediffusion.ClipTokenizer;
import io.github.homl.stablediffusion.StableDiffusion;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code generate --model DIR --prompt TEXT} on an export of {@code
 * savedmodels/keras/export_stable_diffusion.py} (a folder with {@code stable_diffusion.json}):
 * KerasCV's Stable Diffusion text-to-image ({@link StableDiffusion}) with {@code --size} (a
 * multiple of 64, default 512), {@code --steps} (50), {@code --guidance} (7.5) and the initial
 * latent noise from {@code --seed} or, to reproduce a KerasCV run, from {@code --noise FILE.npy}.
 * Prints one line per DDIM step with its time, and writes the RGB image as a PNG.
 */
final class StableDiffusionGeneration {

  static final int DEFAULT_SIZE = 512;
  static final float DEFAULT_GUIDANCE = 7.5f;

  private StableDiffusionGeneration() {}

  static void run(
      Path dir,
      String prompt,
      Integer size,
      Integer steps,
      Float guidance,
      long seed,
      Path noiseFile,
      Path out)
      throws IOException {
    int s = size != null ? size : DEFAULT_SIZE;
    StableDiffusion.checkSize(s);
    int n = steps != null ? steps : 50;
    float w = guidance != null ? guidance : DEFAULT_GUIDANCE;
    float[] noise = noiseFile != null ? readNoise(noiseFile, s) : StableDiffusion.noise(s, seed);
    long start = System.nanoTime();
    long[] cpu = {processCpuNanos()};
    StableDiffusion.Image image;
    if (StableDiffusion.isExport(dir)) { // a prompt too long fails here, before the models load
      ClipTokenizer.load(dir.resolve(ClipTokenizer.VOCAB_FILE)).tokens(prompt);
    }
    try (StableDiffusion sd = StableDiffusion.open(dir)) {
      System.out.printf("Loaded %s in %.1f s%n", dir, (System.nanoTime() - start) / 1e9);
      image =
          sd.generate(
              prompt,
              s,
              n,
              w,
              noise,
              (done, total, t, seconds) -> {
                long now = processCpuNanos();
                System.out.printf(
                    "step %d/%d (t=%d): %.2f s (%.2f s of CPU)%n",
                    done, total, t, seconds, (now - cpu[0]) / 1e9);
                cpu[0] = now;
              });
    }
    ImageOutput.writePng(out, toImage(image));
    System.out.printf(
        "Saved %s: %dx%d for \"%s\", %d steps, guidance %s, noise %s, in %.1f s%n",
        out,
        s,
        s,
        prompt,
        n,
        w,
        noiseFile != null ? "from " + noiseFile : "from seed " + seed,
        (System.nanoTime() - start) / 1e9);
  }

  /**
   * CPU time of the whole process, all threads (TensorFlow's too): wall time on a busy machine
   * misleads.
   */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static BufferedImage toImage(StableDiffusion.Image image) {
    BufferedImage png =
        new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
    int[] rgb = image.rgb();
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        int i = 3 * (y * image.width() + x);
        png.setRGB(x, y, (rgb[i] << 16) | (rgb[i + 1] << 8) | rgb[i + 2]);
      }
    }
    return png;
  }

  private static float[] readNoise(Path file, int size) {
    TensorValue noise = Npy.read(file);
    long[] expected = {1, size / 8, size / 8, 4};
    if (noise.dtype() != TensorValue.DType.FLOAT32 || !Arrays.equals(noise.shape(), expected)) {
      throw new IllegalArgumentException(
          "--noise "
              + file
              + " holds "
              + noise.dtype()
              + " "
              + Arrays.toString(noise.shape())
              + ", expected float32 "
              + Arrays.toString(expected)
              + " for --size "
              + size);
    }
    return noise.floats();
  }
}
