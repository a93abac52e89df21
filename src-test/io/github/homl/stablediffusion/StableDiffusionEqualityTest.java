package io.github.homl.stablediffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.data.Npy;
import io.github.homl.data.TensorValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Java's Stable Diffusion pipeline against KerasCV's own {@code StableDiffusion.text_to_image} on
 * the same random weights, prompt and initial noise, 64×64, 50 DDIM steps, guidance 7.5. The export
 * and KerasCV's run come from {@code savedmodels/keras/export_stable_diffusion.py --random-weights
 * --reference-prompt ...}, which the Maven profile {@code stable-diffusion} runs once into {@code
 * target/stable-diffusion/} ({@code mvn test -Pstable-diffusion
 * -Dtest=StableDiffusionEqualityTest}); without the profile (as in the default CI) the test is
 * skipped.
 *
 * <p>Tolerance: the two sides run the same graphs on the same values, but not bit for bit: KerasCV
 * computes the timestep embedding with TensorFlow's float32 {@code sin} and {@code cos} and Java
 * with {@code Math}'s (up to 6e-5 apart at t = 999, see {@link DdimTest}), and oneDNN may pick
 * other kernels for the saved graph than for Keras's calls. Measured, the final latents then differ
 * by 1e-6 of their largest magnitude and the uint8 images not at all. The test asks for latents
 * within 1e-4 of their largest magnitude (100 times the measured difference) and images within one
 * uint8 level at every pixel and 0.01 level on average (a latent that close can still move a pixel
 * across a rounding boundary): a wrong timestep, table entry, embedding, guidance or token changes
 * an input of the U-Net far beyond rounding.
 */
class StableDiffusionEqualityTest {

  private static final String PROPERTY = "homl.stableDiffusion";

  @Test
  void javaDrawsKerasCvsImageFromTheSameWeightsPromptAndNoise() throws IOException {
    String dir = System.getProperty(PROPERTY);
    Assumptions.assumeTrue(
        dir != null, "-D" + PROPERTY + "=DIR not set: run with the Maven profile stable-diffusion");
    Path export = Path.of(dir, "random");
    Path reference = Path.of(dir, "reference");
    String prompt = Files.readString(reference.resolve("prompt.txt"));
    float[] noise = Npy.read(reference.resolve("noise.npy")).floats();
    TensorValue expectedImage = Npy.read(reference.resolve("image.npy"));
    float[] expectedLatent = Npy.read(reference.resolve("latent.npy")).floats();
    int size = (int) expectedImage.shape()[1];

    StableDiffusion.Image image;
    long start = System.nanoTime();
    double[] stepSeconds = new double[1];
    try (StableDiffusion sd = StableDiffusion.open(export)) {
      image = sd.generate(prompt, size, 50, 7.5f, noise, (d, n, t, s) -> stepSeconds[0] += s);
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    double latentScale = 0;
    double latentDiff = 0;
    for (int i = 0; i < expectedLatent.length; i++) {
      latentScale = Math.max(latentScale, Math.abs(expectedLatent[i]));
      latentDiff = Math.max(latentDiff, Math.abs(expectedLatent[i] - image.latent()[i]));
    }
    int[] expected = expectedImage.ints();
    assertEquals(expected.length, image.rgb().length);
    int maxDiff = 0;
    long sumDiff = 0;
    for (int i = 0; i < expected.length; i++) {
      int d = Math.abs(expected[i] - image.rgb()[i]);
      maxDiff = Math.max(maxDiff, d);
      sumDiff += d;
    }
    double meanDiff = sumDiff / (double) expected.length;
    System.out.printf(
        "Stable Diffusion %dx%d \"%s\", Java vs KerasCV text_to_image: image max |diff| %d, mean"
            + " |diff| %.4f (uint8); latent max |diff| %.3g of max |latent| %.3g; Java %.1f s"
            + " (%.2f s per step)%n",
        size,
        size,
        prompt,
        maxDiff,
        meanDiff,
        latentDiff,
        latentScale,
        seconds,
        stepSeconds[0] / 50);
    assertTrue(latentDiff <= 1e-4 * latentScale, "latent differs by " + latentDiff);
    assertTrue(maxDiff <= 1, "a pixel differs by " + maxDiff + " levels");
    assertTrue(meanDiff <= 0.01, "pixels differ by " + meanDiff + " levels on average");
  }
}
