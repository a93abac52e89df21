package io.github.homl.training;

import io.github.homl.data.Images;
import io.github.homl.data.Vectors;
import io.github.homl.layers.CallContext;
import io.github.homl.layers.Layer;
import io.github.homl.layers.Mode;
import io.github.homl.layers.RandomOps;
import io.github.homl.layers.SeedStream;
import io.github.homl.layers.Trainable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * One graph, its session and a seed stream: everything a section builds lives here, and closing the
 * workspace frees it all. {@code Workspace.create(42)} stands for the book's {@code
 * tf.random.set_seed(42)}: every weight initializer and random op draws its seed from it, so a run
 * is reproducible (we do not promise bit-equality with Python).
 */
public final class Workspace implements AutoCloseable {

  private final Graph graph;
  private final Session session;
  private final Ops tf;
  private final Seeds seeds;
  private final SeedStream opSeeds;
  private final RandomOps random;
  private final Map<PredictorKey, Predictor> predictors = new java.util.HashMap<>();
  private RunTrace trace;
  private VariableSaver saver;

  static {
    TensorFlowEnvironment.prepare(); // before TensorFlow loads, if this class comes first
  }

  private Workspace(Seeds seeds, ConfigProto config) {
    this.graph = new Graph();
    this.session = new Session(graph, config);
    this.tf = Ops.create(graph);
    this.seeds = seeds;
    this.opSeeds = new SeedStream(seeds.graph());
    // the unfed key's generator takes no seed from the stream: weights stay those of the seed
    this.random = RandomOps.create(tf, opSeeds, seeds.graph() ^ 0x5DEECE66DL);
  }

  /** A workspace whose graph draws its seeds from {@code seeds.graph()}. */
  public static Workspace create(Seeds seeds) {
    return create(seeds, Precision.FLOAT32);
  }

  /** {@link #create(Seeds)} whose session trains in {@code precision} ({@code --precision}). */
  public static Workspace create(Seeds seeds, Precision precision) {
    return new Workspace(seeds, precision.apply(ConfigProto.getDefaultInstance()));
  }

  /** {@link #create(Seeds)} from the run's seed {@code seed}. */
  public static Workspace create(long seed) {
    return create(Seeds.of(seed));
  }

  /**
   * A workspace for a model of small dense layers (the MLP autoencoders, the simple GAN): each
   * kernel runs on one core, while independent kernels still run side by side. TensorFlow's default
   * splits every kernel across the cores, and for a 32 × 784 matrix product or a 784-float update
   * the hand-off costs more than the split saves: on two cores the stacked autoencoder trains ~30%
   * faster this way, the simple GAN ~20%, the VAE ~8%, while the DCGAN loses ~30% (see
   * docs/performance.md). Same results: only the threads change. The one thread stays with this
   * session: later sessions of the JVM get their own pools ({@link TensorFlowEnvironment}).
   */
  public static Workspace forDenseModel(Seeds seeds) {
    return forDenseModel(seeds, Precision.FLOAT32);
  }

  /** {@link #forDenseModel(Seeds)} whose session trains in {@code precision}. */
  public static Workspace forDenseModel(Seeds seeds, Precision precision) {
    return new Workspace(seeds, precision.apply(DENSE_MODEL_SESSION));
  }

  /** {@link #forDenseModel(Seeds)} from the run's seed {@code seed}. */
  public static Workspace forDenseModel(long seed) {
    return forDenseModel(Seeds.of(seed));
  }

  /** The session options of {@link #forDenseModel}: one thread per kernel (intra-op pool of 1). */
  public static final ConfigProto DENSE_MODEL_SESSION =
      ConfigProto.newBuilder().setIntraOpParallelismThreads(1).build();

  public Ops tf() {
    return tf;
  }

  public Graph graph() {
    return graph;
  }

  public Session session() {
    return session;
  }

  /** The run's seeds, each named for what it draws (batch order, the figures' noise, ...). */
  public Seeds seeds() {
    return seeds;
  }

