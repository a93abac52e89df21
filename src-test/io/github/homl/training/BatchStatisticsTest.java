package io.github.homl.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.homl.data.Images;
import io.github.homl.layers.BatchNormalization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class BatchStatisticsTest {

  /** 256 images of 2×2 pixels drawn from U(3, 5): mean 4, variance 1/3. */
  private static Images data() {
    Random random = new Random(1);
    float[] pixels = new float[256 * 4];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = 3 + 2 * random.nextFloat();
    }
    return new Images(pixels, 256, 2, 2);
  }

  @Test
  void theMovingStatisticsBecomeTheDataMomentsAndTheWeightsStay() {
    Images data = data();
    double mean = 0;
    for (float p : data.pixels()) {
      mean += p;
    }
    mean /= data.pixels().length;
    double variance = 0;
    for (float p : data.pixels()) {
      variance += (p - mean) * (p - mean);
    }
    variance /= data.pixels().length;
    try (Workspace ws = Workspace.create(42)) {
      Ops tf = ws.tf();
      Placeholder<TFloat32> images = ws.placeholder(-1, 2, 2);
      BatchNormalization bn = new BatchNormalization();
      Operand<TFloat32> output =
          bn.apply(ws.training(), tf.expandDims(images, tf.constant(-1))); // [batch, 2, 2, 1]
      List<Variable<TFloat32>> variables = new ArrayList<>(bn.trainableVariables());
      variables.addAll(bn.nonTrainableVariables()); // gamma, beta, moving mean, moving variance
      List<Operand<TFloat32>> reads = new ArrayList<>();
      variables.forEach(v -> reads.add(tf.identity(v)));

      // from the initial statistics (0, 1), 0.99^1000 of which remains
      new BatchStatistics(ws, images, output, data).recompute(1000, 64, 7);

      List<float[]> values = ws.runAll(reads, Map.of());
      assertArrayEquals(new float[] {1f}, values.get(0), "gamma");
      assertArrayEquals(new float[] {0f}, values.get(1), "beta");
      assertEquals(mean, values.get(2)[0], 0.02, "moving mean");
      assertEquals(variance, values.get(3)[0], 0.02, "moving variance");
    }
  }

  @Test
  void noBatchesIsAnError() {
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> images = ws.placeholder(-1, 2, 2);
      BatchStatistics statistics = new BatchStatistics(ws, images, images, data());
      assertThrows(IllegalArgumentException.class, () -> statistics.recompute(0, 64, 7));
    }
  }
}
