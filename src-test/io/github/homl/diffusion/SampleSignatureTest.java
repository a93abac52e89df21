package io.github.homl.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.homl.cli.Main;
import io.github.homl.data.TensorValue;
import io.github.homl.saving.LoadedModel;
import io.github.homl.saving.SavedDenoiser;
import io.github.homl.saving.SavedModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported diffusion model's {@code sample} signature (DDIM inside the graph, one call) gives
 * the images of the Java host sampler run on its {@code denoise} signature, for the same noise.
 */
class SampleSignatureTest {

  @TempDir Path tmp;

  @Test
  void inGraphDdimEqualsTheHostSamplerForTheSameNoise() {
    assumeTrue(
        Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            || System.getenv("FASHION_MNIST_DIR") != null,
        "Fashion-MNIST is not installed");
    Path model = tmp.resolve("unet");
    assertEquals(
        0,
        Main.execute(
            "export",
            "diffusion",
            "--quick",
            "--out",
            model.toString(),
            "--figures",
            tmp.resolve("figures").toString()));
    int n = 3;
    float[] xT = HostSampler.Noise.seeded(5, n * 28 * 28).slab(0);
    HostSampler.Noise noise = index -> xT.clone(); // DDIM reads x_T only
    for (int steps : new int[] {1, 7, 39}) {
      float[] inGraph;
      try (LoadedModel loaded = SavedModels.load(model)) {
        inGraph =
            loaded
                .call(
                    "sample",
                    Map.of(
                        "noise", TensorValue.of(xT, n, 28, 28, 1),
                        "steps", TensorValue.ofInts(new int[] {steps})))
                .get("images")
                .floats();
      }
      float[] host;
      try (SavedDenoiser denoiser = SavedDenoiser.open(model, "denoise")) {
        host =
            new HostSampler(denoiser::predictNoise, Schedule.varianceSchedule(40), n, null)
                .ddim(steps, noise);
      }
      assertArrayEquals(host, inGraph, 1e-4f, steps + " steps");
    }
  }
}
