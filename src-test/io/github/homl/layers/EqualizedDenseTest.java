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

class EqualizedDenseTest {

  private static final long[] IN = {4};

  @Test
  void outputsUnits() {
    LayerChecks.assertOutputShape(() -> new EqualizedDense(3), IN, new long[] {3});
  }

  @Test
  void hasAKernelAndABias() {
    LayerChecks.assertVariables(() -> new EqualizedDense(3), IN, 2);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    LayerChecks.assertGradientsMatchFiniteDifferences(
        () -> new EqualizedDense(3, Activation.leakyRelu(0.2f)), IN);
  }

  @Test
  void kernelStartsStandardNormal() {
    try (Workspace ws = Workspace.create(42)) {
      EqualizedDense dense = new EqualizedDense(64);
      dense.apply(ws.training(), ws.placeholder(-1, 64));
      float[] kernel =
          GraphRuns.run(ws, Map.of(), ws.tf().identity(dense.trainableVariables().get(0)));

      double mean = 0;
      double meanSquare = 0;
      for (float k : kernel) {
        mean += k / (double) kernel.length;
        meanSquare += k * (double) k / kernel.length;
      }
      assertEquals(0, mean, 0.05, "mean");
      assertEquals(1, Math.sqrt(meanSquare - mean * mean), 0.05, "stddev (not He's 0.18)");
    }
  }

  @Test
  void equalsAPlainDenseWhoseKernelIsScaledByTheHeConstantAtRunTime() {
    float[] xs = GraphRuns.randomValues(1, 2 * 4, 0f);
    float[] kernel = GraphRuns.randomValues(2, 4 * 3, 0f);
    float[] bias = {0.5f, -0.25f, 1f};
    float c = (float) Math.sqrt(2.0 / 4);
    float[] scaledKernel = new float[kernel.length];
    for (int i = 0; i < kernel.length; i++) {
      scaledKernel[i] = kernel[i] * c;
    }
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> x = ws.placeholder(-1, 4);
      EqualizedDense equalized = new EqualizedDense(3, Activation.TANH);
      Dense plain = new Dense(3, Activation.TANH);
      Operand<TFloat32> yEqualized = equalized.apply(ws.training(), x);
      Operand<TFloat32> yPlain = plain.apply(ws.training(), x);
      // assigned after the graph is built: the scale must apply at run time, not at init
      LayerChecks.assign(ws, equalized.trainableVariables().get(0), kernel);
      LayerChecks.assign(ws, equalized.trainableVariables().get(1), bias);
      LayerChecks.assign(ws, plain.trainableVariables().get(0), scaledKernel);
      LayerChecks.assign(ws, plain.trainableVariables().get(1), bias);

      List<float[]> out = GraphRuns.run(ws, Map.of(x, xs), List.of(yEqualized, yPlain));

      assertEquals(c, equalized.scale(), 1e-7);
      assertArrayEquals(out.get(1), out.get(0), 1e-6f);
    }
  }
}
