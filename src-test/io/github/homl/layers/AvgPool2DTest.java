package io.github.homl.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.homl.training.Workspace;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class AvgPool2DTest {

  private static final long[] IN = {4, 6, 2};

  @Test
  void halvesHeightAndWidth() {
    LayerChecks.assertOutputShape(AvgPool2D::new, IN, new long[] {2, 3, 2});
  }

  @Test
  void hasNoWeights() {
    LayerChecks.assertVariables(AvgPool2D::new, IN, 0);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    LayerChecks.assertGradientsMatchFiniteDifferences(AvgPool2D::new, IN);
  }

  @Test
  void averagesEachWindow() {
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> x = ws.placeholder(-1, 4, 4, 1);
      float[] xs = new float[16];
      for (int i = 0; i < 16; i++) {
        xs[i] = i; // row r, column c holds 4r + c
      }
      float[] out = GraphRuns.run(ws, Map.of(x, xs), new AvgPool2D(2).apply(ws.training(), x));

      // window (0, 0): (0 + 1 + 4 + 5) / 4
      assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, out, 1e-6f);
    }
  }
}
