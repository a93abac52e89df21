package io.github.homl.layers;

/**
 * Whether a call builds the training path or the inference path (Keras's {@code training} flag).
 */
public enum Mode {
  TRAINING,
  INFERENCE
}
