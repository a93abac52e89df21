package io.github.homl.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.homl.training.Workspace;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class MinibatchStdDevTest {

  private static final long[] IN = {3, 3, 2};

  @Test
  void addsOneChannel() {
    LayerChecks.assertOutputShape(MinibatchStdDev::new, IN, new long[] {3, 3, 3});
  }

  @Test
  void hasNoWeights() {
    LayerChecks.assertVariables(MinibatchStdDev::new, IN, 0);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    LayerChecks.assertGradientsMatchFiniteDifferences(MinibatchStdDev::new, IN);
  }

  @Test
  void extraChannelIsTheMeanOverFeaturesAndPositionsOfTheStdOverTheBatch() {
    int batch = 3;
    int h = 2;
    int w = 2;
    int c = 2;
    float[] xs = GraphRuns.randomValues(11, batch * h * w * c, 0f);
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> x = ws.placeholder(-1, h, w, c);
      float[] out = GraphRuns.run(ws, Map.of(x, xs), new MinibatchStdDev().apply(ws.training(), x));

      // the paper: S = reduce_std(inputs, axis=0); v = reduce_mean(S)
      double v = 0;
      for (int f = 0; f < h * w * c; f++) {
        double sum = 0;
        double sumSquares = 0;
        for (int b = 0; b < batch; b++) {
          double value = xs[b * h * w * c + f];
          sum += value;
          sumSquares += value * value;
        }
        v += Math.sqrt(sumSquares / batch - Math.pow(sum / batch, 2)) / (h * w * c);
      }
      for (int b = 0; b < batch; b++) {
        for (int p = 0; p < h * w; p++) {
          for (int k = 0; k < c; k++) {
            assertEquals(
                xs[(b * h * w + p) * c + k],
                out[(b * h * w + p) * (c + 1) + k],
                0f,
                "input channels pass through");
          }
          assertEquals(v, out[(b * h * w + p) * (c + 1) + c], 1e-5, "extra channel");
        }
      }
    }
  }

  @Test
  void extraChannelIsNearZeroWhenEveryImageOfTheBatchIsTheSame() {
    float[] image = GraphRuns.randomValues(12, 2 * 2 * 3, 0.5f);
    float[] xs = new float[4 * image.length];
    for (int b = 0; b < 4; b++) {
      System.arraycopy(image, 0, xs, b * image.length, image.length);
    }
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> x = ws.placeholder(-1, 2, 2, 3);
      float[] out = GraphRuns.run(ws, Map.of(x, xs), new MinibatchStdDev().apply(ws.training(), x));

      for (int p = 0; p < 4 * 2 * 2; p++) {
        assertEquals(0, out[p * 4 + 3], 1e-3, "a collapsed batch must show: v = sqrt(1e-8)");
      }
    }
  }
}
