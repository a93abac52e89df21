package io.github.homl.training;

import io.github.homl.data.Images;
import io.github.homl.layers.Layer;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** The inference path of one model, built once, run in batches ({@code model.predict}). */
final class Predictor {

  private static final int BATCH_SIZE = 256;

  private final Workspace ws;
  private final Placeholder<TFloat32> x;
  private final Operand<TFloat32> y;

  Predictor(Workspace ws, Layer model, int height, int width) {
    this.ws = ws;
    // images of width 1 are a batch of vectors (codings): [batch, height]
    this.x = width == 1 ? ws.placeholder(-1, height) : ws.placeholder(-1, height, width);
    this.y = model.apply(ws.inference(), x);
  }

  Images predict(Images images) {
    // [batch, h, w(, 1)] images, or [batch, n] codings seen as n x 1 "images"
    int outHeight = (int) y.shape().get(1);
    int outWidth = 1;
    for (int axis = 2; axis < y.shape().numDimensions(); axis++) {
      outWidth *= (int) y.shape().get(axis);
    }
    float[] out = new float[images.count() * outHeight * outWidth];
    for (int from = 0; from < images.count(); from += BATCH_SIZE) {
      Images batch = images.slice(from, Math.min(images.count(), from + BATCH_SIZE));
      float[] values = ws.run(y, Map.of(x, batch));
      System.arraycopy(values, 0, out, from * outHeight * outWidth, values.length);
    }
    return new Images(out, images.count(), outHeight, outWidth);
  }
}
