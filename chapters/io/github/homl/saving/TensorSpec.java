package io.github.homl.saving;

import io.github.homl.data.TensorValue;
import java.util.Arrays;
import java.util.Locale;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * One input or output of a signature: its name, element type ({@code float32}, {@code int32}, ...)
 * and shape, where {@code -1} is a dimension of any size (the batch) and an unknown rank accepts
 * any shape.
 */
public record TensorSpec(String name, String dtype, Shape shape) {

  /** Whether {@code value} has this spec's type and a shape it accepts. */
  public boolean accepts(TensorValue value) {
    return dtype.equals(value.dtype().toString()) && acceptsShape(value.shape());
  }

  /**
   * Throws if {@code value} does not fit this input: {@code input 'x' must be float32, got int32}
   * followed by {@code dtypeNote}, or {@code input 'x' must have shape [-1, 10], got [3, 4]}
   * followed by {@code shapeNote}.
   *
   * @throws IllegalArgumentException if the dtype or the shape is not this spec's
   */
  void checkValue(TensorValue value, String dtypeNote, String shapeNote) {
    if (!dtype.equals(value.dtype().toString())) {
      throw new IllegalArgumentException(
          "input '" + name + "' must be " + dtype + ", got " + value.dtype() + dtypeNote);
    }
    if (!acceptsShape(value.shape())) {
      throw new IllegalArgumentException(
          "input '"
              + name
              + "' must have shape "
              + shapeString(shape)
              + ", got "
              + Arrays.toString(value.shape())
              + shapeNote);
    }
  }

  boolean acceptsShape(long[] dims) {
    if (shape.isUnknown()) {
      return true;
    }
    if (shape.numDimensions() != dims.length) {
      return false;
    }
    for (int i = 0; i < dims.length; i++) {
      if (shape.get(i) >= 0 && shape.get(i) != dims[i]) {
        return false;
      }
    }
    return true;
  }

  /** {@code codings: float32 [-1, 10]}. */
  @Override
  public String toString() {
    return name + ": " + dtype + " " + shapeString(shape);
  }

  static String shapeString(Shape shape) {
    if (shape.isUnknown()) {
      return "[any shape]";
    }
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < shape.numDimensions(); i++) {
      text.append(i == 0 ? "" : ", ").append(shape.get(i));
    }
    return text.append(']').toString();
  }

  /** TensorFlow's dtype as Python names it: DT_FLOAT is float32, DT_INT64 int64, ... */
  static String dtypeName(DataType type) {
    switch (type) {
      case DT_FLOAT:
        return "float32";
      case DT_DOUBLE:
        return "float64";
      case DT_HALF:
        return "float16";
      default:
        return type.name().replaceFirst("^DT_", "").toLowerCase(Locale.ROOT);
    }
  }
}
