package io.github.homl.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.homl.cli.Main;
import io.github.homl.text.Tokenizer;
import io.github.homl.training.Workspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java → Python: SavedModels exported by Java load in TensorFlow Python ({@code
 * tf.saved_model.load(dir).signatures["serving_default"]}) and return Java's outputs to 1e-5; a
 * Java generator also loads in Keras 3 as {@code keras.layers.TFSMLayer}.
 *
 * <p>Needs the virtualenv of {@code savedmodels/keras/setup.sh}. Without it the test is reported as
 * skipped with that reason; with {@code HOML_REQUIRE_PYTHON=1} (set by {@code .ci/run}) a missing
 * virtualenv is a failure instead, so CI can never pass without running this direction.
 */
class JavaToPythonTest {

  static final Path PYTHON = Path.of("savedmodels", "keras", ".venv", "bin", "python");
  static final Path CHECK = Path.of("savedmodels", "keras", "check_cases.py");

  @TempDir Path tmp;

  @Test
  void pythonLoadsJavaExportsAndMatchesJavaOutputsTo1e5() throws Exception {
    requirePython();
    List<Path> cases = new ArrayList<>();
    cases.add(decoderCase(tmp.resolve("vae_decoder_stack")));
    cases.add(twoInputCase(tmp.resolve("two_inputs")));

    checkInPython(cases);
  }

