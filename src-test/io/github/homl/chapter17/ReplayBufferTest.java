package io.github.homl.chapter17;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.data.Images;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DCGAN and its experience-replay variant under {@code --quick} on the real Fashion-MNIST, and
 * the replay buffer on its own.
 */
class ReplayBufferTest {

  @TempDir Path outDir;

  @Test
  void replayBufferShowsFreshFakesUntilItHoldsHalfABatch() {
    DcganExperienceReplay.ReplayBuffer buffer = new DcganExperienceReplay.ReplayBuffer(100, 42);
    Images fresh = fakes(0, 8);

    Images shown = buffer.apply(fresh);

    assertArrayEquals(fresh.pixels(), shown.pixels());
    assertEquals(4, buffer.size(), "the fresh first half is stored");
  }

  @Test
  void replayBufferMixesFreshFirstHalfWithStoredFakes() {
    DcganExperienceReplay.ReplayBuffer buffer = new DcganExperienceReplay.ReplayBuffer(100, 42);
    Images first = fakes(0, 8);
    buffer.apply(first);
    Images second = fakes(100, 8);

    Images shown = buffer.apply(second);

    for (int i = 0; i < 4; i++) {
      assertArrayEquals(second.image(i), shown.image(i), "fresh image " + i);
    }
    List<float[]> stored = List.of(first.image(0), first.image(1), first.image(2), first.image(3));
    for (int i = 4; i < 8; i++) {
      float[] replayed = shown.image(i);
      assertTrue(
          stored.stream().anyMatch(s -> Arrays.equals(s, replayed)),
          "image " + i + " is not a stored fake");
    }
    assertEquals(8, buffer.size());
  }

  @Test
  void replayBufferNeverGrowsBeyondItsCapacity() {
    DcganExperienceReplay.ReplayBuffer buffer = new DcganExperienceReplay.ReplayBuffer(10, 42);
    for (int step = 0; step < 20; step++) {
      buffer.apply(fakes(step * 8, 8));
    }
    assertEquals(10, buffer.size());
  }

  /** {@code count} 2×2 images, image k filled with the value {@code first + k}. */
  private static Images fakes(int first, int count) {
    float[] pixels = new float[count * 4];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = first + i / 4;
    }
    return new Images(pixels, count, 2, 2);
  }
}
