package io.github.homl.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.homl.data.FashionMnist;
import io.github.homl.data.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The committed evaluator on the real Fashion-MNIST test images. */
class EvaluatorTest {

  private static final Path SYSTEM_COPY =
      Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");

  private static FashionMnist data;
  private static Evaluator evaluator;

  @BeforeAll
  static void loadEvaluatorAndData() {
    assumeTrue(
        Files.exists(SYSTEM_COPY) || System.getenv("FASHION_MNIST_DIR") != null,
        "Fashion-MNIST is not installed in /usr/share/datasets/fashion-mnist/ "
            + "(apt-get install dataset-fashion-mnist) and FASHION_MNIST_DIR is not set");
    data = FashionMnist.load(null);
    evaluator = Evaluator.load();
  }

  @AfterAll
  static void closeEvaluator() {
    if (evaluator != null) {
      evaluator.close();
    }
  }

  @Test
  void committedEvaluatorScoresTheTestImagesAtItsRecordedAccuracy() {
    double recorded = evaluator.recordedTestAccuracy();

    double accuracy = evaluator.testAccuracy();

    assertTrue(recorded >= 0.91, "recorded test accuracy " + recorded + " is below 91%");
    assertEquals(recorded, accuracy, 0.00005, "the README records " + recorded);
  }

  @Test
  void testImagesScoredAgainstThemselvesHaveZeroFidAndKidAndFullCoverage() {
    Scores scores = evaluator.score("test", data.xTest());

    assertEquals(10_000, scores.count());
    assertEquals(0, scores.fid(), 1e-6, "FID of the test set with itself");
    // KID's subsets of one set differ, so it is zero only within its spread over subsets
    assertEquals(
        0,
        scores.kid().mean(),
        scores.kid().std(),
        "KID of the test set with itself: " + scores.kid());
    assertTrue(scores.coverage() > 0.99, "coverage of the test set " + scores.coverage());
  }

  @Test
  void coverageOfOneClassIsNearZero() {
    int[] trousers =
        java.util.stream.IntStream.range(0, data.yTest().length)
            .filter(i -> data.yTest()[i] == 1)
            .toArray();

    Scores scores = evaluator.score("trousers", data.xTest().gather(trousers));

    assertTrue(scores.coverage() < 0.1, "coverage of the trousers only " + scores.coverage());
    assertTrue(scores.fid() > 100, "FID of one class " + scores.fid());
  }

  @Test
  void fidRisesMonotonicallyWithTheStrengthOfAddedGaussianNoise() {
    Images clean = data.xTest().slice(0, 2000);
    double previous = -1;
    StringBuilder trace = new StringBuilder();
    for (float sigma : new float[] {0f, 0.05f, 0.1f, 0.2f, 0.4f}) {
      double fid = evaluator.fid(noisy(clean, sigma));
      trace.append(String.format(" σ=%.2f: %.2f", sigma, fid));
      assertTrue(fid > previous, "FID did not rise:" + trace);
      previous = fid;
    }
  }

  @Test
  void realVsRealFloorIsSmallButNotZero() {
    Scores floor = evaluator.realVsReal();

    assertTrue(floor.fid() > 0 && floor.fid() < 2, "real-vs-real FID " + floor.fid());
    assertTrue(floor.coverage() > 0.99, "real-vs-real coverage " + floor.coverage());
  }

  @Test
  void imagesInMinusOneToOneAreRejectedWithAHint() {
    Images tanhRange = data.xTest().slice(0, 10).scaled(2, -1);

    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> evaluator.score("tanh", tanhRange));

    assertTrue(error.getMessage().contains("PixelRange.SYMMETRIC.toUnit"), error.getMessage());
  }

  /** {@code images + σ·N(0, 1)}, clipped to [0, 1]. */
  private static Images noisy(Images images, float sigma) {
    Random random = new Random(0);
    float[] pixels = images.pixels().clone();
    for (int k = 0; k < pixels.length; k++) {
      pixels[k] = Math.min(1f, Math.max(0f, pixels[k] + (float) (sigma * random.nextGaussian())));
    }
    return new Images(pixels, images.count(), images.height(), images.width());
  }
}
