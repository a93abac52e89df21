package io.github.homl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The settings {@code training.TensorFlowEnvironment} gives TensorFlow, each checked in JVMs of
 * their own (TensorFlow reads them once per process), with a second case that shows the difference
 * when the user's environment says otherwise (so each test can fail).
 *
 * <p>Kernel threads: a section's results do not depend on the sections its JVM ran before it. The
 * DCGAN trains for two epochs of 20 steps as {@code bench}'s first section or after the stacked
 * autoencoder, whose session asks for one kernel thread, and the last losses are compared.
 *
 * <p>oneDNN: on x86-64 TensorFlow's oneDNN kernels are on, which TensorFlow announces on its first
 * use ("oneDNN custom operations are on", one of the native lines {@code --verbose} shows).
 */
class TensorFlowEnvironmentTest {

  private static final String ONEDNN_ON = "oneDNN custom operations are on";

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

  @Test
  void oneDnnKernelsAreOnForEveryX86Cpu() throws Exception {
    assumeX86();
    String all = nativeLines(Map.of());
    assertTrue(all.contains(ONEDNN_ON), all);
  }

  /** The user's {@code TF_ENABLE_ONEDNN_OPTS=0} wins, and the check above can fail. */
  @Test
  void theUsersChoiceStays() throws Exception {
    assumeX86();
    String all = nativeLines(Map.of("TF_ENABLE_ONEDNN_OPTS", "0"));
    assertFalse(all.contains(ONEDNN_ON), all);
  }

  private static void assumeX86() {
    String arch = System.getProperty("os.arch");
    assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "oneDNN is set on x86-64 only");
  }

  /** All a short verbose DCGAN bench prints, TensorFlow's native lines among it. */
  private static String nativeLines(Map<String, String> env)
      throws IOException, InterruptedException {
    Process process =
        bench(List.of("dcgan", "--steps", "2", "--epochs", "2", "--verbose"), env, false);
    String all = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), all);
    return all;
  }

  /** The Java loss column of {@code bench}'s dcgan row. */
  private static String dcganLoss(List<String> sections, Map<String, String> env)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(sections);
    args.addAll(List.of("--steps", "20", "--epochs", "2"));
    Process process = bench(args, env, true);
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

  /**
   * {@code bench args} in a JVM of its own, in this one's environment without the settings under
   * test and with {@code env}; its standard error discarded or merged into its output.
   */
  private static Process bench(List<String> args, Map<String, String> env, boolean discardErr)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.add("bench");
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("TF_OVERRIDE_GLOBAL_THREADPOOL");
    builder.environment().remove("TF_ENABLE_ONEDNN_OPTS");
    builder.environment().putAll(env);
    if (discardErr) {
      builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    } else {
      builder.redirectErrorStream(true);
    }
    return builder.start();
  }
}
