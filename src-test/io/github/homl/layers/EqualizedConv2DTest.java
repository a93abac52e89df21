package io.github.homl.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.homl.training.Workspace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class EqualizedConv2DTest {

  private static final long[] IN = {4, 4, 2};

  @Test
  void samePaddingKeepsHeightAndWidth() {
    LayerChecks.assertOutputShape(
        () -> new EqualizedConv2D(3, 3).padding(Padding.SAME), IN, new long[] {4, 4, 3});
  }

  @Test
  void validPaddingShrinksByKernelSizeMinusOne() {
    LayerChecks.assertOutputShape(() -> new EqualizedConv2D(3, 3), IN, new long[] {2, 2, 3});
  }

  @Test
  void hasAKernelAndABias() {
    LayerChecks.assertVariables(() -> new EqualizedConv2D(3, 3), IN, 2);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    // linear: a leaky ReLU kink within the finite-difference step would spoil the comparison
    LayerChecks.assertGradientsMatchFiniteDifferences(
        () -> new EqualizedConv2D(2, 3).padding(Padding.SAME), new long[] {3, 3, 2});
  }

  @Test
  void equalsAPlainConv2DWhoseKernelIsScaledByTheHeConstantAtRunTime() {
    float[] xs = GraphRuns.randomValues(1, 2 * 4 * 4 * 2, 0f);
    float[] kernel = GraphRuns.randomValues(2, 3 * 3 * 2 * 3, 0f);
    float[] bias = {0.5f, -0.25f, 1f};
    float c = (float) Math.sqrt(2.0 / (3 * 3 * 2)); // fan-in = k·k·in
    float[] scaledKernel = new float[kernel.length];
    for (int i = 0; i < kernel.length; i++) {
      scaledKernel[i] = kernel[i] * c;
    }
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> x = ws.placeholder(-1, 4, 4, 2);
      EqualizedConv2D equalized = new EqualizedConv2D(3, 3).padding(Padding.SAME);
      Conv2D plain = new Conv2D(3, 3).padding(Padding.SAME);
      Operand<TFloat32> yEqualized = equalized.apply(ws.training(), x);
      Operand<TFloat32> yPlain = plain.apply(ws.training(), x);
      LayerChecks.assign(ws, equalized.trainableVariables().get(0), kernel);
      LayerChecks.assign(ws, equalized.trainableVariables().get(1), bias);
      LayerChecks.assign(ws, plain.trainableVariables().get(0), scaledKernel);
      LayerChecks.assign(ws, plain.trainableVariables().get(1), bias);

      List<float[]> out = GraphRuns.run(ws, Map.of(x, xs), List.of(yEqualized, yPlain));

      assertEquals(c, equalized.scale(), 1e-7);
      assertArrayEquals(out.get(1), out.get(0), 1e-5f);
    }
  }
}