  /** The stream each random op and initializer of this graph draws its op seed from. */
  public SeedStream opSeeds() {
    return opSeeds;
  }

  /**
   * Sets {@code variables} to the values saved under their names in the checkpoint files {@code
   * prefix} (a checkpoint's or a SavedModel's {@code variables/variables}): the restore of {@link
   * Checkpoints}, for a chosen list of variables.
   *
   * @throws org.tensorflow.exceptions.TensorFlowException when a name is missing from the files or
   *     a shape differs
   */
  public void restore(List<? extends Variable<?>> variables, String prefix) {
    List<Output<?>> outputs = new ArrayList<>();
    variables.forEach(v -> outputs.add(v.asOutput()));
    VariableSaver.of(tf, outputs).restore(session, prefix);
  }

  /** A saver of every variable the graph holds now (checkpoints). */
  VariableSaver saver() {
    saver = VariableSaver.upToDate(tf, saver);
    return saver;
  }

  /** The graph's random ops, keyed by the training loop ({@link RandomOps}). */
  public RandomOps random() {
    return random;
  }

  /** A fresh context for one training path (Dropout and noise active). */
  public CallContext training() {
    return CallContext.of(tf, Mode.TRAINING, opSeeds, random);
  }

  /**
   * A training context whose every op runs after {@code after}: the second phase of a step that
   * runs both phases in one {@code Session.run} ({@link GradientUpdate#runThen}), which must see
   * the first phase's update, as two {@code train_on_batch} calls in a row do.
   */
  public CallContext training(Op after) {
    return CallContext.of(
        tf.withControlDependencies(List.of(after)), Mode.TRAINING, opSeeds, random);
  }

  /** A fresh context for one inference path (what Keras runs for {@code model(x)} and predict). */
  public CallContext inference() {
    return CallContext.of(tf, Mode.INFERENCE, opSeeds, random);
  }

  /** The feeds of a training loop's step: to begin with, its random key. */
  public Feeds feeds(TrainingStep.Batch batch) {
    return Feeds.of().scalarLong(random.key(), batch.randomKey());
  }

