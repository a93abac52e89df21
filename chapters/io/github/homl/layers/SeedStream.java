package io.github.homl.layers;

/**
 * A reproducible stream of op seeds drawn from one workspace seed: our stand-in for {@code
 * tf.random.set_seed(42)}. TF Java has no graph-level seed, so every initializer and random op
 * takes the next value of this stream, and two layers of the same shape never start from the same
 * weights.
 */
public final class SeedStream {

  private long state;

  public SeedStream(long seed) {
    this.state = seed;
  }

  /** The next seed (SplitMix64), always non-negative and non-zero as TF's random ops expect. */
  public synchronized long next() {
    state += 0x9E3779B97F4A7C15L;
    return finish(state);
  }

  /**
   * A seed determined by {@code parts} alone (SplitMix64 over each in turn): the seed of epoch
   * {@code e}'s shuffle is {@code mix(seed, e)}, so any epoch's order can be made again on resume.
   */
  public static long mix(long... parts) {
    long state = 0;
    for (long part : parts) {
      state = finish(state + 0x9E3779B97F4A7C15L + part);
    }
    return state;
  }

  private static long finish(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (z & Long.MAX_VALUE) | 1L;
  }
}
