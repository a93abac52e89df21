package io.github.homl.layers;

import static io.github.homl.layers.GraphRuns.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.training.Workspace;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class LayerBehaviourTest {

  @Test
  void activityRegularizationAddsL1TimesSumOfAbsoluteValuesOverBatchSize() {
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> x = ws.placeholder(-1, 2, 3);
      CallContext ctx = ws.training();
      new ActivityRegularization(1e-2f).apply(ctx, x);
      // two examples of 2x3; sum |x| = 1+2+3+4+5+6 + 0.5+1.5+2.5+3.5+4.5+5.5 = 39
      float[] xs = {1, -2, 3, -4, 5, -6, -0.5f, 1.5f, -2.5f, 3.5f, -4.5f, 5.5f};

      assertEquals(1, ctx.losses().size());
      float[] penalty = run(ws, Map.of(x, xs), ctx.losses().get(0));

      assertEquals(1e-2 * 39 / 2, penalty[0], 1e-6);
    }
  }

  @Test
  void activityRegularizationAddsItsPenaltyOnceToEachPath() {
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> x = ws.placeholder(-1, 3);
      Layer layer = new ActivityRegularization(0.5f);
      CallContext training = ws.training();
      CallContext inference = ws.inference();
      layer.apply(training, x);
      layer.apply(inference, x);

      assertEquals(1, training.losses().size());
      assertEquals(1, inference.losses().size());
      // one example: 0.5 * (1 + 2 + 3) / 1
      assertEquals(
          3.0, run(ws, Map.of(x, new float[] {1, -2, 3}), inference.losses().get(0))[0], 1e-6);
    }
  }

  @Test
  void denseRejectsZeroOrNegativeUnitsNamingUnits() {
    IllegalArgumentException zero =
        assertThrows(IllegalArgumentException.class, () -> new Dense(0));
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> new Dense(-3));

    assertTrue(zero.getMessage().contains("units"), zero.getMessage());
    assertTrue(negative.getMessage().contains("units"), negative.getMessage());
  }

  @Test
  void layersBuiltInTheSameScopeGetUniqueNames() {
    try (Workspace ws = Workspace.create(42)) {
      Dense first = new Dense(3);
      Dense second = new Dense(2);
      CallContext ctx = ws.training();
      second.apply(ctx, first.apply(ctx, ws.placeholder(-1, 4)));

      assertEquals(List.of("dense/kernel", "dense/bias"), names(first));
      assertEquals(List.of("dense_1/kernel", "dense_1/bias"), names(second));
    }
  }

  @Test
  void layersInsideASequentialAreScopedUnderIt() {
    try (Workspace ws = Workspace.create(42)) {
      Sequential model = Sequential.of(new Dense(3), new Dense(2));
      model.apply(ws.training(), ws.placeholder(-1, 4));

      assertEquals(
          List.of(
              "sequential/dense/kernel",
              "sequential/dense/bias",
              "sequential/dense_1/kernel",
              "sequential/dense_1/bias"),
          names(model));
    }
  }

  @Test
  void sequentialListsTheVariablesOfASharedLayerOnce() {
    try (Workspace ws = Workspace.create(42)) {
      Dense shared = new Dense(4);
      Sequential twice = Sequential.of(shared, shared);
      Sequential nested = Sequential.of(twice, new Dense(2));
      nested.apply(ws.training(), ws.placeholder(-1, 4));

      assertEquals(shared.trainableVariables(), twice.trainableVariables());
      assertEquals(4, nested.trainableVariables().size());
      assertEquals(4, GraphRuns.countOps(ws, "VariableV2"));
    }
  }

  @Test
  void dropoutZeroesAboutRateOfEntriesAndScalesTheKeptOnesByOneOverOneMinusRate() {
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> x = ws.placeholder(-1, 1000);
      Operand<TFloat32> y = new Dropout(0.2f).apply(ws.training(), x);
      float[] ones = new float[4 * 1000];
      Arrays.fill(ones, 1f);

      float[] out = run(ws, Map.of(x, ones), y);

      int zeros = 0;
      for (float v : out) {
        if (v == 0f) {
          zeros++;
        } else {
          assertEquals(1.25, v, 1e-6, "kept entries are scaled by 1 / (1 - 0.2)");
        }
      }
      // 4000 draws: the standard deviation of the dropped fraction is 0.0063
      assertEquals(0.2, zeros / 4000.0, 0.03, "fraction dropped");
    }
  }

  @Test
  void gaussianNoiseAddsZeroMeanNoiseOfTheGivenStddevWhileTraining() {
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> x = ws.placeholder(-1, 1000);
      Operand<TFloat32> y = new GaussianNoise(0.2f).apply(ws.training(), x);
      float[] xs = GraphRuns.randomValues(5, 4 * 1000, 0f);

      float[] out = run(ws, Map.of(x, xs), y);

      double sum = 0;
      double sumSquares = 0;
      for (int i = 0; i < out.length; i++) {
        double noise = out[i] - xs[i];
        sum += noise;
        sumSquares += noise * noise;
      }
      double mean = sum / out.length;
      double std = Math.sqrt(sumSquares / out.length - mean * mean);
      assertEquals(0, mean, 0.02); // standard error 0.2 / sqrt(4000) = 0.003
      assertEquals(0.2, std, 0.01);
    }
  }

  @Test
  void activationsComputeTheirFunctions() {
    float[] xs = {-2f, -0.5f, 0f, 0.5f, 3f};
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> x = ws.placeholder(-1, 5);
      CallContext ctx = ws.inference();
      List<float[]> out =
          GraphRuns.run(
              ws,
              Map.of(x, xs),
              List.of(
                  ws.tf().identity(Activation.LINEAR.apply(ctx, x)),
                  Activation.RELU.apply(ctx, x),
                  Activation.SIGMOID.apply(ctx, x),
                  Activation.TANH.apply(ctx, x),
                  Activation.leakyRelu(0.2f).apply(ctx, x)));

      for (int i = 0; i < xs.length; i++) {
        double v = xs[i];
        assertEquals(v, out.get(0)[i], 1e-6, "linear");
        assertEquals(Math.max(0, v), out.get(1)[i], 1e-6, "relu");
        assertEquals(1 / (1 + Math.exp(-v)), out.get(2)[i], 1e-6, "sigmoid");
        assertEquals(Math.tanh(v), out.get(3)[i], 1e-6, "tanh");
        assertEquals(v > 0 ? v : 0.2 * v, out.get(4)[i], 1e-6, "leakyRelu(0.2)");
      }
    }
  }

  @Test
  void denseComputesActivationOfInputTimesKernelPlusBias() {
    float[] xs = {1f, -2f, 0.5f, 3f, 0.25f, -1f}; // two examples of 3
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> x = ws.placeholder(-1, 3);
      Dense dense = new Dense(2, Activation.TANH);
      Operand<TFloat32> y = dense.apply(ws.training(), x);
      // a non-zero bias, so that a dropped bias would show
      GraphRuns.run(
          ws,
          Map.of(),
          List.of(),
          ws.tf()
              .assign(
                  dense.trainableVariables().get(1), ws.tf().constant(new float[] {0.5f, -0.25f})));
      List<float[]> out =
          GraphRuns.run(
              ws, Map.of(x, xs), List.of(y, ws.tf().identity(dense.trainableVariables().get(0))));

      float[] kernel = out.get(1); // [3, 2], row-major
      float[] bias = {0.5f, -0.25f};
      for (int n = 0; n < 2; n++) {
        for (int j = 0; j < 2; j++) {
          double z = bias[j];
          for (int i = 0; i < 3; i++) {
            z += xs[n * 3 + i] * kernel[i * 2 + j];
          }
          assertEquals(Math.tanh(z), out.get(0)[n * 2 + j], 1e-6, "example " + n + " unit " + j);
        }
      }
    }
  }

  private static List<String> names(Layer layer) {
    return layer.trainableVariables().stream().map(v -> v.op().name()).toList();
  }
}
