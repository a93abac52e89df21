package io.github.homl.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniformInt;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * The random ops of a graph, made reproducible step by step. Every op is stateless and seeded by
 * two numbers: its own seed, drawn once from the {@link SeedStream} when the graph is built, and
 * the graph's <em>random key</em>, a scalar fed at each {@code Session.run}. The training loop
 * feeds a key computed from the run's seed, the epoch and the step, so an interrupted and resumed
 * run draws exactly the noise, dropout masks and time steps of an uninterrupted one (stateful TF
 * random ops keep their state in the kernel, where no checkpoint can reach it). A run that feeds no
 * key (a figure, a sampler) gets a fresh random key and so fresh noise each time, as {@code
 * tf.random.normal} does in the book.
 */
public final class RandomOps {

  private final Ops tf;
  private final SeedStream seeds;
  private final Operand<TInt64> key;

  private RandomOps(Ops tf, SeedStream seeds, Operand<TInt64> key) {
    this.tf = tf;
    this.seeds = seeds;
    this.key = key;
  }

  /**
   * The random ops of a graph whose key is {@code random_key}: fed by the training loop, else drawn
   * from a stateful generator seeded with {@code seed}.
   */
  public static RandomOps create(Ops tf, SeedStream seeds, long seed) {
    Operand<TInt64> fresh =
        tf.random.randomUniformInt(
            tf.constant(new int[0]),
            tf.constant(0L),
            tf.constant(Long.MAX_VALUE),
            RandomUniformInt.seed(seed),
            RandomUniformInt.seed2(seed >>> 1));
    return new RandomOps(
        tf, seeds, tf.withName("random_key").placeholderWithDefault(fresh, Shape.scalar()));
  }

  /** The scalar int64 key the training loop feeds ({@code random_key}). */
  public Operand<TInt64> key() {
    return key;
  }

  /** The same random ops building with {@code ops} (a sub-scope of the same graph). */
  RandomOps with(Ops ops) {
    return new RandomOps(ops, seeds, key);
  }

  /** N(0, 1) values of {@code shape}; no gradient flows into them. */
  public Operand<TFloat32> normal(Operand<? extends TNumber> shape) {
    return tf.stopGradient(tf.random.statelessRandomNormal(shape, nextSeed(), TFloat32.class));
  }

  /** N(0, 1) values of a fixed shape. */
  public Operand<TFloat32> normal(long... dims) {
    return normal(tf.constant(dims));
  }

  /** U[0, 1) values of {@code shape}; no gradient flows into them. */
  public Operand<TFloat32> uniform(Operand<? extends TNumber> shape) {
    return tf.stopGradient(tf.random.statelessRandomUniform(shape, nextSeed(), TFloat32.class));
  }

  /** Integers uniform in {@code [from, to)}, of {@code shape}. */
  public Operand<TInt32> uniformInt(Operand<? extends TNumber> shape, int from, int to) {
    return tf.random.statelessRandomUniformInt(
        shape, nextSeed(), tf.constant(from), tf.constant(to));
  }

  /** {@code [op seed, key]}: a new op seed from the stream, paired with the step's key. */
  private Operand<TInt64> nextSeed() {
    return tf.stack(List.of(tf.constant(seeds.next()), key));
  }
}
