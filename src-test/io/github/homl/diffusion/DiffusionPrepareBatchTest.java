package io.github.homl.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.layers.GraphRuns;
import io.github.homl.training.Workspace;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * {@code prepare_batch} on 40,000 one-pixel images of value 0.75 (so x_0 = 0.5 after scaling to
 * [−1, 1]): one draw, checked as a whole and grouped by time step.
 */
class DiffusionPrepareBatchTest {

  private static final int N = 40_000;
  private static final float X0 = 0.5f;
  private static final Schedule SCHEDULE = Schedule.varianceSchedule(4000);

  private static int[] time;
  private static float[] xNoisy;
  private static float[] noise;

  @BeforeAll
  static void drawOneBatch() {
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> images = ws.placeholder(-1, 1, 1);
      NoisyBatch batch = NoisyBatch.prepareBatch(ws, SCHEDULE, images);
      float[] pixels = new float[N];
      Arrays.fill(pixels, 0.75f);
      try (TFloat32 fed = GraphRuns.tensor(Shape.of(N, 1, 1), pixels);
          Result result =
              ws.session()
                  .runner()
                  .feed(images, fed)
                  .fetch(batch.time())
                  .fetch(batch.xNoisy())
                  .fetch(batch.noise())
                  .run()) {
        TInt32 t = (TInt32) result.get(0);
        time = new int[N];
        for (int i = 0; i < N; i++) {
          time[i] = t.getInt(i);
        }
        xNoisy = floats((TFloat32) result.get(1));
        noise = floats((TFloat32) result.get(2));
      }
    }
  }

  @Test
  void timeStepsAreDrawnFromOneToTIncludingT() {
    assertEquals(1, Arrays.stream(time).min().getAsInt());
    assertEquals(4000, Arrays.stream(time).max().getAsInt());
    // uniform: each quarter of 1..4000 holds a quarter of the draws (±5 standard deviations)
    for (int quarter = 0; quarter < 4; quarter++) {
      int from = 1 + 1000 * quarter;
      long count = Arrays.stream(time).filter(t -> t >= from && t < from + 1000).count();
      assertEquals(N / 4.0, count, 5 * Math.sqrt(N * 0.25 * 0.75), "quarter " + quarter);
    }
  }

  @Test
  void noiseTargetIsStandardNormal() {
    double[] stats = meanAndVariance(noise, i -> true);

    assertEquals(0, stats[0], 0.02, "mean");
    assertEquals(1, stats[1], 0.03, "variance");
  }

  @Test
  void noisyImagesFollowDdpmEquationFourWithTheReturnedNoise() {
    for (int i = 0; i < N; i++) {
      double alphaCm = SCHEDULE.alphaCumprod()[time[i]];
      double expected = Math.sqrt(alphaCm) * X0 + Math.sqrt(1 - alphaCm) * noise[i];
      assertEquals(expected, xNoisy[i], 1e-5, "image " + i + " at t = " + time[i]);
    }
  }

  @Test
  void atSmallTimeStepsTheNoisyImageIsAlmostTheScaledImage() {
    double[] stats = meanAndVariance(xNoisy, i -> time[i] <= 40);

    assertEquals(X0, stats[0], 0.005, "mean");
    assertTrue(stats[1] < 2e-3, "variance " + stats[1]);
  }

  @Test
  void atLargeTimeStepsTheNoisyImageIsAlmostPureNoise() {
    double[] stats = meanAndVariance(xNoisy, i -> time[i] >= 3960);

    assertEquals(0, stats[0], 0.25, "mean");
    assertEquals(1, stats[1], 0.3, "variance");
  }

  /** Mean and variance of the values whose index passes {@code keep} (at least 100 of them). */
  private static double[] meanAndVariance(float[] values, java.util.function.IntPredicate keep) {
    double sum = 0;
    double sumSquares = 0;
    int n = 0;
    for (int i = 0; i < values.length; i++) {
      if (keep.test(i)) {
        sum += values[i];
        sumSquares += (double) values[i] * values[i];
        n++;
      }
    }
    assertTrue(n >= 100, "only " + n + " values");
    double mean = sum / n;
    return new double[] {mean, sumSquares / n - mean * mean};
  }

  private static float[] floats(TFloat32 tensor) {
    float[] values = new float[(int) tensor.size()];
    tensor.asRawTensor().data().asFloats().read(values);
    return values;
  }
}
