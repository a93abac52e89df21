package io.github.homl.chapter17;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.homl.config.RunConfig;
import io.github.homl.training.History;
import io.github.homl.training.RunReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simple GAN section under {@code --quick} on the real Fashion-MNIST, and its resume. */
class GenerativeAdversarialNetworkTest {

  static final Path SYSTEM_COPY =
      Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");

  @TempDir Path outDir;

  @BeforeEach
  void requireFashionMnist() {
    assumeFashionMnist();
  }

  static void assumeFashionMnist() {
    assumeTrue(
        Files.exists(SYSTEM_COPY) || System.getenv("FASHION_MNIST_DIR") != null,
        "Fashion-MNIST is not installed in /usr/share/datasets/fashion-mnist/");
  }

  @Test
  void resumeAfterACheckpointContinuesWithTheSameEpochCount() {
    GenerativeAdversarialNetwork.run(new RunConfig(1, true, 42, null, outDir));
    RunReport resumed =
        GenerativeAdversarialNetwork.run(new RunConfig(2, true, 42, null, outDir, true));

    for (History history : resumed.histories().values()) {
      assertEquals(2, history.size());
      assertEquals(List.of(1, 2), history.epochs().stream().map(History.Epoch::epoch).toList());
    }
  }
}
