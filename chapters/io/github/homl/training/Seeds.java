package io.github.homl.training;

/**
 * The seeds of one run, each named for what it draws, all derived from the one number {@code
 * --seed} gives (the book's {@code tf.random.set_seed(42)}) by {@link #of}: the only place in the
 * project where a seed is derived from another.
 *
 * @param graph the workspace seed: every weight initializer and random op of the graph draws its
 *     own seed from a stream started here ({@link io.github.homl.layers.SeedStream})
 * @param shuffle which training examples are drawn, and in which order: each epoch's shuffle is
 *     derived from it, as are a replay buffer's draws and any subset of the training set
 * @param figures the codings or noise behind the figures (the notebook's seeded {@code
 *     tf.random.normal})
 * @param scoring the codings or noise behind the samples the yardstick scores: apart from the
 *     figures' seed, so that the scored samples are fresh ones, not the figure's
 */
public record Seeds(long graph, long shuffle, long figures, long scoring) {

  /** The book's {@code tf.random.set_seed(42)}. */
  public static final Seeds BOOK = of(42);

  /** The seeds of a run started with {@code --seed seed}. */
  public static Seeds of(long seed) {
    return new Seeds(seed, seed, seed, seed + 1);
  }

  /** The seeds of the {@code i}-th of several runs of one experiment (0 is this run). */
  public Seeds repetition(int i) {
    return of(graph + i);
  }
}
