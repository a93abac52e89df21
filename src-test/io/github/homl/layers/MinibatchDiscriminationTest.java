package io.github.homl.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.training.Workspace;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Minibatch discrimination's similarity features, and ProGAN's grouped minibatch std. */
class MinibatchDiscriminationTest {

  private static float[] run(Layer layer, float[] xs, long... dims) {
    try (Workspace ws = Workspace.create(42)) {
      long[] shape = new long[dims.length + 1];
      shape[0] = -1;
      System.arraycopy(dims, 0, shape, 1, dims.length);
      Placeholder<TFloat32> x = ws.placeholder(shape);
      return GraphRuns.run(ws, Map.of(x, xs), layer.apply(ws.training(), x));
    }
  }

  @Test
  void copiesInAGroupScoreGroupSizeMinusOneAndFarApartImagesNearZero() {
    int features = 3;
    int kernels = 4;
    float[] xs = new float[4 * features]; // groups of 2: two copies, then two far-apart images
    float[] copy = {0.5f, -1f, 2f};
    System.arraycopy(copy, 0, xs, 0, features);
    System.arraycopy(copy, 0, xs, features, features);
    Arrays.fill(xs, 2 * features, 3 * features, 500f);
    Arrays.fill(xs, 3 * features, 4 * features, -500f);

    float[] out = run(new MinibatchDiscrimination(kernels, 5, 2), xs, features);

    int width = features + kernels;
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(
          Arrays.copyOfRange(xs, i * features, (i + 1) * features),
          Arrays.copyOfRange(out, i * width, i * width + features),
          "features pass through, image " + i);
      for (int b = 0; b < kernels; b++) {
        float o = out[i * width + features + b];
        if (i < 2) {
          assertEquals(1f, o, 1e-6f, "a copy's twin, kernel " + b); // exp(0) for g - 1 = 1 other
        } else {
          assertTrue(o >= 0 && o < 1e-3f, "far apart, kernel " + b + ": " + o);
        }
      }
    }
  }

  @Test
  void aBatchThatIsNotAMultipleOfTheGroupFailsAndBadSizesAreRefused() {
    assertThrows(
        RuntimeException.class, () -> run(new MinibatchDiscrimination(2, 2, 2), new float[9], 3));
    assertThrows(IllegalArgumentException.class, () -> new MinibatchDiscrimination(2, 2, 1));
    assertThrows(IllegalArgumentException.class, () -> new MinibatchStdDev(1));
  }

  @Test
  void groupedStdDevGivesEachGroupItsOwnValue() {
    // [4, 1, 1, 2]: group 1 two equal images (std 0), group 2 values 0 and 2 (std 1)
    float[] xs = {3f, 3f, 3f, 3f, 0f, 0f, 2f, 2f};

    float[] out = run(new MinibatchStdDev(2), xs, 1, 1, 2);

    float[] extra = {out[2], out[5], out[8], out[11]};
    assertArrayEquals(new float[] {1e-4f, 1e-4f, 1f, 1f}, extra, 1e-5f);
    assertEquals(3f, out[0]);
    assertEquals(2f, out[10]);
  }
}
