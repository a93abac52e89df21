package io.github.homl.saving;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A signature of a SavedModel: its key ({@code serving_default}, {@code encode}, ...) and its
 * inputs and outputs, each sorted by name.
 */
public record SignatureInfo(String key, List<TensorSpec> inputs, List<TensorSpec> outputs) {

  public SignatureInfo {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** The input called {@code name}, or null. */
  public TensorSpec input(String name) {
    return inputs.stream().filter(spec -> spec.name().equals(name)).findFirst().orElse(null);
  }

  /** {@code serving_default(codings: float32 [-1, 10]) -> (images: float32 [-1, 28, 28])}. */
  @Override
  public String toString() {
    return key + "(" + join(inputs) + ") -> (" + join(outputs) + ")";
  }

  private static String join(List<TensorSpec> specs) {
    return specs.stream().map(TensorSpec::toString).collect(Collectors.joining(", "));
  }
}
