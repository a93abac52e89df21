package io.github.homl.layers;

import io.github.homl.training.Workspace;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * Test helpers that run a workspace's graph with raw float arrays (any rank, unlike the {@code
 * Images} feeds of {@link Workspace#run}), closing every tensor they create.
 */
public final class GraphRuns {

  private GraphRuns() {}

  /** Runs the graph once: feeds raw arrays, runs {@code targets}, returns each fetch flattened. */
  public static List<float[]> run(
      Workspace ws,
      Map<? extends Operand<?>, float[]> feeds,
      List<? extends Operand<?>> fetches,
      Op... targets) {
    Map<Operand<?>, TFloat32> tensors = new IdentityHashMap<>();
    try {
      Session.Runner runner = ws.session().runner();
      for (var feed : feeds.entrySet()) {
        TFloat32 tensor =
            tensor(concrete(feed.getKey().shape(), feed.getValue().length), feed.getValue());
        tensors.put(feed.getKey(), tensor);
        runner.feed(feed.getKey(), tensor);
      }
      fetches.forEach(runner::fetch);
      for (Op target : targets) {
        runner.addTarget(target);
      }
      try (Result result = runner.run()) {
        List<float[]> values = new ArrayList<>();
        for (int i = 0; i < fetches.size(); i++) {
          values.add(toArray((TFloat32) result.get(i)));
        }
        return values;
      }
    } finally {
      tensors.values().forEach(TFloat32::close);
    }
  }

  /** Runs the graph once and returns the single fetch. */
  public static float[] run(
      Workspace ws, Map<? extends Operand<?>, float[]> feeds, Operand<?> fetch) {
    return run(ws, feeds, List.of(fetch)).get(0);
  }

  /** A tensor built from a Java array (never {@code tensorOf(shape)}, which is not zeroed). */
  public static TFloat32 tensor(Shape shape, float[] values) {
    return TFloat32.tensorOf(shape, DataBuffers.of(values, true, false));
  }

  /** {@code shape} with its one unknown axis (if any) resolved from the number of values. */
  public static Shape concrete(Shape shape, int length) {
    long[] dims = shape.asArray();
    long known = 1;
    int unknown = -1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] < 0) {
        unknown = i;
      } else {
        known *= dims[i];
      }
    }
    if (unknown >= 0) {
      dims[unknown] = length / known;
    }
    return Shape.of(dims);
  }

  /** The number of ops of a type (e.g. {@code VariableV2}) in the workspace's graph. */
  public static int countOps(Workspace ws, String type) {
    int count = 0;
    for (var it = ws.graph().operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (op.type().equals(type)) {
        count++;
      }
    }
    return count;
  }

  /**
   * {@code n} reproducible values in {@code [-1, 1]} whose magnitude is at least {@code minAbs}.
   */
  public static float[] randomValues(long seed, int n, float minAbs) {
    Random random = new Random(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      float magnitude = minAbs + (1f - minAbs) * random.nextFloat();
      values[i] = random.nextBoolean() ? magnitude : -magnitude;
    }
    return values;
  }

  static float[] toArray(TFloat32 tensor) {
    float[] values = new float[(int) tensor.size()];
    tensor.asRawTensor().data().asFloats().read(values);
    return values;
  }
}
