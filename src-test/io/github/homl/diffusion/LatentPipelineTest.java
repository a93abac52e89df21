package io.github.homl.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.data.Images;
import io.github.homl.layers.GraphRuns;
import io.github.homl.text.Tokenizer;
import io.github.homl.training.Workspace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The latent pipeline with small untrained networks: the in-graph sampler's rebuilt U-Net equals
 * the layers' one, guidance combines the two predictions as the formula says, sampling is
 * reproducible and depends on w, and inpainting keeps the known pixels.
 */
class LatentPipelineTest {

  private static final int T = 20;
  private static final long[] SHAPE = {7, 7, 4};
  private static final int DIM = 8;

  @Test
  void guidedPredictionFromWeightsIsUnconditionalAtW0ConditionalAtW1AndExtrapolatesBeyond() {
    try (Workspace ws = Workspace.create(42)) {
      Ops tf = ws.tf();
      LatentUnet unet = new LatentUnet(T, 7, 7, 4, DIM, 2);
      Placeholder<TFloat32> x = ws.placeholder(-1, 7, 7, 4);
      Placeholder<TFloat32> prompt = ws.placeholder(-1, Tokenizer.MAX_TOKENS, DIM);
      Placeholder<TFloat32> empty = ws.placeholder(-1, Tokenizer.MAX_TOKENS, DIM);
      Placeholder<TFloat32> w = ws.placeholder();
      Operand<TInt32> time = tf.constant(new int[] {3, 17});
      Operand<TFloat32> conditional = unet.call(unet.layers(ws.inference()), x, time, prompt);
      Operand<TFloat32> unconditional = unet.call(unet.layers(ws.inference()), x, time, empty);
      List<Operand<TFloat32>> reads = new ArrayList<>();
      unet.variables().forEach(v -> reads.add(tf.identity(v)));
      Operand<TFloat32> guided = unet.eps(tf, reads, x, time, List.of(prompt, empty, w));
      Map<Operand<?>, float[]> feeds =
          Map.of(
              x, GraphRuns.randomValues(1, 2 * 196, 0f),
              prompt, GraphRuns.randomValues(2, 2 * Tokenizer.MAX_TOKENS * DIM, 0f),
              empty, GraphRuns.randomValues(3, 2 * Tokenizer.MAX_TOKENS * DIM, 0f));
      float[] c = GraphRuns.run(ws, feeds, conditional);
      float[] u = GraphRuns.run(ws, feeds, unconditional);
      assertFalse(Arrays.equals(c, u), "the prompt changes nothing");

      for (float scale : new float[] {0, 1, 3}) {
        Map<Operand<?>, float[]> withW = new java.util.HashMap<>(feeds);
        withW.put(w, new float[] {scale});
        float[] g = GraphRuns.run(ws, withW, guided);
        for (int i = 0; i < g.length; i++) {
          assertEquals(u[i] + scale * (c[i] - u[i]), g[i], 1e-4, "w = " + scale + ", entry " + i);
        }
      }
    }
  }

  @Test
  void samplingIsReproducibleDependsOnGuidanceAndGivesImagesInTheUnitInterval() {
    try (Workspace ws = Workspace.create(42)) {
      LatentPipeline pipeline = LatentPipelines.untrained(ws);
      List<String> prompts = List.of("a photo of a bag", "a boot", "");

      Images first = pipeline.sampler().generate(prompts, 3f, 5, new Random(7));
      Images again = pipeline.sampler().generate(prompts, 3f, 5, new Random(7));
      Images unguided = pipeline.sampler().generate(prompts, 0f, 5, new Random(7));

      assertEquals(3, first.count());
      assertEquals(28, first.height());
      assertArrayEquals(first.pixels(), again.pixels(), 0f);
      assertFalse(Arrays.equals(first.pixels(), unguided.pixels()), "w changed nothing");
      for (float p : first.pixels()) {
        assertTrue(p >= 0 && p <= 1, "pixel " + p);
      }
    }
  }

  @Test
  void inpaintingKeepsTheKnownPixelsAndPaintsTheHole() {
    try (Workspace ws = Workspace.create(42)) {
      LatentPipeline pipeline = LatentPipelines.untrained(ws);
      float[] pixels = GraphRuns.randomValues(4, 2 * 784, 0f);
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = Math.abs(pixels[i]) % 1f;
      }
      Images originals = new Images(pixels, 2, 28, 28);
      float[] known = new float[784];
      for (int i = 0; i < known.length; i++) {
        int y = i / 28;
        int x = i % 28;
        known[i] = y >= 8 && y < 20 && x >= 8 && x < 20 ? 0 : 1;
      }

      Images result =
          pipeline
              .sampler()
              .inpaint(originals, known, List.of("a bag", "a coat"), 3f, 5, new Random(1));

      int changed = 0;
      for (int i = 0; i < pixels.length; i++) {
        if (known[i % 784] == 1) {
          assertEquals(pixels[i], result.pixels()[i], 0f, "known pixel " + i);
        } else if (pixels[i] != result.pixels()[i]) {
          changed++;
        }
      }
      assertTrue(changed > 2 * 144 * 0.9, "only " + changed + " of the hole's pixels were painted");
    }
  }
}
