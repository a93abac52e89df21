package io.github.homl.training;

import io.github.homl.data.Images;
import io.github.homl.data.Vectors;
import io.github.homl.layers.Layer;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** The inference path of one model for one input shape, built once, run in batches. */
final class Predictor {

  private static final int BATCH_SIZE = 256;

  /** The feeds of the inputs {@code from} to {@code to} (exclusive). */
  interface BatchFeeds {
    Feeds slice(Placeholder<TFloat32> input, int from, int to);
  }

  /** What a prediction returns: a flat array and the shape of one output. */
  record Output(float[] values, int count, long[] itemShape) {
    Images asImages() {
      if (itemShape.length < 2) {
        throw new IllegalStateException(
            "the model outputs vectors of " + itemShape[0] + ", not images");
      }
      long width = 1;
      for (int axis = 1; axis < itemShape.length; axis++) {
        width *= itemShape[axis]; // [h, w, 1] images
      }
      return new Images(values, count, (int) itemShape[0], (int) width);
    }

    Vectors asVectors() {
      if (itemShape.length != 1) {
        throw new IllegalStateException("the model outputs images, not vectors");
      }
      return new Vectors(values, count, (int) itemShape[0]);
    }
  }

  private final Workspace ws;
  private final Placeholder<TFloat32> x;
  private final Operand<TFloat32> y;

  Predictor(Workspace ws, Layer model, long[] inputShape) {
    this.ws = ws;
    this.x = ws.placeholder(inputShape);
    this.y = model.apply(ws.inference(), x);
  }

  Output predict(int count, BatchFeeds feeds) {
    long[] itemShape = new long[y.shape().numDimensions() - 1];
    int perItem = 1;
    for (int axis = 1; axis < y.shape().numDimensions(); axis++) {
      itemShape[axis - 1] = y.shape().get(axis);
      perItem *= (int) itemShape[axis - 1];
    }
    float[] out = new float[count * perItem];
    for (int from = 0; from < count; from += BATCH_SIZE) {
      int to = Math.min(count, from + BATCH_SIZE);
      float[] values = ws.run(y, feeds.slice(x, from, to));
      System.arraycopy(values, 0, out, from * perItem, values.length);
    }
    return new Output(out, count, itemShape);
  }
}