  @Test
  void pythonLoadsTheVaeDecoderExportedByTheCli() throws Exception {
    requirePython();
    assumeTrue(
        Files.exists(GenerateAndExportCommandTest.FASHION_MNIST)
            || System.getenv("FASHION_MNIST_DIR") != null,
        "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
    Path caseDir = tmp.resolve("vae_section");
    assertEquals(
        0,
        Main.execute(
            "export",
            "vae",
            "--quick",
            "--out",
            caseDir.resolve("model").toString(),
            "--figures",
            tmp.resolve("figures").toString()));
    javaCase(
        caseDir, Map.of("codings", TensorValue.of(SavedModelsTest.gaussian(21 * 10, 7), 21, 10)));
    checkInPython(List.of(caseDir));
  }

  @Test
  void pythonLoadsTheMultiInputExportsOfTheSectionsAndMatchesJavaTo1e5() throws Exception {
    requirePython();
    assumeTrue(
        Files.exists(GenerateAndExportCommandTest.FASHION_MNIST)
            || System.getenv("FASHION_MNIST_DIR") != null,
        "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
    int[] labels = {0, 3, 9, 5};
    int[] times = {1, 10, 25, 39};
    List<Path> cases =
        List.of(
            sectionCase(
                "cgan",
                "serving_default",
                Map.of(
                    "codings", TensorValue.of(SavedModelsTest.gaussian(4 * 100, 8), 4, 100),
                    "label", TensorValue.ofInts(labels, 4))),
            sectionCase(
                "diffusion",
                "denoise",
                Map.of(
                    "x_noisy",
                    TensorValue.of(SavedModelsTest.gaussian(4 * 28 * 28, 9), 4, 28, 28, 1),
                    "time",
                    TensorValue.ofInts(times, 4))),
            sectionCase(
                "diffusion",
                "sample",
                Map.of(
                    "noise",
                    TensorValue.of(SavedModelsTest.gaussian(2 * 28 * 28, 13), 2, 28, 28, 1),
                    "steps",
                    TensorValue.ofInts(new int[] {5}))),
            sectionCase(
                "latent_diffusion",
                "sample",
                Map.of(
                    "noise",
                    TensorValue.of(SavedModelsTest.gaussian(2 * 7 * 7 * 4, 14), 2, 7, 7, 4),
                    "tokens",
                    TensorValue.ofInts(latentTokens(), 2, Tokenizer.MAX_TOKENS),
                    "guidance",
                    TensorValue.of(new float[] {3f}),
                    "steps",
                    TensorValue.ofInts(new int[] {5}))),
            sectionCase(
                "stylegan",
                "mix",
                Map.of(
                    "codings_a", TensorValue.of(SavedModelsTest.gaussian(3 * 64, 10), 3, 64),
                    "codings_b", TensorValue.of(SavedModelsTest.gaussian(3 * 64, 11), 3, 64))),
            sectionCase(
                "vae",
                "encode_distribution",
                Map.of(
                    "images", TensorValue.of(SavedModelsTest.gaussian(2 * 784, 12), 2, 28, 28))));

    checkInPython(cases);
  }

  /** "a photo of an ankle boot" and the empty prompt, tokenized. */
  private static int[] latentTokens() {
    Tokenizer tokenizer = Tokenizer.standard();
    int[] tokens = new int[2 * Tokenizer.MAX_TOKENS];
    System.arraycopy(
        tokenizer.encode("a photo of an ankle boot"), 0, tokens, 0, Tokenizer.MAX_TOKENS);
    System.arraycopy(tokenizer.encode(""), 0, tokens, Tokenizer.MAX_TOKENS, Tokenizer.MAX_TOKENS);
    return tokens;
  }

  /**
   * {@code export SECTION --quick}, then its signature {@code key} run in Java on {@code inputs}.
   */
  private Path sectionCase(String section, String key, Map<String, TensorValue> inputs) {
    Path caseDir = tmp.resolve(section + "_" + key);
    assertEquals(
        0,
        Main.execute(
            "export",
            section,
            "--quick",
            "--out",
            caseDir.resolve("model").toString(),
            "--figures",
            tmp.resolve("figures").toString()));
    try (LoadedModel model = SavedModels.load(caseDir.resolve("model"))) {
      Cases.write(caseDir, key, inputs, model.call(key, inputs));
    }
    return caseDir;
  }

  @Test
  void keras3LoadsAJavaGeneratorThroughTfsmLayerAndMatchesJavaTo1e5() throws Exception {
    requirePython();
    String output =
        checkInPython(List.of(decoderCase(tmp.resolve("generator_for_keras3"))), "--tfsm");
    assertTrue(output.contains("+TFSMLayer"), output);
  }

  /** Runs check_cases.py on the cases in the virtualenv's Python; every case must match. */
  private static String checkInPython(List<Path> cases, String... options) throws Exception {
    List<String> command = new ArrayList<>(List.of(PYTHON.toString(), CHECK.toString()));
    command.addAll(List.of(options));
    cases.forEach(c -> command.add(c.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "check_cases.py timed out");
    assertEquals(0, process.exitValue(), "check_cases.py failed:\n" + output);
    String summary = "check_cases: " + cases.size() + " of " + cases.size() + " cases match";
    assertTrue(output.contains(summary), output);
    return output;
  }

  /** The VAE decoder's stack, trained one epoch, exported; its Java outputs are the expectation. */
  private static Path decoderCase(Path caseDir) {
    TensorValue codings = TensorValue.of(SavedModelsTest.gaussian(7 * 10, 5), 7, 10);
    try (Workspace ws = Workspace.create(42)) {
      SavedModels.exportGenerator(
          ws, SavedModelsTest.trainedAutoencoderDecoder(ws), 10, caseDir.resolve("model"));
    }
    return javaCase(caseDir, Map.of("codings", codings));
  }

  private static Path twoInputCase(Path caseDir) {
    try (Workspace ws = Workspace.create(42)) {
      SavedModelsTest.twoInputExport(ws, caseDir.resolve("model"));
    }
    return javaCase(
        caseDir,
        Map.of(
            "x_noisy", TensorValue.of(SavedModelsTest.gaussian(5 * 4, 6), 5, 4),
            "time", TensorValue.ofInts(new int[] {0, 1, 2, 2, 0}, 5)));
  }

  /** Runs the exported model in Java (reloaded) and records inputs and outputs as a case. */
  private static Path javaCase(Path caseDir, Map<String, TensorValue> inputs) {
    try (LoadedModel model = SavedModels.load(caseDir.resolve("model"))) {
      Cases.write(caseDir, "serving_default", inputs, model.call("serving_default", inputs));
    }
    return caseDir;
  }

  static void requirePython() throws IOException {
    if (Files.isExecutable(PYTHON)) {
      return;
    }
    String reason =
        "Python TensorFlow is not installed ("
            + PYTHON
            + " is missing): run "
            + "savedmodels/keras/setup.sh to test the Java -> Python direction";
    if ("1".equals(System.getenv("HOML_REQUIRE_PYTHON"))) {
      fail(reason + " (HOML_REQUIRE_PYTHON=1 forbids skipping)");
    }
    assumeTrue(false, reason);
  }
}
