package io.github.homl.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Cuts a data set of {@code n} items into mini-batches of item indices, optionally shuffled.
 *
 * <p>Keras's {@code fit(shuffle=True)} draws a full permutation each epoch: {@code Batches.of(n,
 * 32).shuffled(seed)}. The book's GANs read {@code tf.data.Dataset.from_tensor_slices(X_train)
 * .shuffle(1000).batch(32, drop_remainder=True)}, whose buffer moves an item about a thousand
 * places at most: {@code .shuffled(seed).shuffleBuffer(1000).dropRemainder()}. Epoch {@code e}'s
 * order depends on the seed and {@code e} alone, so a resumed run sees exactly the batches an
 * uninterrupted one would. Instances are immutable.
 */
public final class Batches {

  /** Spreads the seeds of consecutive epochs over the 64 bits (SplitMix64's increment). */
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private final int size;
  private final int batchSize;
  private final Long seed;
  private final int shuffleBuffer; // 0: a full permutation
  private final boolean dropRemainder;

  private Batches(int size, int batchSize, Long seed, int shuffleBuffer, boolean dropRemainder) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
    }
    if (size < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + size);
    }
    this.size = size;
    this.batchSize = batchSize;
    this.seed = seed;
    this.shuffleBuffer = shuffleBuffer;
    this.dropRemainder = dropRemainder;
  }

  /** Batches over the indices {@code 0..n-1}, in order, keeping a smaller last batch. */
  public static Batches of(int n, int batchSize) {
    return new Batches(n, batchSize, null, 0, false);
  }

  /** A copy that shuffles every epoch, each epoch's order drawn from the seed and the epoch. */
  public Batches shuffled(long seed) {
    return new Batches(size, batchSize, seed, shuffleBuffer, dropRemainder);
  }

  /** A copy that shuffles through a buffer of {@code bufferSize} items, as tf.data's shuffle. */
  public Batches shuffleBuffer(int bufferSize) {
    if (bufferSize < 1) {
      throw new IllegalArgumentException("bufferSize must be >= 1, got " + bufferSize);
    }
    return new Batches(size, batchSize, seed, bufferSize, dropRemainder);
  }

  /** A copy that drops the last batch when it is smaller than {@code batchSize}. */
  public Batches dropRemainder() {
    return new Batches(size, batchSize, seed, shuffleBuffer, true);
  }

  public int stepsPerEpoch() {
    return dropRemainder ? size / batchSize : (int) (((long) size + batchSize - 1) / batchSize);
  }

  /** Epoch {@code epoch}'s batches of item indices (epochs count from 1). */
  public List<int[]> epoch(int epoch) {
    int[] order = seed == null ? inOrder() : shuffle(new Random(seed + epoch * GOLDEN_GAMMA));
    int steps = stepsPerEpoch();
    List<int[]> batches = new ArrayList<>(steps);
    for (int s = 0; s < steps; s++) {
      int from = s * batchSize;
      int to = Math.min(from + batchSize, size);
      int[] batch = new int[to - from];
      System.arraycopy(order, from, batch, 0, batch.length);
      batches.add(batch);
    }
    return batches;
  }

  private int[] inOrder() {
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    return order;
  }

  private int[] shuffle(Random random) {
    if (shuffleBuffer > 0) {
      return bufferShuffle(random);
    }
    int[] order = inOrder();
    for (int i = size - 1; i > 0; i--) { // Fisher-Yates
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  /**
   * tf.data's {@code shuffle(buffer)}: keep a buffer of the next items and emit a random one of
   * them each time, refilling its slot from the input.
   */
  private int[] bufferShuffle(Random random) {
    int[] order = new int[size];
    int[] buffer = new int[Math.min(shuffleBuffer, size)];
    int filled = 0;
    int next = 0;
    while (filled < buffer.length) {
      buffer[filled++] = next++;
    }
    for (int out = 0; out < size; out++) {
      int slot = random.nextInt(filled);
      order[out] = buffer[slot];
      buffer[slot] = next < size ? next++ : buffer[--filled];
    }
    return order;
  }
}
