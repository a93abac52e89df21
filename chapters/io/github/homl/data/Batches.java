package io.github.homl.data;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.RandomAccess;

/**
 * Cuts a data set of {@code n} items into mini-batches, optionally reshuffled each epoch.
 *
 * <p>{@code Batches.of(xTrain, 32).shuffled(SEED).dropRemainder()} plays the part of the book's
 * {@code tf.data.Dataset.from_tensor_slices(X_train).shuffle(1000).batch(32, drop_remainder=True)}.
 * A shuffled instance owns a fresh {@code new Random(seed)}; each {@link #nextEpochIndices} draws a
 * new permutation from it, so epochs differ from each other while the whole sequence is
 * reproducible. Instances are immutable apart from that generator, and not thread-safe.
 */
public final class Batches {
  private final Images images;
  private final int size;
  private final int batchSize;
  private final Long seed;
  private final boolean dropRemainder;
  private final Random random;

  private Batches(Images images, int size, int batchSize, Long seed, boolean dropRemainder) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
    }
    if (size < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + size);
    }
    this.images = images;
    this.size = size;
    this.batchSize = batchSize;
    this.seed = seed;
    this.dropRemainder = dropRemainder;
    this.random = seed == null ? null : new Random(seed);
  }

  /** Batches over the images of {@code x}, in order, keeping a smaller last batch. */
  public static Batches of(Images x, int batchSize) {
    Objects.requireNonNull(x, "x");
    return new Batches(x, x.count(), batchSize, null, false);
  }

  /** Batches over the indices {@code 0..n-1}; only {@link #nextEpochIndices} is available. */
  public static Batches of(int n, int batchSize) {
    return new Batches(null, n, batchSize, null, false);
  }

  /** A copy that shuffles every epoch with its own {@code new Random(seed)}. */
  public Batches shuffled(long seed) {
    return new Batches(images, size, batchSize, seed, dropRemainder);
  }

  /** A copy that drops the last batch when it is smaller than {@code batchSize}. */
  public Batches dropRemainder() {
    return new Batches(images, size, batchSize, seed, true);
  }

  public int stepsPerEpoch() {
    return dropRemainder ? size / batchSize : (int) (((long) size + batchSize - 1) / batchSize);
  }

  /** The next epoch's batches of item indices; every index appears at most once. */
  public List<int[]> nextEpochIndices() {
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    if (random != null) {
      for (int i = size - 1; i > 0; i--) { // Fisher-Yates
        int j = random.nextInt(i + 1);
        int swap = order[i];
        order[i] = order[j];
        order[j] = swap;
      }
    }
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

  /**
   * The next epoch's batches of images. The list gathers each batch when it is read, so an epoch
   * never holds a second copy of the whole data set; each {@code get} returns a new copy.
   *
   * @throws IllegalStateException if these batches were made by {@link #of(int, int)}
   */
  public List<Images> nextEpoch() {
    if (images == null) {
      throw new IllegalStateException(
          "Batches.of(n, batchSize) has no images to gather; use nextEpochIndices()");
    }
    List<int[]> indices = nextEpochIndices();
    return new Gathered(images, indices);
  }

  private static final class Gathered extends AbstractList<Images> implements RandomAccess {
    private final Images images;
    private final List<int[]> indices;

    Gathered(Images images, List<int[]> indices) {
      this.images = images;
      this.indices = indices;
    }

    @Override
    public Images get(int step) {
      return images.gather(indices.get(step));
    }

    @Override
    public int size() {
      return indices.size();
    }
  }
}
