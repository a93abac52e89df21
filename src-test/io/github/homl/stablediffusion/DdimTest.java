package io.github.homl.stablediffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.diffusion.HostStep;
import io.github.homl.diffusion.ReverseStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link Ddim} against KerasCV's own {@code generate_image} timesteps and {@code
 * _get_timestep_embedding}, written into {@code ddim_cases.txt} by {@code
 * savedmodels/keras/make_clip_tokenizer_cases.py}.
 */
class DdimTest {

  private static final Path CASES =
      Path.of("src-test/io/github/homl/stablediffusion/ddim_cases.txt");

  @Test
  void timestepsAndEmbeddingsAreKerasCvs() throws IOException {
    int checked = 0;
    double worst = 0;
    for (String line : Files.readAllLines(CASES)) {
      String[] head = line.substring(0, line.indexOf(':')).split(" ");
      double[] values =
          Arrays.stream(line.substring(line.indexOf(':') + 2).split(" "))
              .mapToDouble(Double::parseDouble)
              .toArray();
      int n = Integer.parseInt(head[1]);
      if (head[0].equals("timesteps")) {
        assertArrayEquals(
            Arrays.stream(values).mapToInt(v -> (int) v).toArray(), Ddim.timesteps(n), line);
      } else {
        float[] embedding = Ddim.timestepEmbedding(n);
        assertEquals(Ddim.EMBEDDING_DIM, values.length);
        for (int i = 0; i < values.length; i++) {
          worst = Math.max(worst, Math.abs(values[i] - embedding[i]));
        }
      }
      checked++;
    }
    assertEquals(14, checked);
    // TensorFlow's float32 exp/sin/cos against Math's, rounded to float32: a few ulps of the
    // arguments up to 999 (ulp(999f) = 6e-5), far below the U-Net's sensitivity
    assertTrue(worst < 1e-4, "embedding differs from KerasCV's by " + worst);
    System.out.printf("Ddim: timestep embedding max |diff| from KerasCV's %.3g%n", worst);
  }

  @Test
  void alphaBarIsKerasCvsTableAndTheStepInvertsTheForwardProcess() {
    assertEquals(0.99915, Ddim.alphaBar(0));
    assertEquals(0.0046601, Ddim.alphaBar(999), 1e-7);
    for (int t = 1; t < Ddim.TRAINING_STEPS; t++) {
      assertTrue(Ddim.alphaBar(t) < Ddim.alphaBar(t - 1), "alpha-bar must fall at t=" + t);
    }
    // x_t = sqrt(a) x0 + sqrt(1 - a) eps; a DDIM step to alpha_prev = 1 with the true eps gives x0
    float[] x0 = {0.5f, -1.25f, 2f};
    float[] eps = {0.3f, 0.7f, -1.1f};
    double a = Ddim.alphaBar(500);
    float[] latent = new float[3];
    for (int i = 0; i < 3; i++) {
      latent[i] = (float) (Math.sqrt(a) * x0[i] + Math.sqrt(1 - a) * eps[i]);
    }
    try (HostStep ddim = new HostStep(ReverseStep.NO_CLIP)) {
      assertArrayEquals(x0, ddim.ddim(latent, eps, a, 1.0), 1e-5f);
    }
  }
}
