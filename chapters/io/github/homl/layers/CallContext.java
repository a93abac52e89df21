package io.github.homl.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What a layer call needs besides its input: the ops factory (with the current name scope), the
 * mode, the seed stream for weights, the graph's keyed random ops, the list that collects extra
 * loss terms (Keras's {@code add_loss} and activity regularizers) and the list that collects the
 * updates of a layer's state in training mode (BatchNormalization's moving statistics, Keras's
 * {@code layer.updates}). One context is created per model path; its sub-scoped copies share the
 * same lists.
 */
public final class CallContext {

  private final Ops tf;
  private final Mode mode;
  private final SeedStream seeds;
  private final Supplier<RandomOps> random;
  private final List<Operand<TFloat32>> losses;
  private final List<Op> updates;

  private CallContext(
      Ops tf,
      Mode mode,
      SeedStream seeds,
      Supplier<RandomOps> random,
      List<Operand<TFloat32>> losses,
      List<Op> updates) {
    this.tf = tf;
    this.mode = mode;
    this.seeds = seeds;
    this.random = random;
    this.losses = losses;
    this.updates = updates;
  }

  /** A fresh context (with empty loss and update lists) for one path through a model. */
  public static CallContext of(Ops tf, Mode mode, SeedStream seeds, RandomOps random) {
    return of(tf, mode, seeds, random, new ArrayList<>());
  }

  /**
   * A fresh context whose layers add their state updates to {@code updates}: a training loop's
   * list, which hands them to the next update it builds, so that they run with it.
   */
  public static CallContext of(
      Ops tf, Mode mode, SeedStream seeds, RandomOps random, List<Op> updates) {
    return new CallContext(tf, mode, seeds, () -> random, new ArrayList<>(), updates);
  }

  /**
   * A context with random ops of its own, made when a layer first asks for them (a graph without a
   * training loop: tests, a loop body that rebuilds a network).
   */
  public static CallContext of(Ops tf, Mode mode, SeedStream seeds) {
    RandomOps[] made = new RandomOps[1];
    Supplier<RandomOps> lazy =
        () -> made[0] != null ? made[0] : (made[0] = RandomOps.create(tf, seeds, seeds.next()));
    return new CallContext(tf, mode, seeds, lazy, new ArrayList<>(), new ArrayList<>());
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
    return new CallContext(sub, mode, seeds, () -> random.get().with(sub), losses, updates);
  }

  /** Adds a scalar term to the loss of this path, as Keras's {@code add_loss}. */
  public void addLoss(Operand<TFloat32> scalar) {
    losses.add(scalar);
  }

  /** The extra loss terms added so far along this path. */
  public List<Operand<TFloat32>> losses() {
    return List.copyOf(losses);
  }

  /**
   * Adds an update of a layer's state (an assignment to a non-trainable variable) to run with the
   * training step, as Keras runs a layer's {@code updates} with {@code train_on_batch}. Nothing
   * depends on it in the graph: the step's update op runs it.
   */
  public void addUpdate(Op update) {
    updates.add(update);
  }
}
