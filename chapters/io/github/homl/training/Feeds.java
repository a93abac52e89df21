package io.github.homl.training;

import io.github.homl.data.Images;
import io.github.homl.data.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * What one {@code Session.run} feeds: each placeholder with a typed host value. Images, vectors
 * (codings), integer labels and time steps, float scalars (ProGAN's α) and int64 scalars (the
 * random key) each have their own method, which checks the value against the placeholder's static
 * shape. The tensors are made when the run starts and closed when it ends ({@link
 * Workspace#runAll}).
 */
public final class Feeds {

  private record Feed(Operand<?> placeholder, Supplier<Tensor> tensor) {}

  private final List<Feed> feeds = new ArrayList<>();

  private Feeds() {}

  /** No feeds yet. */
  public static Feeds of() {
    return new Feeds();
  }

  /**
   * Images {@code [n, h, w]} for a placeholder of shape {@code [batch, h, w]} or {@code [batch, h,
   * w, 1]} (channels last); a placeholder of unknown shape gets {@code [n, h, w]}.
   */
  public Feeds images(Operand<TFloat32> placeholder, Images images) {
    Shape expected = placeholder.shape();
    long[] dims = {images.count(), images.height(), images.width()};
    if (!expected.isUnknown()) {
      long[] want = expected.asArray();
      boolean channel = want.length == 4 && want[3] == 1;
      if ((want.length != 3 && !channel)
          || !fits(want[1], images.height())
          || !fits(want[2], images.width())) {
        throw mismatch(placeholder, images.toString());
      }
      dims = channel ? new long[] {images.count(), images.height(), images.width(), 1} : dims;
    }
    long[] shape = dims;
    return add(placeholder, floats(images.pixels(), shape));
  }

  /** Vectors {@code [n, size]} for a placeholder of shape {@code [batch, size]}. */
  public Feeds vectors(Operand<TFloat32> placeholder, Vectors vectors) {
    Shape expected = placeholder.shape();
    if (!expected.isUnknown()
        && (expected.numDimensions() != 2 || !fits(expected.get(1), vectors.size()))) {
      throw mismatch(placeholder, vectors.toString());
    }
    return add(placeholder, floats(vectors.values(), vectors.count(), vectors.size()));
  }

  /** Float values of any fully known shape, row-major (a tensor of a test, a raw batch). */
  public Feeds floats(Operand<TFloat32> placeholder, float[] values, long... shape) {
    checkShape(placeholder, values.length, shape);
    return add(placeholder, floats(values.clone(), shape));
  }

  /** Integers of any fully known shape, row-major (token ids {@code [n, length]}). */
  public Feeds ints(Operand<TInt32> placeholder, int[] values, long... shape) {
    checkShape(placeholder, values.length, shape);
    int[] copy = values.clone();
    return add(placeholder, () -> TInt32.tensorOf(Shape.of(shape), DataBuffers.of(copy)));
  }

  private static void checkShape(Operand<?> placeholder, int length, long... shape) {
    long size = 1;
    for (long dim : shape) {
      size *= dim;
    }
    Shape expected = placeholder.shape();
    boolean fits =
        size == length && (expected.isUnknown() || expected.numDimensions() == shape.length);
    for (int i = 0; fits && !expected.isUnknown() && i < shape.length; i++) {
      fits = fits(expected.get(i), shape[i]);
    }
    if (!fits) {
      throw mismatch(placeholder, length + " values of shape " + Shape.of(shape));
    }
  }

  /** Integers {@code [n]}: class labels, diffusion time steps. */
  public Feeds ints(Operand<TInt32> placeholder, int... values) {
    int[] copy = values.clone();
    return vector(placeholder, copy.length, shape -> TInt32.tensorOf(shape, DataBuffers.of(copy)));
  }

  /** A float scalar, such as ProGAN's fade-in α. */
  public Feeds scalar(Operand<TFloat32> placeholder, float value) {
    return add(placeholder, () -> TFloat32.scalarOf(value));
  }

  /** Int64 integers {@code [n]}: time steps of a model whose {@code time} input is int64. */
  public Feeds longs(Operand<TInt64> placeholder, long... values) {
    long[] copy = values.clone();
    return vector(placeholder, copy.length, shape -> TInt64.tensorOf(shape, DataBuffers.of(copy)));
  }

  /** An int32 scalar, such as a sampler's time step. */
  public Feeds scalarInt(Operand<TInt32> placeholder, int value) {
    return add(placeholder, () -> TInt32.scalarOf(value));
  }

  /** An int64 scalar, such as the random key of a training step. */
  public Feeds scalarLong(Operand<TInt64> placeholder, long value) {
    return add(placeholder, () -> TInt64.scalarOf(value));
  }

  /** Feeds these tensors to {@code runner}, adding each made tensor to {@code made}. */
  void applyTo(Session.Runner runner, List<Tensor> made) {
    for (Feed feed : feeds) {
      Tensor tensor = feed.tensor().get();
      made.add(tensor);
      runner.feed(feed.placeholder(), tensor);
    }
  }

  private Feeds add(Operand<?> placeholder, Supplier<Tensor> tensor) {
    feeds.add(new Feed(placeholder, tensor));
    return this;
  }

  private static Supplier<Tensor> floats(float[] values, long... shape) {
    return () -> TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
  }

  /** A vector {@code [length]} for a placeholder of shape {@code [n]}, made by {@code tensor}. */
  private Feeds vector(Operand<?> placeholder, int length, Function<Shape, Tensor> tensor) {
    Shape expected = placeholder.shape();
    if (!expected.isUnknown()
        && (expected.numDimensions() != 1 || !fits(expected.get(0), length))) {
      throw mismatch(placeholder, length + " integers");
    }
    return add(placeholder, () -> tensor.apply(Shape.of(length)));
  }

  private static boolean fits(long expected, long actual) {
    return expected < 0 || expected == actual;
  }

  private static IllegalArgumentException mismatch(Operand<?> placeholder, String got) {
    return new IllegalArgumentException(
        "input "
            + placeholder.op().name()
            + " expects shape "
            + placeholder.shape()
            + ", got "
            + got);
  }
}
