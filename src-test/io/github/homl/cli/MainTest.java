package io.github.homl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line through {@link Main#execute}: exit codes, and what goes to stdout and stderr.
 */
class MainTest {

  @RegisterExtension final StandardStreams streams = new StandardStreams();

  @Test
  void listExitsZeroAndNamesEverySectionAndItsClass() {
    int code = Main.execute("list");

    String stdout = streams.stdout();
    assertEquals(0, code, streams.stderr());
    for (Section section : Section.values()) {
      assertTrue(stdout.contains(section.id()), section.id() + " missing from:\n" + stdout);
      String className = section.sectionClass().getSimpleName();
      assertTrue(stdout.contains(className), className + " missing from:\n" + stdout);
    }
  }

  @Test
  void runOfUnknownSectionExitsTwoAndNamesTheValidSections() {
    int code = Main.execute("run", "nosuchsection");

    String stderr = streams.stderr();
    assertEquals(2, code, stderr);
    assertTrue(stderr.startsWith("error: "), stderr);
    assertTrue(stderr.contains("nosuchsection"), stderr);
    for (Section section : Section.values()) {
      assertTrue(stderr.contains(section.id()), section.id() + " missing from: " + stderr);
    }
  }

  @Test
  void quickRunOfStackedExitsZeroAndWritesItsReconstructionPlot(@TempDir Path outDir) {
    assumeTrue(
        Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            || System.getenv("FASHION_MNIST_DIR") != null,
        "Fashion-MNIST is not installed in /usr/share/datasets/fashion-mnist/ "
            + "(apt-get install dataset-fashion-mnist) and FASHION_MNIST_DIR is not set");

    int code = Main.execute("run", "stacked", "--quick", "--out", outDir.toString());

    assertEquals(0, code, streams.stderr());
    assertTrue(Files.isRegularFile(outDir.resolve("reconstruction_plot.png")));
    assertTrue(streams.stdout().contains("stacked_ae"), streams.stdout());
  }

  @Test
  void zeroEpochsIsRejectedWithAMessageNamingTheOption() {
    int code = Main.execute("run", "stacked", "--epochs", "0");

    assertNotEquals(0, code);
    assertTrue(streams.stderr().contains("--epochs"), streams.stderr());
  }

  @Test
  void helpExitsZeroAndPrintsTheUsage() {
    int code = Main.execute("--help");

    assertEquals(0, code, streams.stderr());
    assertTrue(streams.stdout().contains("Usage"), streams.stdout());
  }
}
