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
    List<int[]> batches = Batches.of(10, 4).epoch(1);

    assertEquals(3, Batches.of(10, 4).stepsPerEpoch());
    assertEquals(List.of(4, 4, 2), batches.stream().map(b -> b.length).toList());
    assertArrayEquals(range(10), flatten(batches));
  }

  @Test
  void dropRemainderKeepsOnlyFullBatches() {
    Batches batches = Batches.of(10, 4).shuffled(1).dropRemainder();

    assertEquals(2, batches.stepsPerEpoch());
    assertEquals(List.of(4, 4), batches.epoch(1).stream().map(b -> b.length).toList());
    assertEquals(0, Batches.of(3, 4).dropRemainder().epoch(1).size());
  }

  @Test
  void sameSeedGivesTheSameSequenceOfEpochs() {
    Batches a = Batches.of(50, 8).shuffled(42);
    Batches b = Batches.of(50, 8).shuffled(42);

    for (int epoch = 1; epoch <= 3; epoch++) {
      assertArrayEquals(flatten(a.epoch(epoch)), flatten(b.epoch(epoch)));
    }
  }

  @Test
  void eachEpochIsANewShuffleThatDependsOnlyOnTheSeedAndTheEpoch() {
    Batches batches = Batches.of(50, 8).shuffled(42);

    int[] first = flatten(batches.epoch(1));
    int[] second = flatten(batches.epoch(2));

    assertFalse(Arrays.equals(first, second));
    assertFalse(Arrays.equals(range(50), first));
    assertArrayEquals(second, flatten(Batches.of(50, 8).shuffled(42).epoch(2)), "resumed");
  }

  @Test
  void aShuffleBufferMovesAnItemAtMostBufferSizePlacesForward() {
    Batches batches = Batches.of(5000, 10).shuffled(3).shuffleBuffer(100);

    int[] order = flatten(batches.epoch(1));

    int[] sorted = order.clone();
    Arrays.sort(sorted);
    assertArrayEquals(range(5000), sorted);
    for (int position = 0; position < order.length; position++) {
      assertTrue(order[position] <= position + 99, "item " + order[position] + " at " + position);
    }
    assertFalse(Arrays.equals(range(5000), order));
  }

  @Test
  void shuffledEpochHoldsEveryIndexExactlyOnce() {
    Batches batches = Batches.of(37, 5).shuffled(7);

    for (int epoch = 1; epoch <= 3; epoch++) {
      int[] seen = flatten(batches.epoch(epoch));
      Arrays.sort(seen);
      assertArrayEquals(range(37), seen);
    }
  }

  @Test
  void batchSizeMustBePositive() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Batches.of(10, 0));

    assertTrue(e.getMessage().contains("batchSize must be > 0, got 0"), e.getMessage());
  }
}
