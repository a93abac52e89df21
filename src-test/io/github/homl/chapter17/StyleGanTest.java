package io.github.homl.chapter17;

import static io.github.homl.chapter17.ProgressiveGanTest.constant;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.homl.config.RunConfig;
import io.github.homl.gan.StyleGanGenerator;
import io.github.homl.gan.StyleGanGenerator.Noise;
import io.github.homl.gan.StyleGanLayers.AdaIn;
import io.github.homl.gan.StyleGanLayers.NoiseScale;
import io.github.homl.layers.GraphRuns;
import io.github.homl.layers.UpSampling2D;
import io.github.homl.training.Feeds;
import io.github.homl.training.GradientUpdate;
import io.github.homl.training.History;
import io.github.homl.training.RunReport;
import io.github.homl.training.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class StyleGanTest {

  private static final int[] TINY = {4, 3, 2};
  private static final int W_SIZE = 8;

  @TempDir Path outDir;

  @Test
  void mixingACodeWithItselfEqualsNoMixing() {
    try (Workspace ws = Workspace.create(42)) {
      Ops tf = ws.tf();
      StyleGanGenerator generator = new StyleGanGenerator(W_SIZE, TINY);
      Operand<TFloat32> z = codes(tf, 1);
      List<Operand<TFloat32>> fetches =
          List.of(
              generator.call(ws.inference(), z, Noise.FIXED),
              generator.mix(ws.inference(), z, z, 2, Noise.FIXED),
              generator.mix(ws.inference(), z, z, 4, Noise.FIXED));
      randomizeNoiseScales(ws, generator); // so that a change of noise would show

      List<float[]> out = GraphRuns.run(ws, Map.of(), fetches);

      assertArrayEquals(out.get(0), out.get(1), 1e-6f, "crossover 2");
      assertArrayEquals(out.get(0), out.get(2), 1e-6f, "crossover 4");
    }
  }

  @Test
  void mixingTakesEveryStyleFromTheSecondCodeAtCrossoverZeroAndFromBothInBetween() {
    try (Workspace ws = Workspace.create(42)) {
      Ops tf = ws.tf();
      StyleGanGenerator generator = new StyleGanGenerator(W_SIZE, TINY);
      Operand<TFloat32> z1 = codes(tf, 1);
      Operand<TFloat32> z2 = codes(tf, 2);
      List<float[]> out =
          GraphRuns.run(
              ws,
              Map.of(),
              List.of(
                  generator.call(ws.inference(), z1, Noise.FIXED),
                  generator.call(ws.inference(), z2, Noise.FIXED),
                  generator.mix(ws.inference(), z1, z2, 0, Noise.FIXED),
                  generator.mix(
                      ws.inference(), z1, z2, StyleGanGenerator.STYLE_LAYERS, Noise.FIXED),
                  generator.mix(ws.inference(), z1, z2, 2, Noise.FIXED)));

      assertArrayEquals(out.get(1), out.get(2), 1e-6f, "crossover 0 is all z2");
      assertArrayEquals(out.get(0), out.get(3), 1e-6f, "crossover past the end is all z1");
      assertFalse(Arrays.equals(out.get(0), out.get(4)), "a real mix equals z1");
      assertFalse(Arrays.equals(out.get(1), out.get(4)), "a real mix equals z2");
    }
  }

  @Test
  void synthesisFadesInEachLevelAsProGanDoes() {
    try (Workspace ws = Workspace.create(42)) {
      Ops tf = ws.tf();
      StyleGanGenerator generator = new StyleGanGenerator(W_SIZE, TINY);
      Operand<TFloat32> z = codes(tf, 1);
      List<Operand<TFloat32>> styles =
          Collections.nCopies(StyleGanGenerator.STYLE_LAYERS, generator.mapping(ws.inference(), z));
      for (int stage = 1; stage <= 2; stage++) {
        List<Operand<TFloat32>> fetches =
            List.of(
                generator.synthesis(ws.inference(), styles, Noise.FIXED, stage, tf.constant(0f)),
                new UpSampling2D(2)
                    .apply(
                        ws.inference(),
                        generator.synthesis(ws.inference(), styles, Noise.FIXED, stage - 1, null)),
                generator.synthesis(ws.inference(), styles, Noise.FIXED, stage, tf.constant(1f)),
                generator.synthesis(ws.inference(), styles, Noise.FIXED, stage, null));
        randomizeNoiseScales(ws, generator); // so that the noise maps count too
        List<float[]> out = GraphRuns.run(ws, Map.of(), fetches);

        assertEquals(3 * (7 << stage) * (7 << stage), out.get(0).length, "size at " + stage);
        assertArrayEquals(out.get(1), out.get(0), 1e-5f, "alpha 0, stage " + stage);
        assertArrayEquals(out.get(3), out.get(2), 1e-5f, "alpha 1, stage " + stage);
        assertFalse(Arrays.equals(out.get(1), out.get(3)), "old and new paths agree");
      }
    }
  }

  @Test
  void eachStageTrainsTheMappingTheConstantAndItsLevelsOnly() {
    try (Workspace ws = Workspace.create(42)) {
      Ops tf = ws.tf();
      StyleGanGenerator generator = new StyleGanGenerator(W_SIZE, TINY);
      Operand<TFloat32> z = codes(tf, 1);
      for (int stage = 0; stage < generator.stages(); stage++) {
        generator.mixRandomly(ws.training(), z, z, 3, 0.9f, stage, tf.constant(0.5f));
      }
      List<Variable<TFloat32>> atStage0 = generator.trainableVariables(0);
      List<Variable<TFloat32>> atStage1 = generator.trainableVariables(1);
      List<Variable<TFloat32>> all = generator.trainableVariables();

      assertTrue(atStage0.containsAll(generator.mappingVariables()));
      assertTrue(atStage1.containsAll(atStage0), "stage 1 keeps training stage 0's variables");
      assertTrue(atStage1.size() > atStage0.size());
      assertTrue(all.containsAll(generator.mappingVariables()));
      assertEquals(
          all.size(),
          generator.trainableVariables(2).size() - 2,
          "the full path drops the 14×14 toRGB (kernel and bias) that only the fade-in uses");
    }
  }

  @Test
  void adaInStandardizesEachFeatureMapThenAppliesTheStyleScaleAndBias() {
    int h = 3;
    int w = 3;
    int c = 2;
    try (Workspace ws = Workspace.create(42)) {
      Ops tf = ws.tf();
      AdaIn adaIn = new AdaIn(c);
      Operand<TFloat32> x = constant(tf, GraphRuns.randomValues(3, 2 * h * w * c, 0f), 2, h, w, c);
      Operand<TFloat32> style = constant(tf, GraphRuns.randomValues(4, 2 * 5, 0f), 2, 5);
      Operand<TFloat32> y = adaIn.apply(ws.inference(), x, style);
      // A_s(w) = 1 (zero kernel, bias 1), A_b(w) = [0.5, -2]: ys = 2, yb = [0.5, -2]
      List<Variable<TFloat32>> v = adaIn.trainableVariables();
      assign(ws, v.get(0), new float[5 * c]);
      assign(ws, v.get(1), new float[] {1f, 1f});
      assign(ws, v.get(2), new float[5 * c]);
      assign(ws, v.get(3), new float[] {0.5f, -2f});

      float[] out = GraphRuns.run(ws, Map.of(), y);

      float[] yb = {0.5f, -2f};
      for (int b = 0; b < 2; b++) {
        for (int k = 0; k < c; k++) {
          double mean = 0;
          double meanSquare = 0;
          for (int p = 0; p < h * w; p++) {
            double value = out[(b * h * w + p) * c + k];
            mean += value / (h * w);
            meanSquare += value * value / (h * w);
          }
          assertEquals(yb[k], mean, 1e-5, "mean of map " + k + " of image " + b);
          assertEquals(2.0, Math.sqrt(meanSquare - mean * mean), 1e-4, "std of map " + k);
        }
      }
    }
  }

  @Test
  void noiseIsOneMapScaledByLearnedPerChannelFactorsStartingAtZero() {
    try (Workspace ws = Workspace.create(42)) {
      Ops tf = ws.tf();
      NoiseScale scale = new NoiseScale(3);
      float[] map = GraphRuns.randomValues(5, 2 * 2 * 2, 0.1f);
      Operand<TFloat32> y = scale.apply(ws.inference(), constant(tf, map, 2, 2, 2, 1));

      float[] atStart = GraphRuns.run(ws, Map.of(), y);
      assign(ws, scale.trainableVariables().get(0), new float[] {1f, -2f, 0.5f});
      float[] scaled = GraphRuns.run(ws, Map.of(), y);

      assertArrayEquals(new float[2 * 2 * 2 * 3], atStart, 0f);
      float[] factors = {1f, -2f, 0.5f};
      for (int p = 0; p < map.length; p++) {
        for (int k = 0; k < 3; k++) {
          assertEquals(map[p] * factors[k], scaled[p * 3 + k], 1e-6);
        }
      }
    }
  }

  @Test
  void mappingAdamMovesTheMappingVariablesAHundredTimesLess() {
    try (Workspace ws = Workspace.create(42)) {
      Ops tf = ws.tf();
      Variable<TFloat32> fast = tf.withName("fast").variable(tf.constant(new float[] {1f, -1f}));
      Variable<TFloat32> slow = tf.withName("slow").variable(tf.constant(new float[] {1f, -1f}));
      // loss = sum(fast · [2, -3]) + sum(slow · [2, -3]): constant gradients of either sign
      Operand<TFloat32> r = tf.constant(new float[] {2f, -3f});
      Operand<TFloat32> loss =
          tf.math.add(
              tf.reduceSum(tf.math.mul(tf.identity(fast), r), tf.constant(0)),
              tf.reduceSum(tf.math.mul(tf.identity(slow), r), tf.constant(0)));
      GradientUpdate step =
          ws.gradientUpdate(
              loss,
              () -> List.of(fast, slow),
              () -> new StyleGan.MappingAdam(List.of(slow), 0.01f));

      step.run(Feeds.of());
      List<float[]> after =
          GraphRuns.run(ws, Map.of(), List.of(tf.identity(fast), tf.identity(slow)));

      // Adam's first step (beta_1 = 0, beta_2 = 0.99) is lr · sign(gradient)
      assertArrayEquals(new float[] {1f - 1e-3f, -1f + 1e-3f}, after.get(0), 1e-7f, "fast");
      assertArrayEquals(new float[] {1f - 1e-5f, -1f + 1e-5f}, after.get(1), 1e-7f, "slow");
    }
  }

  @Test
  void quickRunTrainsOneEpochAndWritesTheStyleMixingGrid() throws IOException {
    assumeTrue(Files.exists(ProgressiveGanTest.FASHION_MNIST), "Fashion-MNIST is not installed");
    RunReport report = StyleGan.run(RunConfig.smoke(outDir));

    assertEquals(List.of("stylegan"), List.copyOf(report.histories().keySet()));
    History history = report.histories().get("stylegan");
    assertEquals(1, history.size());
    assertEquals(List.of("d_loss", "g_loss", "val_d_loss", "val_g_loss"), history.names());
    history
        .last()
        .logs()
        .forEach((log, value) -> assertTrue(Double.isFinite(value), log + " " + value));
    ProgressiveGanTest.assertFigure(outDir.resolve("stylegan_generated_images_plot.png"), 4, 8);
    ProgressiveGanTest.assertFigure(outDir.resolve("stylegan_style_mixing_plot.png"), 6, 7);
  }

  /** Three codes of {@value #W_SIZE} values drawn with {@code seed}. */
  private static Operand<TFloat32> codes(Ops tf, int seed) {
    return constant(tf, GraphRuns.randomValues(seed, 3 * W_SIZE, 0f), 3, W_SIZE);
  }

  private static void randomizeNoiseScales(Workspace ws, StyleGanGenerator generator) {
    int seed = 10;
    for (Variable<TFloat32> v : generator.trainableVariables()) {
      if (v.op().name().contains("noise_scale")) {
        assign(ws, v, GraphRuns.randomValues(seed++, (int) v.shape().size(), 0.5f));
      }
    }
  }

  private static void assign(Workspace ws, Variable<TFloat32> variable, float[] values) {
    Ops tf = ws.tf();
    GraphRuns.run(
        ws,
        Map.of(),
        List.of(),
        tf.assign(variable, constant(tf, values, variable.shape().asArray())));
  }
}
