package io.github.homl.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.homl.training.Workspace;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class PixelNormalizationTest {

  private static final long[] IN = {2, 2, 3};

  @Test
  void keepsTheShape() {
    LayerChecks.assertOutputShape(PixelNormalization::new, IN, IN);
  }

  @Test
  void hasNoWeights() {
    LayerChecks.assertVariables(PixelNormalization::new, IN, 0);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    LayerChecks.assertGradientsMatchFiniteDifferences(PixelNormalization::new, IN);
  }

  @Test
  void everyPixelHasUnitMeanSquareOverItsChannelsAndKeepsItsDirection() {
    int pixels = 2 * 4 * 4;
    int c = 5;
    float[] xs = GraphRuns.randomValues(5, pixels * c, 0.1f);
    for (int i = 0; i < xs.length; i++) {
      xs[i] *= 1 + i % 7; // pixels of very different magnitudes
    }
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> x = ws.placeholder(-1, 4, 4, c);
      float[] out =
          GraphRuns.run(ws, Map.of(x, xs), new PixelNormalization().apply(ws.training(), x));

      for (int p = 0; p < pixels; p++) {
        double meanSquare = 0;
        double inputMeanSquare = 0;
        for (int k = 0; k < c; k++) {
          meanSquare += Math.pow(out[p * c + k], 2) / c;
          inputMeanSquare += Math.pow(xs[p * c + k], 2) / c;
        }
        assertEquals(1.0, meanSquare, 1e-5, "pixel " + p);
        for (int k = 0; k < c; k++) {
          assertEquals(xs[p * c + k] / Math.sqrt(inputMeanSquare), out[p * c + k], 1e-5);
        }
      }
    }
  }
}
