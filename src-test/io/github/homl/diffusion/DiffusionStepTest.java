package io.github.homl.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.data.Batches;
import io.github.homl.data.Images;
import io.github.homl.training.Checkpoints;
import io.github.homl.training.Fit;
import io.github.homl.training.GraphVariables;
import io.github.homl.training.History;
import io.github.homl.training.ResumeEquality;
import io.github.homl.training.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** A tiny U-Net (T = 10, widths 4..32) trained on synthetic images, as the book's fit. */
class DiffusionStepTest {

  private static final int T = 10;
  private static final Schedule SCHEDULE = Schedule.varianceSchedule(T);

  @TempDir Path checkpointDir;

  @Test
  void tinyTrainingRunLowersTheLoss() {
    try (Workspace ws = Workspace.create(42)) {
      History history =
          fit(ws, images(256, 1), images(64, 2), 3, Checkpoints.in(checkpointDir), false);

      assertEquals(3, history.size());
      assertEquals(8, history.last().steps());
      double first = history.epochs().get(0).loss();
      assertTrue(
          history.last().loss() < 0.8 * first, "loss " + first + " -> " + history.last().loss());
      assertTrue(history.last().valLoss() < history.epochs().get(0).valLoss(), "val_loss");
    }
  }

  /**
   * Within 1e-2 rather than exactly. The U-Net's convolution biases in front of a batch norm have a
   * gradient of zero in exact arithmetic, so the computed one is rounding alone, and Nadam scales
   * each step by the gradient's own size: rounding that differs from run to run moves such a bias
   * by a learning rate (1e-3) per step. With oneDNN's kernels on an AVX2 AMD EPYC (2026-12-07) runs
   * of this test found {@code conv2d/bias} at 5.0e-4 in one run and 1.4e-3 in the other after four
   * steps, and Nadam slots off by up to 9e-5. A resume that lost the weights, a slot's history or a
   * step count would be off by more (the step counters by 1; the losses are compared to 1e-4).
   */
  @Test
  void resumingAfterOneEpochEqualsTwoEpochsInOneGo() {
    ResumeEquality.assertResumeEqualsUninterrupted(
        checkpointDir,
        (ws, checkpoints, resume, epochs) ->
            fit(ws, images(64, 1), images(32, 2), epochs, checkpoints, resume),
        1e-2f);
  }

  @Test
  void recomputingTheAverageStatisticsMovesThemAndNothingElse() {
    try (Workspace ws = Workspace.create(42)) {
      DiffusionUnet model = tinyUnet();
      DiffusionUnet averaged = tinyUnet();
      Images xTrain = images(64, 1);
      DiffusionStep step = new DiffusionStep(ws, model, averaged, 0.9f, SCHEDULE, xTrain, xTrain);
      Fit.of(ws, step, Batches.of(xTrain.count(), 32).shuffled(7)).run(1);
      List<Variable<TFloat32>> statistics = new ArrayList<>(averaged.variables());
      statistics.removeAll(averaged.trainableVariables()); // the moving means and variances
      SortedMap<String, float[]> before = GraphVariables.read(ws);

      step.recomputeAverageStatistics(5, 16, 3);

      SortedMap<String, float[]> after = GraphVariables.read(ws);
      Set<String> moved = new TreeSet<>();
      before.forEach(
          (name, value) -> {
            if (!Arrays.equals(value, after.get(name))) {
              moved.add(name);
            }
          });
      Set<String> expected = new TreeSet<>();
      statistics.forEach(v -> expected.add(v.op().name()));
      assertEquals(expected, moved);
    }
  }

  @Test
  void aStepWithoutAverageHasNoStatisticsToRecompute() {
    try (Workspace ws = Workspace.create(42)) {
      Images xTrain = images(32, 1);
      DiffusionStep step = new DiffusionStep(ws, tinyUnet(), SCHEDULE, xTrain, xTrain);
      assertThrows(IllegalStateException.class, () -> step.recomputeAverageStatistics(1, 8, 3));
    }
  }

  private static History fit(
      Workspace ws,
      Images xTrain,
      Images xValid,
      int epochs,
      Checkpoints checkpoints,
      boolean resume) {
    return Fit.of(
            ws,
            new DiffusionStep(ws, tinyUnet(), SCHEDULE, xTrain, xValid),
            Batches.of(xTrain.count(), 32).shuffled(7))
        .validation(Batches.of(xValid.count(), 32))
        .checkpoints(checkpoints, resume)
        .run(epochs);
  }

  static DiffusionUnet tinyUnet() {
    return new DiffusionUnet(T, 8, 4);
  }

  /** {@code n} synthetic 28×28 images in [0, 1]: a bright lower half over faint noise. */
  static Images images(int n, long seed) {
    Random random = new Random(seed);
    float[] pixels = new float[n * 28 * 28];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = i / 28 % 28 >= 14 ? 0.8f + 0.2f * random.nextFloat() : 0.1f * random.nextFloat();
    }
    return new Images(pixels, n, 28, 28);
  }
}
