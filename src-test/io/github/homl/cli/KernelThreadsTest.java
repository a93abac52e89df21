package io.github.homl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A section's results do not depend on the sections its JVM ran before it ({@code
 * training.KernelThreads}). Each case trains the DCGAN for two epochs of 20 steps in a JVM of its
 * own, as {@code bench}'s first section or after the stacked autoencoder, whose session asks for
 * one kernel thread, and compares the DCGAN's last loss.
 */
class KernelThreadsTest {

  @Test
  void theDcganTrainsTheSameAfterADenseSection() throws Exception {
    assertEquals(
        dcganLoss(List.of("dcgan"), Map.of()), dcganLoss(List.of("stacked", "dcgan"), Map.of()));
  }

  /** The test can fail: with TensorFlow's one shared pool, the first session's threads stick. */
  @Test
  void underTensorFlowsSharedPoolItDoesNot() throws Exception {
    assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "one core: one thread either way");
    Map<String, String> shared = Map.of("TF_OVERRIDE_GLOBAL_THREADPOOL", "false");
    assertNotEquals(
        dcganLoss(List.of("dcgan"), shared), dcganLoss(List.of("stacked", "dcgan"), shared));
  }

  /** The Java loss column of {@code bench}'s dcgan row. */
  private static String dcganLoss(List<String> sections, Map<String, String> env)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.add("bench");
    command.addAll(sections);
    command.addAll(List.of("--steps", "20", "--epochs", "2"));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), out);
    for (String line : out.split("\n")) {
      if (line.startsWith("| dcgan |")) {
        String[] cells = line.split("\\|");
        return cells[7].strip(); // | model | steps/epoch | Java steps/s | ... | Java loss | ...
      }
    }
    throw new AssertionError("no dcgan row in:\n" + out);
  }
}
