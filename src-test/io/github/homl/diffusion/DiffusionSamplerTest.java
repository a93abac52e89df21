package io.github.homl.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.data.Images;
import io.github.homl.layers.GraphRuns;
import io.github.homl.training.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The samplers on a tiny U-Net (T = 10) whose BatchNormalization statistics have been moved away
 * from their initial values, so that the inference path differs from a fresh one.
 */
class DiffusionSamplerTest {

  private static final int T = 10;
  private static final Schedule SCHEDULE = Schedule.varianceSchedule(T);

  @Test
  void hostLoopAndInGraphLoopGenerateTheSameImages() {
    try (Workspace ws = Workspace.create(42)) {
      DiffusionUnet model = builtTinyUnet(ws);
      DiffusionSampler sampler = new DiffusionSampler(ws, model, SCHEDULE, 4, 7);

      Images host = sampler.generate();
      Images inGraph = sampler.generateInGraph();

      assertEquals(4, host.count());
      assertArrayEquals(host.pixels(), inGraph.pixels(), 1e-5f);
      float first = host.pixels()[0];
      boolean varies = false;
      for (float v : host.pixels()) {
        assertTrue(Float.isFinite(v), "pixel " + v);
        varies |= v != first;
      }
      assertTrue(varies, "constant images");
    }
  }

  @Test
  void anotherSeedGivesOtherStartingAndStepNoise() {
    try (Workspace ws = Workspace.create(42)) {
      DiffusionUnet model = builtTinyUnet(ws);

      Images first = new DiffusionSampler(ws, model, SCHEDULE, 4, 7).generateInGraph();
      Images again = new DiffusionSampler(ws, model, SCHEDULE, 4, 7).generateInGraph();
      Images other = new DiffusionSampler(ws, model, SCHEDULE, 4, 8).generateInGraph();

      assertArrayEquals(first.pixels(), again.pixels(), 0f);
      assertFalse(java.util.Arrays.equals(first.pixels(), other.pixels()));
    }
  }

  @Test
  void ddimOfALiveUnetIsDeterministicAndEndsOnTheClippedPrediction() {
    try (Workspace ws = Workspace.create(42)) {
      HostSampler.Denoiser denoiser = builtTinyUnet(ws).hostDenoiser(ws);

      Images first = ddim(denoiser, 4, 5, new java.util.Random(7));
      Images second = ddim(denoiser, 4, 5, new java.util.Random(7));
      Images fewerSteps = ddim(denoiser, 4, 3, new java.util.Random(7));

      assertArrayEquals(first.pixels(), second.pixels(), 0f);
      assertFalse(java.util.Arrays.equals(first.pixels(), fewerSteps.pixels()));
      // the last step lands on ᾱ_0 = 1: the output is x̂_0, clipped to [-1, 1]
      for (float v : first.pixels()) {
        assertTrue(v >= -1f && v <= 1f, "pixel " + v);
      }
    }
  }

  @Test
  void eachBatchOfTheScoredSamplesDrawsFreshNoise() {
    try (Workspace ws = Workspace.create(42)) {
      HostSampler.Denoiser denoiser = builtTinyUnet(ws).hostDenoiser(ws);
      java.util.Random noise = new java.util.Random(1);

      Images batch = ddim(denoiser, 4, 5, noise);
      Images next = ddim(denoiser, 4, 5, noise); // as DiffusionResults.score draws them

      assertEquals(4, batch.count());
      assertEquals(28, batch.height());
      for (int i = 0; i < batch.count(); i++) {
        for (int j = 0; j < next.count(); j++) {
          assertFalse(java.util.Arrays.equals(batch.image(i), next.image(j)));
        }
      }
    }
  }

  private static Images ddim(
      HostSampler.Denoiser denoiser, int n, int steps, java.util.Random noise) {
    return HostSampler.images(
        denoiser, SCHEDULE, n, 28, 28, noise, null, (host, z) -> host.ddim(steps, z));
  }

  /** A tiny U-Net built in {@code ws}, with moving means of 0.1 and moving variances of 1.5. */
  private static DiffusionUnet builtTinyUnet(Workspace ws) {
    Ops tf = ws.tf();
    DiffusionUnet model = DiffusionStepTest.tinyUnet();
    model.call(
        model.layers(ws.inference()),
        ws.placeholder(-1, 28, 28, 1),
        tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1))));
    List<Op> moves = new ArrayList<>();
    for (Variable<TFloat32> variable : model.variables()) {
      String name = variable.op().name();
      if (name.contains("moving")) {
        float value = name.endsWith("moving_mean") ? 0.1f : 1.5f;
        moves.add(tf.assign(variable, tf.fill(tf.shape(variable), tf.constant(value))));
      }
    }
    GraphRuns.run(ws, Map.of(), List.of(), moves.toArray(Op[]::new));
    return model;
  }
}
