package io.github.homl.layers;

/**
 * Keras's {@code padding="same"} (output size = ceil(input / stride)) or {@code "valid"} (no
 * padding).
 */
public enum Padding {
  SAME,
  VALID;

  /** The op attribute TF expects. */
  String attribute() {
    return name();
  }
}
