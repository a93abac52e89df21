package io.github.homl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchesTest {
  private static int[] flatten(List<int[]> batches) {
    return batches.stream().flatMapToInt(Arrays::stream).toArray();
  }

  private static int[] range(int n) {
    int[] range = new int[n];
    Arrays.setAll(range, i -> i);
    return range;
  }

  @Test
  void lastBatchIsSmallerWhenTheRemainderIsKept() {
    List<int[]> batches = Batches.of(10, 4).nextEpochIndices();

    assertEquals(3, Batches.of(10, 4).stepsPerEpoch());
    assertEquals(List.of(4, 4, 2), batches.stream().map(b -> b.length).toList());
    assertArrayEquals(range(10), flatten(batches));
  }

  @Test
  void dropRemainderKeepsOnlyFullBatches() {
    Batches batches = Batches.of(10, 4).shuffled(1).dropRemainder();

    assertEquals(2, batches.stepsPerEpoch());
    assertEquals(List.of(4, 4), batches.nextEpochIndices().stream().map(b -> b.length).toList());
    assertEquals(0, Batches.of(3, 4).dropRemainder().nextEpochIndices().size());
  }

  @Test
  void sameSeedGivesTheSameSequenceOfEpochs() {
    Batches a = Batches.of(50, 8).shuffled(42);
    Batches b = Batches.of(50, 8).shuffled(42);

    for (int epoch = 0; epoch < 3; epoch++) {
      assertArrayEquals(flatten(a.nextEpochIndices()), flatten(b.nextEpochIndices()));
    }
  }

  @Test
  void eachEpochIsANewShuffle() {
    Batches batches = Batches.of(50, 8).shuffled(42);

    int[] first = flatten(batches.nextEpochIndices());
    int[] second = flatten(batches.nextEpochIndices());

    assertFalse(Arrays.equals(first, second));
    assertFalse(Arrays.equals(range(50), first));
  }

  @Test
  void shuffledEpochHoldsEveryIndexExactlyOnce() {
    Batches batches = Batches.of(37, 5).shuffled(7);

    for (int epoch = 0; epoch < 3; epoch++) {
      int[] seen = flatten(batches.nextEpochIndices());
      Arrays.sort(seen);
      assertArrayEquals(range(37), seen);
    }
  }

  @Test
  void nextEpochGathersTheImagesOfEachBatch() {
    float[] pixels = new float[5 * 2];
    for (int k = 0; k < pixels.length; k++) {
      pixels[k] = k / 2; // image i is {i, i}
    }
    Images images = new Images(pixels, 5, 1, 2);
    Batches indices = Batches.of(images, 2).shuffled(3);
    Batches gathered = Batches.of(images, 2).shuffled(3);

    List<int[]> expected = indices.nextEpochIndices();
    List<Images> batches = gathered.nextEpoch();

    assertEquals(3, batches.size());
    for (int s = 0; s < batches.size(); s++) {
      assertArrayEquals(images.gather(expected.get(s)).pixels(), batches.get(s).pixels());
    }
  }

  @Test
  void batchSizeMustBePositive() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Batches.of(10, 0));

    assertTrue(e.getMessage().contains("batchSize must be > 0, got 0"), e.getMessage());
  }

  @Test
  void indexOnlyBatchesCannotGatherImages() {
    assertThrows(IllegalStateException.class, () -> Batches.of(10, 4).nextEpoch());
  }
}
