package io.github.homl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.homl.chapter17.Section;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line through {@link Main#execute}: exit codes, and what goes to stdout and stderr. */
class MainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalOut;
  private PrintStream originalErr;

  @BeforeEach
  void captureStandardStreams() {
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStandardStreams() {
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  @Test
  void listExitsZeroAndNamesEverySectionAndItsClass() {
    int code = Main.execute("list");

    String stdout = stdout();
    assertEquals(0, code, stderr());
    for (Section section : Section.values()) {
      assertTrue(stdout.contains(section.id()), section.id() + " missing from:\n" + stdout);
      String className = section.sectionClass().getSimpleName();
      assertTrue(stdout.contains(className), className + " missing from:\n" + stdout);
    }
  }

  @Test
  void runOfUnknownSectionExitsTwoAndNamesTheValidSections() {
    int code = Main.execute("run", "nosuchsection");

    String stderr = stderr();
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

    assertEquals(0, code, stderr());
    assertTrue(Files.isRegularFile(outDir.resolve("reconstruction_plot.png")));
    assertTrue(stdout().contains("stacked_ae"), stdout());
  }

  @Test
  void zeroEpochsIsRejectedWithAMessageNamingTheOption() {
    int code = Main.execute("run", "stacked", "--epochs", "0");

    assertNotEquals(0, code);
    assertTrue(stderr().contains("--epochs"), stderr());
  }

  @Test
  void helpExitsZeroAndPrintsTheUsage() {
    int code = Main.execute("--help");

    assertEquals(0, code, stderr());
    assertTrue(stdout().contains("Usage"), stdout());
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
