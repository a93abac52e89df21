package io.github.homl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VectorsTest {

  @Test
  void gatherTakesTheRowsAtTheIndicesInOrderAndMayRepeat() {
    Vectors v = Vectors.of(new float[] {0, 1, 10, 11, 20, 21}, 2);
    Vectors picked = v.gather(new int[] {2, 0, 2});
    assertEquals(3, picked.count());
    assertArrayEquals(new float[] {20, 21, 0, 1, 20, 21}, picked.values());
  }

  @Test
  void gatherOutOfRangeNamesTheIndex() {
    Vectors v = Vectors.of(new float[] {0, 1}, 2);
    IndexOutOfBoundsException e =
        assertThrows(IndexOutOfBoundsException.class, () -> v.gather(new int[] {0, 3}));
    assertEquals("index 3 at position 1 out of range for 1 vectors", e.getMessage());
  }
}
