/**
 * A small Keras-style layer toolkit on TensorFlow Java ops: {@link io.github.homl.layers.Layer}
 * (the contract), {@link io.github.homl.layers.AbstractLayer} (build once, then call), the layers
 * chapter 17 uses, and {@link io.github.homl.layers.Sequential}. Start with {@code Dense}: a layer
 * creates its weights in {@code build} on the first {@code apply}, and {@code call} only adds ops,
 * so a training path and an inference path share the same variables.
 */
package io.github.homl.layers;
