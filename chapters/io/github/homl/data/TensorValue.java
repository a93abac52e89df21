package io.github.homl.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense array of float32, int32 or int64 values with its shape, in row-major (C) order: what an
 * {@link Npy} file holds, and what a loaded SavedModel ({@code saving.LoadedModel}) takes and
 * returns. Never shares its arrays.
 */
public final class TensorValue {

  /** The element types a value can hold, named as NumPy and TensorFlow name them. */
  public enum DType {
    FLOAT32("float32"),
    INT32("int32"),
    INT64("int64");

    private final String label;

    DType(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  private final DType dtype;
  private final long[] shape;
  private final float[] floats;
  private final int[] ints;
  private final long[] longs;

  private TensorValue(DType dtype, long[] shape, float[] floats, int[] ints) {
    this(dtype, shape, floats, ints, null);
  }

  private TensorValue(DType dtype, long[] shape, float[] floats, int[] ints, long[] longs) {
    this.dtype = dtype;
    this.shape = shape.clone();
    long size = 1;
    for (long dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException(
            "shape "
                + Arrays.toString(shape)
                + " has a negative dimension; a value needs a fully known shape");
      }
      size *= dim;
    }
    int length = floats != null ? floats.length : ints != null ? ints.length : longs.length;
    if (size != length) {
      throw new IllegalArgumentException(
          length
              + " values do not fill shape "
              + Arrays.toString(shape)
              + " ("
              + size
              + " elements)");
    }
    this.floats = floats == null ? null : floats.clone();
    this.ints = ints == null ? null : ints.clone();
    this.longs = longs == null ? null : longs.clone();
  }

  /** Float32 values of the given shape (row-major). */
  public static TensorValue of(float[] values, long... shape) {
    return new TensorValue(DType.FLOAT32, shape, Objects.requireNonNull(values, "values"), null);
  }

  /** Int32 values of the given shape (row-major), e.g. the diffusion model's {@code time}. */
  public static TensorValue ofInts(int[] values, long... shape) {
    return new TensorValue(DType.INT32, shape, null, Objects.requireNonNull(values, "values"));
  }

  /** Int64 values of the given shape (row-major), e.g. a Keras 3 time input of dtype int64. */
  public static TensorValue ofLongs(long[] values, long... shape) {
    return new TensorValue(
        DType.INT64, shape, null, null, Objects.requireNonNull(values, "values"));
  }

  /** Integer values of the given shape in {@code dtype} (int32 or int64). */
  public static TensorValue ofIntegers(DType dtype, int[] values, long... shape) {
    switch (dtype) {
      case INT32:
        return ofInts(values, shape);
      case INT64:
        return ofLongs(Arrays.stream(values).asLongStream().toArray(), shape);
      default:
        throw new IllegalArgumentException("integer values cannot be " + dtype);
    }
  }

  public DType dtype() {
    return dtype;
  }

  public long[] shape() {
    return shape.clone();
  }

  /** The number of elements. */
  public int size() {
    return floats != null ? floats.length : ints != null ? ints.length : longs.length;
  }

  /** A copy of the float32 values; an error for an int32 value. */
  public float[] floats() {
    if (floats == null) {
      throw new IllegalStateException("this value is " + dtype + ", not float32");
    }
    return floats.clone();
  }

  /** A copy of the int32 values; an error for a float32 or int64 value. */
  public int[] ints() {
    if (ints == null) {
      throw new IllegalStateException("this value is " + dtype + ", not int32");
    }
    return ints.clone();
  }

  /** A copy of the int64 values; an error for a float32 or int32 value. */
  public long[] longs() {
    if (longs == null) {
      throw new IllegalStateException("this value is " + dtype + ", not int64");
    }
    return longs.clone();
  }

  @Override
  public String toString() {
    return dtype + " " + Arrays.toString(shape);
  }
}
