package io.github.homl.data;

/** Row gathering shared by {@link Images} and {@link Vectors}: both hold rows of floats. */
final class Rows {

  private Rows() {}

  /**
   * The rows of {@code values} (each {@code size} floats, {@code count} of them, called {@code
   * what} in errors) at {@code indices}, in that order; an index may repeat.
   */
  static float[] gather(float[] values, int size, int count, int[] indices, String what) {
    float[] copy = new float[indices.length * size];
    for (int k = 0; k < indices.length; k++) {
      int i = indices[k];
      if (i < 0 || i >= count) {
        throw new IndexOutOfBoundsException(
            "index " + i + " at position " + k + " out of range for " + count + " " + what);
      }
      System.arraycopy(values, i * size, copy, k * size, size);
    }
    return copy;
  }
}
