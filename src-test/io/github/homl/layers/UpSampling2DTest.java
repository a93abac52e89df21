package io.github.homl.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.homl.training.Workspace;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class UpSampling2DTest {

  private static final long[] IN = {2, 3, 2};

  @Test
  void doublesHeightAndWidth() {
    LayerChecks.assertOutputShape(UpSampling2D::new, IN, new long[] {4, 6, 2});
  }

  @Test
  void hasNoWeights() {
    LayerChecks.assertVariables(UpSampling2D::new, IN, 0);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    LayerChecks.assertGradientsMatchFiniteDifferences(UpSampling2D::new, IN);
  }

  @Test
  void repeatsEveryPixelSizeTimesSizeTimes() {
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> x = ws.placeholder(-1, 2, 2, 1);
      float[] out =
          GraphRuns.run(
              ws, Map.of(x, new float[] {1, 2, 3, 4}), new UpSampling2D(2).apply(ws.training(), x));

      assertArrayEquals(
          new float[] {
            1, 1, 2, 2,
            1, 1, 2, 2,
            3, 3, 4, 4,
            3, 3, 4, 4
          },
          out,
          0f);
    }
  }
}
