package io.github.homl.saving;

import java.util.Arrays;
import java.util.Objects;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A dense array of float32 or int32 values with its shape, in row-major (C) order: what a {@link
 * LoadedModel} takes and returns, and what an {@link Npy} file holds. Never shares its arrays.
 */
public final class TensorValue {

  /** The element types a value can hold, named as NumPy and TensorFlow name them. */
  public enum DType {
    FLOAT32("float32", DataType.DT_FLOAT),
    INT32("int32", DataType.DT_INT32);

    private final String label;
    private final DataType proto;

    DType(String label, DataType proto) {
      this.label = label;
      this.proto = proto;
    }

    DataType proto() {
      return proto;
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

  private TensorValue(DType dtype, long[] shape, float[] floats, int[] ints) {
    this.dtype = dtype;
    this.shape = shape.clone();
    long size = 1;
    for (long dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape)
            + " has a negative dimension; a value needs a fully known shape");
      }
      size *= dim;
    }
    int length = floats != null ? floats.length : ints.length;
    if (size != length) {
      throw new IllegalArgumentException(length + " values do not fill shape "
          + Arrays.toString(shape) + " (" + size + " elements)");
    }
    this.floats = floats == null ? null : floats.clone();
    this.ints = ints == null ? null : ints.clone();
  }

  /** Float32 values of the given shape (row-major). */
  public static TensorValue of(float[] values, long... shape) {
    return new TensorValue(DType.FLOAT32, shape, Objects.requireNonNull(values, "values"), null);
  }

  /** Int32 values of the given shape (row-major), e.g. the diffusion model's {@code time}. */
  public static TensorValue ofInts(int[] values, long... shape) {
    return new TensorValue(DType.INT32, shape, null, Objects.requireNonNull(values, "values"));
  }

  public DType dtype() {
    return dtype;
  }

  public long[] shape() {
    return shape.clone();
  }

  /** The number of elements. */
  public int size() {
    return floats != null ? floats.length : ints.length;
  }

  /** A copy of the float32 values; an error for an int32 value. */
  public float[] floats() {
    if (floats == null) {
      throw new IllegalStateException("this value is " + dtype + ", not float32");
    }
    return floats.clone();
  }

  /** A copy of the int32 values; an error for a float32 value. */
  public int[] ints() {
    if (ints == null) {
      throw new IllegalStateException("this value is " + dtype + ", not int32");
    }
    return ints.clone();
  }

  /** A new tensor holding a copy of this value; the caller closes it. */
  Tensor toTensor() {
    Shape tensorShape = Shape.of(shape);
    return floats != null
        ? TFloat32.tensorOf(tensorShape, DataBuffers.of(floats, true, false))
        : TInt32.tensorOf(tensorShape, DataBuffers.of(ints, true, false));
  }

  /** A copy of a float32 or int32 tensor; {@code what} names it in the error for other types. */
  static TensorValue fromTensor(Tensor tensor, String what) {
    long[] dims = tensor.shape().asArray();
    if (tensor instanceof TFloat32) {
      float[] values = new float[(int) tensor.shape().size()];
      tensor.asRawTensor().data().asFloats().read(values);
      return new TensorValue(DType.FLOAT32, dims, values, null);
    }
    if (tensor instanceof TInt32) {
      int[] values = new int[(int) tensor.shape().size()];
      tensor.asRawTensor().data().asInts().read(values);
      return new TensorValue(DType.INT32, dims, null, values);
    }
    throw new IllegalArgumentException(what + " is " + TensorSpec.dtypeName(tensor.dataType())
        + "; only float32 and int32 values can be read");
  }

  @Override
  public String toString() {
    return dtype + " " + Arrays.toString(shape);
  }
}
