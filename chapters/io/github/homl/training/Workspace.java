package io.github.homl.training;

import io.github.homl.data.Images;
import io.github.homl.layers.CallContext;
import io.github.homl.layers.Layer;
import io.github.homl.layers.Mode;
import io.github.homl.layers.SeedStream;
import io.github.homl.layers.Trainable;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.types.TFloat32;

/**
 * One graph, its session and a seed stream: everything a section builds lives here, and closing the
 * workspace frees it all. {@code Workspace.create(42)} stands for the book's {@code
 * tf.random.set_seed(42)}: every weight initializer and random op draws its seed from it, so a run is
 * reproducible (we do not promise bit-equality with Python).
 */
public final class Workspace implements AutoCloseable {

  private final Graph graph;
  private final Session session;
  private final Ops tf;
  private final SeedStream seeds;
  private final Map<Layer, Predictor> predictors = new IdentityHashMap<>();

  private Workspace(long seed) {
    this.graph = new Graph();
    this.session = new Session(graph);
    this.tf = Ops.create(graph);
    this.seeds = new SeedStream(seed);
  }

  public static Workspace create(long seed) {
    return new Workspace(seed);
  }

  public Ops tf() {
    return tf;
  }

  public Graph graph() {
    return graph;
  }

  public Session session() {
    return session;
  }

  public SeedStream seeds() {
    return seeds;
  }

  /** A fresh context for one training path (Dropout and noise active). */
  public CallContext training() {
    return CallContext.of(tf, Mode.TRAINING, seeds);
  }

  /** A fresh context for one inference path (what Keras runs for {@code model(x)} and predict). */
  public CallContext inference() {
    return CallContext.of(tf, Mode.INFERENCE, seeds);
  }

  /** A float placeholder; use -1 for the batch axis. */
  public Placeholder<TFloat32> placeholder(long... dims) {
    return tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(dims)));
  }

  /** Seeded standard normal noise of a fixed shape, fresh at every run ({@code tf.random.normal}). */
  public Operand<TFloat32> normal(long... dims) {
    long seed = seeds.next();
    return tf.stopGradient(tf.random.randomStandardNormal(tf.constant(dims), TFloat32.class,
        RandomStandardNormal.seed(seed), RandomStandardNormal.seed2(seed >>> 1)));
  }

  /** Keras's {@code model.compile(loss=..., optimizer=...)}. */
  public Trainer compile(Layer model, Loss loss, Supplier<KerasOptimizer> optimizer) {
    return new Trainer(this, model, loss, optimizer);
  }

  /**
   * One update of exactly {@code owner}'s trainable variables by the gradient of {@code loss}: the
   * GradientTape step of the book's custom loops.
   */
  public TrainStep trainStep(Operand<TFloat32> loss, Trainable owner,
      Supplier<KerasOptimizer> optimizer) {
    Op train = optimizer.get().minimize(tf, loss, owner.trainableVariables());
    return new TrainStep(this, train, loss);
  }

  /** Runs {@code model} in inference mode on {@code x}, in batches of 256. */
  public Images predict(Layer model, Images x) {
    return predictors.computeIfAbsent(model, m -> new Predictor(this, m, x.height(), x.width()))
        .predict(x);
  }

  /** Runs the graph once and returns {@code fetch} as a flat float array. */
  public float[] run(Operand<TFloat32> fetch, Map<Operand<TFloat32>, Images> feeds) {
    return runAll(List.of(fetch), feeds).get(0);
  }

  /** Runs the graph once, feeding images, and returns every fetch as a flat float array. */
  public List<float[]> runAll(List<Operand<TFloat32>> fetches, Map<Operand<TFloat32>, Images> feeds) {
    Map<Operand<TFloat32>, TFloat32> tensors = new IdentityHashMap<>();
    try {
      Session.Runner runner = session.runner();
      for (var feed : feeds.entrySet()) {
        TFloat32 tensor = tensorFor(feed.getKey(), feed.getValue());
        tensors.put(feed.getKey(), tensor);
        runner.feed(feed.getKey(), tensor);
      }
      fetches.forEach(runner::fetch);
      try (Result result = runner.run()) {
        return java.util.stream.IntStream.range(0, fetches.size())
            .mapToObj(i -> toArray((TFloat32) result.get(i))).toList();
      }
    } finally {
      tensors.values().forEach(TFloat32::close);
    }
  }

  /**
   * A tensor holding a copy of the images, shaped for {@code placeholder}: {@code [count] +} the
   * placeholder's non-batch dimensions when they are all known (so {@code [n, 28, 28, 1]} for a
   * channels-last input, {@code [n, 10]} for codings travelling as images of width 1), else {@code
   * [count, height, width]}.
   */
  static TFloat32 tensorFor(Operand<TFloat32> placeholder, Images images) {
    Shape expected = placeholder.shape();
    if (expected.isUnknown() || expected.numDimensions() < 2) {
      return tensorOf(images);
    }
    long[] dims = expected.asArray();
    long perItem = 1;
    for (int i = 1; i < dims.length; i++) {
      if (dims[i] < 0) {
        return tensorOf(images);
      }
      perItem *= dims[i];
    }
    if (perItem != images.pixelsPerImage()) {
      throw new IllegalArgumentException("input " + placeholder.op().name() + " expects shape "
          + expected + " but got " + images.count() + " items of " + images.height() + "x"
          + images.width());
    }
    dims[0] = images.count();
    return TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(images.pixels(), true, false));
  }

  /** A tensor of shape {@code [count, height, width]} holding a copy of the images. */
  public static TFloat32 tensorOf(Images images) {
    return TFloat32.tensorOf(Shape.of(images.count(), images.height(), images.width()),
        DataBuffers.of(images.pixels(), true, false));
  }

  static float[] toArray(TFloat32 tensor) {
    float[] values = new float[(int) tensor.size()];
    tensor.asRawTensor().data().asFloats().read(values);
    return values;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
