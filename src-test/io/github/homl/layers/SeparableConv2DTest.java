package io.github.homl.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.training.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class SeparableConv2DTest {

  @Test
  void weightsHaveKerasShapesAndTheBooksParameterCount() {
    try (Workspace ws = Workspace.create(42)) {
      SeparableConv2D layer = new SeparableConv2D(32, 3).padding(Padding.SAME);
      layer.apply(ws.training(), ws.placeholder(-1, 32, 32, 16));

      List<Variable<TFloat32>> weights = layer.trainableVariables();
      assertEquals(
          List.of(
              "separable_conv2d/depthwise_kernel",
              "separable_conv2d/pointwise_kernel",
              "separable_conv2d/bias"),
          weights.stream().map(v -> v.op().name()).toList());
      assertArrayEquals(new long[] {3, 3, 16, 1}, weights.get(0).shape().asArray());
      assertArrayEquals(new long[] {1, 1, 16, 32}, weights.get(1).shape().asArray());
      assertArrayEquals(new long[] {32}, weights.get(2).shape().asArray());
      // the U-Net's "down 32" in docs/notebook-reference.md: 9·16 + 16·32 + 32
      assertEquals(688, weights.stream().mapToLong(v -> v.shape().size()).sum());
      assertTrue(layer.nonTrainableVariables().isEmpty());
    }
  }

  @Test
  void outputShapesFollowPaddingAndStrides() {
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> x = ws.placeholder(-1, 5, 5, 3);

      assertArrayEquals(
          new long[] {-1, 5, 5, 4},
          new SeparableConv2D(4, 3)
              .padding(Padding.SAME)
              .apply(ws.training(), x)
              .shape()
              .asArray());
      assertArrayEquals(
          new long[] {-1, 3, 3, 4},
          new SeparableConv2D(4, 3).apply(ws.training(), x).shape().asArray());
      assertArrayEquals(
          new long[] {-1, 3, 3, 4},
          new SeparableConv2D(4, 3)
              .strides(2)
              .padding(Padding.SAME)
              .apply(ws.training(), x)
              .shape()
              .asArray());
    }
  }

  @Test
  void computesADepthwiseConvolutionThenAPointwiseOneThenTheBias() {
    try (Workspace ws = Workspace.create(42)) {
      int h = 4;
      int w = 3;
      int in = 2;
      int filters = 3;
      SeparableConv2D layer =
          new SeparableConv2D(filters, 3).padding(Padding.SAME).activation(Activation.RELU);
      Placeholder<TFloat32> x = ws.placeholder(1, h, w, in);
      Operand<TFloat32> y = layer.apply(ws.inference(), x);
      List<Variable<TFloat32>> weights = layer.trainableVariables();
      float[] depthwise = GraphRuns.randomValues(11, 3 * 3 * in, 0f);
      float[] pointwise = GraphRuns.randomValues(12, in * filters, 0f);
      float[] bias = GraphRuns.randomValues(13, filters, 0f);
      assign(ws, weights, List.of(depthwise, pointwise, bias));
      float[] xs = GraphRuns.randomValues(14, h * w * in, 0f);

      float[] actual = GraphRuns.run(ws, Map.of(x, xs), y);

      float[] expected = new float[h * w * filters];
      for (int r = 0; r < h; r++) {
        for (int c = 0; c < w; c++) {
          for (int f = 0; f < filters; f++) {
            double sum = bias[f];
            for (int ch = 0; ch < in; ch++) {
              double depth = 0; // SAME: a one-pixel zero border around the 3×3 window
              for (int dr = -1; dr <= 1; dr++) {
                for (int dc = -1; dc <= 1; dc++) {
                  int rr = r + dr;
                  int cc = c + dc;
                  if (rr >= 0 && rr < h && cc >= 0 && cc < w) {
                    depth +=
                        xs[(rr * w + cc) * in + ch]
                            * depthwise[((dr + 1) * 3 + (dc + 1)) * in + ch]; // [3, 3, in, 1]
                  }
                }
              }
              sum += depth * pointwise[ch * filters + f]; // [1, 1, in, filters]
            }
            expected[(r * w + c) * filters + f] = (float) Math.max(0, sum);
          }
        }
      }
      assertArrayEquals(expected, actual, 1e-5f);
    }
  }

  @Test
  void gradientsExistForTheInputAndEveryWeight() {
    try (Workspace ws = Workspace.create(42)) {
      SeparableConv2D layer = new SeparableConv2D(4, 3).strides(2);
      Placeholder<TFloat32> x = ws.placeholder(-1, 5, 5, 3);
      Operand<TFloat32> y = layer.apply(ws.training(), x);
      Ops tf = ws.tf();
      List<Output<?>> targets = new ArrayList<>(List.of(x.asOutput()));
      layer.trainableVariables().forEach(v -> targets.add(v.asOutput()));

      Output<?>[] grads =
          ws.graph()
              .addGradients(
                  tf.reduceSum(y, Layers.allAxes(tf, y)).asOutput(),
                  targets.toArray(Output<?>[]::new));

      for (Output<?> grad : grads) {
        assertFalse(grad.isClosed(), "missing gradient");
      }
      List<float[]> values =
          GraphRuns.run(
              ws, Map.of(x, GraphRuns.randomValues(3, 2 * 5 * 5 * 3, 0.1f)), List.of(grads));
      assertEquals(4, values.size());
    }
  }

  @Test
  void rejectsNonPositiveFiltersNamingTheArgument() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new SeparableConv2D(0, 3));
    assertTrue(e.getMessage().contains("filters"), e.getMessage());
  }

  private static void assign(
      Workspace ws, List<Variable<TFloat32>> variables, List<float[]> values) {
    Ops tf = ws.tf();
    List<Op> assigns = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Shape shape = variables.get(i).shape();
      assigns.add(
          tf.assign(
              variables.get(i), tf.constant(shape, DataBuffers.of(values.get(i), true, false))));
    }
    GraphRuns.run(ws, Map.of(), List.of(), assigns.toArray(Op[]::new));
  }
}
