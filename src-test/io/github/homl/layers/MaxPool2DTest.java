package io.github.homl.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.training.Workspace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class MaxPool2DTest {

  /** {@code -0, -1, ..., -15} as one 4×4 single-channel image. */
  private static final float[] NEGATIVE_RAMP = new float[16];

  static {
    for (int i = 0; i < 16; i++) {
      NEGATIVE_RAMP[i] = -i;
    }
  }

  @Test
  void theBooksPoolOf3WithStride2AndSamePaddingHalvesTheSizeIgnoringThePadding() {
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> x = ws.placeholder(1, 4, 4, 1);
      Operand<TFloat32> y =
          new MaxPool2D(3).strides(2).padding(Padding.SAME).apply(ws.inference(), x);

      assertArrayEquals(new long[] {1, 2, 2, 1}, y.shape().asArray());
      // windows rows/cols {0..2} and {2, 3} (TF pads one row and column at the end, which a max
      // pool ignores: a zero would win everywhere against these negative values)
      assertArrayEquals(
          new float[] {-0f, -2f, -8f, -10f}, GraphRuns.run(ws, Map.of(x, NEGATIVE_RAMP), y), 0f);
    }
  }

  @Test
  void theBooksPoolTakes32x32To16x16() {
    try (Workspace ws = Workspace.create(42)) {
      Operand<TFloat32> y =
          new MaxPool2D(3)
              .strides(2)
              .padding(Padding.SAME)
              .apply(ws.inference(), ws.placeholder(-1, 32, 32, 32));

      assertArrayEquals(new long[] {-1, 16, 16, 32}, y.shape().asArray());
    }
  }

  @Test
  void defaultIsAValid2x2PoolWithStride2() {
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> x = ws.placeholder(1, 4, 4, 1);
      Operand<TFloat32> y = new MaxPool2D().apply(ws.inference(), x);

      assertArrayEquals(new long[] {1, 2, 2, 1}, y.shape().asArray());
      assertArrayEquals(
          new float[] {-0f, -2f, -8f, -10f}, GraphRuns.run(ws, Map.of(x, NEGATIVE_RAMP), y), 0f);
      assertArrayEquals(
          new long[] {-1, 2, 2, 3},
          new MaxPool2D().apply(ws.inference(), ws.placeholder(-1, 5, 5, 3)).shape().asArray());
    }
  }

  @Test
  void gradientGoesToEachWindowsMaximum() {
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> x = ws.placeholder(1, 4, 4, 1);
      Operand<TFloat32> y =
          new MaxPool2D(3).strides(2).padding(Padding.SAME).apply(ws.training(), x);
      Ops tf = ws.tf();

      Output<?> grad =
          ws.graph()
              .addGradients(
                  tf.reduceSum(y, Layers.allAxes(tf, y)).asOutput(),
                  new Output<?>[] {x.asOutput()})[0];

      assertFalse(grad.isClosed());
      float[] expected = new float[16];
      for (int index : new int[] {0, 2, 8, 10}) {
        expected[index] = 1f;
      }
      assertArrayEquals(
          expected, GraphRuns.run(ws, Map.of(x, NEGATIVE_RAMP), List.of(grad)).get(0), 0f);
    }
  }

  @Test
  void rejectsNonPositivePoolSizeNamingTheArgument() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2D(0));
    assertTrue(e.getMessage().contains("pool_size"), e.getMessage());
  }
}
