package io.github.homl.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.training.Workspace;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class ZeroPadding2DTest {

  @Test
  void theBooksPaddingOf3Takes28x28To34x34() {
    try (Workspace ws = Workspace.create(42)) {
      Operand<TFloat32> y =
          new ZeroPadding2D(3, 3).apply(ws.inference(), ws.placeholder(-1, 28, 28, 1));

      assertArrayEquals(new long[] {-1, 34, 34, 1}, y.shape().asArray());
    }
  }

  @Test
  void addsZeroRowsAboveAndBelowAndZeroColumnsLeftAndRight() {
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> x = ws.placeholder(1, 2, 2, 1);
      Operand<TFloat32> y = new ZeroPadding2D(1, 2).apply(ws.inference(), x);

      assertArrayEquals(new long[] {1, 4, 6, 1}, y.shape().asArray());
      assertArrayEquals(
          new float[] {
            0, 0, 0, 0, 0, 0,
            0, 0, 1, 2, 0, 0,
            0, 0, 3, 4, 0, 0,
            0, 0, 0, 0, 0, 0
          },
          GraphRuns.run(ws, Map.of(x, new float[] {1, 2, 3, 4}), y),
          0f);
    }
  }

  @Test
  void gradientIsOneForEveryInputPixel() {
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> x = ws.placeholder(1, 2, 2, 3);
      Operand<TFloat32> y = new ZeroPadding2D(3, 3).apply(ws.training(), x);
      Ops tf = ws.tf();

      Output<?> grad =
          ws.graph()
              .addGradients(
                  tf.reduceSum(y, Layers.allAxes(tf, y)).asOutput(),
                  new Output<?>[] {x.asOutput()})[0];

      assertFalse(grad.isClosed());
      float[] ones = new float[12];
      Arrays.fill(ones, 1f);
      assertArrayEquals(
          ones,
          GraphRuns.run(ws, Map.of(x, GraphRuns.randomValues(1, 12, 0f)), List.of(grad)).get(0),
          0f);
    }
  }

  @Test
  void rejectsNegativePaddingNamingTheArgument() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ZeroPadding2D(-1, 3));
    assertTrue(e.getMessage().contains("padding"), e.getMessage());
  }
}
