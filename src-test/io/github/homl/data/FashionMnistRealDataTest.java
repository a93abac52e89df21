package io.github.homl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FashionMnistRealDataTest {
  @Test
  void debianCopyLoadsWithTheBookSplitAndVerifiedChecksums() {
    Path dir = SourceChain.SYSTEM_DIR;
    assumeTrue(
        Files.exists(dir.resolve("train-images-idx3-ubyte.gz")),
        "Fashion-MNIST is not installed in " + dir + " (apt-get install dataset-fashion-mnist)");

    long start = System.nanoTime();
    FashionMnist data =
        FashionMnist.loadFrom(dir, FashionMnist.SHA256, FashionMnist.VALIDATION_SIZE);
    System.out.printf("Full Fashion-MNIST load: %.0f ms%n", (System.nanoTime() - start) / 1e6);

    assertEquals(55_000, data.xTrain().count());
    assertEquals(5_000, data.xValid().count());
    assertEquals(10_000, data.xTest().count());
    assertEquals(55_000, data.yTrain().length);
    assertEquals(5_000, data.yValid().length);
    assertEquals(28, data.xTrain().height());
    assertEquals(28, data.xTrain().width());
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (Images images : new Images[] {data.xTrain(), data.xValid(), data.xTest()}) {
      for (float p : images.pixels()) {
        min = Math.min(min, p);
        max = Math.max(max, p);
      }
    }
    assertEquals(0f, min);
    assertEquals(1f, max);
    int[] testCounts = new int[FashionMnist.CLASS_NAMES.length];
    for (int label : data.yTest()) {
      testCounts[label]++;
    }
    for (int c = 0; c < testCounts.length; c++) {
      assertEquals(1_000, testCounts[c], "test images of class " + FashionMnist.CLASS_NAMES[c]);
    }
    for (int[] labels : new int[][] {data.yTrain(), data.yValid()}) {
      for (int label : labels) {
        assertTrue(label >= 0 && label <= 9, "label " + label);
      }
    }
  }
}
