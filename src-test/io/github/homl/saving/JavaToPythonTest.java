package io.github.homl.saving;

import static io.github.homl.saving.PythonSide.checkCases;
import static io.github.homl.saving.PythonSide.javaCase;
import static io.github.homl.saving.PythonSide.requirePython;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.homl.cli.Main;
import io.github.homl.data.TensorValue;
import io.github.homl.training.Workspace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java → Python: SavedModels exported by Java load in TensorFlow Python ({@code
 * tf.saved_model.load(dir).signatures["serving_default"]}) and in Keras 3 as {@code
 * keras.layers.TFSMLayer}, and return Java's outputs to 1e-5. Every section's exports are checked
 * the same way by {@code ExportEverySectionTest}.
 *
 * <p>Needs the virtualenv of {@code savedmodels/keras/setup.sh} (see {@link PythonSide}).
 */
class JavaToPythonTest {

  @TempDir Path tmp;

  @Test
  void pythonAndKeras3LoadJavaExportsAndMatchJavaOutputsTo1e5() throws Exception {
    requirePython();
    Path decoder = decoderCase(tmp.resolve("vae_decoder_stack"));
    Path twoInputs = twoInputCase(tmp.resolve("two_inputs"));

    String output = checkCases(List.of(decoder, twoInputs), "--tfsm");

    assertTrue(output.contains("vae_decoder_stack signature=serving_default +TFSMLayer"), output);
    assertTrue(output.contains("two_inputs signature=serving_default +KeywordTFSMLayer"), output);
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
        caseDir,
        caseDir.resolve("model"),
        "serving_default",
        Map.of("codings", TensorValue.of(SavedModelsTest.gaussian(21 * 10, 7), 21, 10)));
    checkCases(List.of(caseDir));
  }

  /**
   * A Java export called from Python with a NumPy array: the signature itself refuses it (TF's
   * TF1-compatibility loader binds only tensors), and {@code savedmodels/java_export.py} takes it,
   * giving Java's outputs.
   */
  @Test
  void numpyArraysCallAJavaExportThroughTheJavaExportHelper() throws Exception {
    requirePython();
    Path decoder = decoderCase(tmp.resolve("numpy"));
    String script =
        String.join(
            "\n",
            "import sys, numpy as np, tensorflow as tf",
            "sys.path.insert(0, 'savedmodels')",
            "import java_export",
            "case = sys.argv[1]",
            "codings = np.load(case + '/inputs/codings.npy')",
            "expected = np.load(case + '/expected/images.npy')",
            "raw = tf.saved_model.load(case + '/model').signatures['serving_default']",
            "try:",
            "    raw(codings=codings)",
            "    print('raw: accepted')",
            "except TypeError as e:",
            "    print('raw: TypeError')",
            "images = java_export.load(case + '/model')['serving_default'](codings=codings)['images']",
            "print('helper: max|diff| %.3g' % np.max(np.abs(images.numpy() - expected)))",
            "print('helper: ok' if np.allclose(images.numpy(), expected, atol=1e-5) else 'helper: differs')");
    Process process =
        new ProcessBuilder(PythonSide.PYTHON.toString(), "-c", script, decoder.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "python timed out");

    assertEquals(0, process.exitValue(), output);
    assertTrue(output.contains("raw: TypeError"), output);
    assertTrue(output.contains("helper: ok"), output);
  }

  /** The VAE decoder's stack, trained one epoch, exported; its Java outputs are the expectation. */
  private static Path decoderCase(Path caseDir) {
    TensorValue codings = TensorValue.of(SavedModelsTest.gaussian(7 * 10, 5), 7, 10);
    try (Workspace ws = Workspace.create(42)) {
      SavedModelsTest.exportGenerator(
          ws, SavedModelsTest.trainedAutoencoderDecoder(ws), 10, caseDir.resolve("model"));
    }
    return javaCase(
        caseDir, caseDir.resolve("model"), "serving_default", Map.of("codings", codings));
  }

  private static Path twoInputCase(Path caseDir) {
    try (Workspace ws = Workspace.create(42)) {
      SavedModelsTest.twoInputExport(ws, caseDir.resolve("model"));
    }
    return javaCase(
        caseDir,
        caseDir.resolve("model"),
        "serving_default",
        Map.of(
            "x_noisy", TensorValue.of(SavedModelsTest.gaussian(5 * 4, 6), 5, 4),
            "time", TensorValue.ofInts(new int[] {0, 1, 2, 2, 0}, 5)));
  }
}
