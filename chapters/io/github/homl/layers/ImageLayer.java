package io.github.homl.layers;

import org.tensorflow.ndarray.Shape;

/**
 * A layer on a batch of images {@code [batch, height, width, channels]}: its first call checks the
 * input's rank with an error naming the layer, then creates its weights ({@link #buildWeights}).
 */
abstract class ImageLayer extends AbstractLayer {

  protected ImageLayer(String baseName) {
    super(baseName);
  }

  @Override
  protected final void build(CallContext ctx, Shape inputShape) {
    Layers.requireImageBatch(this, inputShape);
    buildWeights(ctx, inputShape);
  }

  /** Creates the layer's weights for {@code inputShape}; none by default (pooling, padding). */
  protected void buildWeights(CallContext ctx, Shape inputShape) {}
}