  /** A float placeholder; use -1 for the batch axis. */
  public Placeholder<TFloat32> placeholder(long... dims) {
    return tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(dims)));
  }

  /**
   * Seeded standard normal noise of a fixed shape, fresh at every run ({@code tf.random.normal}).
   */
  public Operand<TFloat32> normal(long... dims) {
    return random.normal(dims);
  }

  /** Keras's {@code model.compile(loss=..., optimizer=...)}. */
  public Trainer compile(Layer model, Loss loss, Supplier<KerasOptimizer> optimizer) {
    return new Trainer(this, model, loss, optimizer);
  }

  /**
   * One update of exactly {@code owner}'s trainable variables by the gradient of {@code loss}: the
   * GradientTape step of the book's custom loops.
   */
  public GradientUpdate gradientUpdate(
      Operand<TFloat32> loss, Trainable owner, Supplier<KerasOptimizer> optimizer) {
    Op train = optimizer.get().minimize(tf, loss, owner.trainableVariables());
    return new GradientUpdate(this, train, loss);
  }

  /** Runs an image model in inference mode on {@code x}, in batches ({@code model.predict}). */
  public Images predict(Layer model, Images x) {
    Predictor p = predictor(model, new long[] {-1, x.height(), x.width()});
    return p.predict(x.count(), (ph, from, to) -> Feeds.of().images(ph, x.slice(from, to)))
        .asImages();
  }

  /** Runs a decoder or generator ({@code [n, k]} codings to images) in inference mode. */
  public Images predict(Layer model, Vectors codings) {
    Predictor p = predictor(model, new long[] {-1, codings.size()});
    return p.predict(
            codings.count(), (ph, from, to) -> Feeds.of().vectors(ph, slice(codings, from, to)))
        .asImages();
  }

  /** Runs an encoder (images to {@code [n, k]} vectors) in inference mode. */
  public Vectors encode(Layer model, Images x) {
    Predictor p = predictor(model, new long[] {-1, x.height(), x.width()});
    return p.predict(x.count(), (ph, from, to) -> Feeds.of().images(ph, x.slice(from, to)))
        .asVectors();
  }

  private Predictor predictor(Layer model, long[] inputShape) {
    return predictors.computeIfAbsent(
        new PredictorKey(model, java.util.Arrays.toString(inputShape)),
        k -> new Predictor(this, model, inputShape));
  }

  private record PredictorKey(Layer model, String inputShape) {
    @Override
    public boolean equals(Object o) {
      return o instanceof PredictorKey k && k.model == model && k.inputShape.equals(inputShape);
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(model) * 31 + inputShape.hashCode();
    }
  }

  private static Vectors slice(Vectors v, int from, int to) {
    return new Vectors(
        java.util.Arrays.copyOfRange(v.values(), from * v.size(), to * v.size()),
        to - from,
        v.size());
  }

  /**
   * Runs {@code op}, a batch of images {@code [n, h, w]} or {@code [n, h, w, 1]} of a known shape
   * (fresh samples of a generator), once and returns them.
   */
  public Images images(Operand<TFloat32> op) {
    long[] dims = op.shape().asArray();
    return new Images(run(op, Feeds.of()), (int) dims[0], (int) dims[1], (int) dims[2]);
  }

  /** Runs the graph once and returns {@code fetch} as a flat float array. */
  public float[] run(Operand<TFloat32> fetch, Feeds feeds) {
    return runAll(List.of(fetch), feeds).get(0);
  }

  /** Runs the graph once, feeding images only, and returns {@code fetch}. */
  public float[] run(Operand<TFloat32> fetch, Map<Operand<TFloat32>, Images> images) {
    return run(fetch, imageFeeds(images));
  }

  /** Runs the graph once, feeding images only, and returns every fetch. */
  public List<float[]> runAll(
      List<? extends Operand<TFloat32>> fetches, Map<Operand<TFloat32>, Images> images) {
    return runAll(fetches, imageFeeds(images));
  }

  /** Runs the graph once and returns every fetch as a flat float array. */
  public List<float[]> runAll(List<? extends Operand<TFloat32>> fetches, Feeds feeds) {
    return run(fetches, null, feeds);
  }

  /**
   * Runs {@code target} (an update, or null) once with {@code feeds}, fetching {@code fetches}: the
   * one path by which every run of this workspace feeds its tensors and closes them.
   */
  List<float[]> run(List<? extends Operand<TFloat32>> fetches, Op target, Feeds feeds) {
    List<Tensor> made = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      feeds.applyTo(runner, made);
      fetches.forEach(runner::fetch);
      if (target != null) {
        runner.addTarget(target);
      }
      if (trace != null) {
        runner.setOptions(RunTrace.OPTIONS);
      }
      long start = System.nanoTime();
      try (Result result = trace != null ? runner.runAndFetchMetadata() : runner.run()) {
        if (trace != null) {
          trace.add(result.getMetadata().orElseThrow(), (System.nanoTime() - start) / 1000);
        }
        List<float[]> values = new ArrayList<>();
        for (int i = 0; i < fetches.size(); i++) {
          values.add(toArray((TFloat32) result.get(i)));
        }
        return values;
      }
    } finally {
      made.forEach(Tensor::close);
    }
  }

  /** Traces every following run of this workspace into a fresh {@link RunTrace}. */
  public RunTrace trace() {
    trace = new RunTrace();
    return trace;
  }

  /** Stops tracing; runs are timed by nobody again. */
  public void stopTrace() {
    trace = null;
  }

  private static Feeds imageFeeds(Map<Operand<TFloat32>, Images> images) {
    Feeds feeds = Feeds.of();
    images.forEach(feeds::images);
    return feeds;
  }

  /** A tensor of shape {@code [count, height, width]} holding a copy of the images. */
  public static TFloat32 tensorOf(Images images) {
    return TFloat32.tensorOf(
        Shape.of(images.count(), images.height(), images.width()),
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
