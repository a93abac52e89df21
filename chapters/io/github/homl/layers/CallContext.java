package io.github.homl.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What a layer call needs besides its input: the ops factory (with the current name scope), the
 * mode, the seed stream for weights, the graph's keyed random ops, and the list that collects extra
 * loss terms (Keras's {@code add_loss} and activity regularizers). One context is created per model
 * path; its sub-scoped copies share the same loss list.
 */
public final class CallContext {

  private final Ops tf;
  private final Mode mode;
  private final SeedStream seeds;
  private final Supplier<RandomOps> random;
  private final List<Operand<TFloat32>> losses;

  private CallContext(
      Ops tf,
      Mode mode,
      SeedStream seeds,
      Supplier<RandomOps> random,
      List<Operand<TFloat32>> losses) {
    this.tf = tf;
    this.mode = mode;
    this.seeds = seeds;
    this.random = random;
    this.losses = losses;
  }

  /** A fresh context (with an empty loss list) for one path through a model. */
  public static CallContext of(Ops tf, Mode mode, SeedStream seeds, RandomOps random) {
    return new CallContext(tf, mode, seeds, () -> random, new ArrayList<>());
  }

  /**
   * A context with random ops of its own, made when a layer first asks for them (a graph without a
   * training loop: tests, a loop body that rebuilds a network).
   */
  public static CallContext of(Ops tf, Mode mode, SeedStream seeds) {
    RandomOps[] made = new RandomOps[1];
    Supplier<RandomOps> lazy =
        () -> made[0] != null ? made[0] : (made[0] = RandomOps.create(tf, seeds, seeds.next()));
    return new CallContext(tf, mode, seeds, lazy, new ArrayList<>());
  }

  public Ops tf() {
    return tf;
  }

  public Mode mode() {
    return mode;
  }

  public boolean training() {
    return mode == Mode.TRAINING;
  }

  public SeedStream seeds() {
    return seeds;
  }

  /** The graph's random ops, keyed step by step (dropout masks, noise). */
  public RandomOps random() {
    return random.get();
  }

  /** The same context under a unique child name scope ({@code dense}, {@code dense_1}, ...). */
  public CallContext withSubScope(String name) {
    Ops sub = tf.withSubScope(name);
    return new CallContext(sub, mode, seeds, () -> random.get().with(sub), losses);
  }

  /** Adds a scalar term to the loss of this path, as Keras's {@code add_loss}. */
  public void addLoss(Operand<TFloat32> scalar) {
    losses.add(scalar);
  }

  /** The extra loss terms added so far along this path. */
  public List<Operand<TFloat32>> losses() {
    return List.copyOf(losses);
  }
}
