package io.github.homl.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.homl.data.TensorValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.tensorflow.ndarray.Shape;

/**
 * The Python side as the Java → Python tests see it: the virtualenv of {@code
 * savedmodels/keras/setup.sh}, {@code check_cases.py} run once on many case directories, and the
 * cases Java writes for it.
 *
 * <p>Without the virtualenv a test calling {@link #requirePython()} is reported as skipped with
 * that reason; with {@code HOML_REQUIRE_PYTHON=1} (set by {@code .ci/run}) a missing virtualenv is
 * a failure instead, so CI can never pass without running this direction.
 */
public final class PythonSide {

  static final Path PYTHON = Path.of("savedmodels", "keras", ".venv", "bin", "python");
  static final Path CHECK = Path.of("savedmodels", "keras", "check_cases.py");

  private PythonSide() {}

  /** Skips the calling test (or fails it under {@code HOML_REQUIRE_PYTHON=1}) without Python. */
  public static void requirePython() {
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

  /**
   * Runs check_cases.py (one Python process) on the cases; every case must match to 1e-5. Returns
   * its output, one line per case.
   */
  public static String checkCases(List<Path> cases, String... options) throws Exception {
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

  /**
   * Runs signature {@code key} of the SavedModel in {@code modelDir} in Java on {@code inputs} and
   * records inputs and outputs as the case directory {@code caseDir} for check_cases.py.
   */
  public static Path javaCase(
      Path caseDir, Path modelDir, String key, Map<String, TensorValue> inputs) {
    try (LoadedModel model = SavedModels.load(modelDir)) {
      Cases.write(
          caseDir, caseDir.relativize(modelDir).toString(), key, inputs, model.call(key, inputs));
    }
    return caseDir;
  }

  /**
   * Seeded inputs of batch 2 for every input of {@code signature}: float32 from N(0, 1); an integer
   * vector (a label or a time step) of 1s and 2s, valid for every model here; an integer scalar
   * (the DDIM sampler's steps) of 3.
   */
  public static Map<String, TensorValue> inputsFor(SignatureInfo signature, long seed) {
    Map<String, TensorValue> inputs = new LinkedHashMap<>();
    for (TensorSpec spec : signature.inputs()) {
      Shape shape = spec.shape();
      long[] dims = new long[shape.numDimensions()];
      int size = 1;
      for (int i = 0; i < dims.length; i++) {
        dims[i] = shape.get(i) < 0 ? 2 : shape.get(i);
        size *= (int) dims[i];
      }
      if (spec.dtype().equals("float32")) {
        inputs.put(spec.name(), TensorValue.of(SavedModelsTest.gaussian(size, seed++), dims));
      } else {
        int[] values = new int[size];
        for (int i = 0; i < size; i++) {
          values[i] = dims.length == 0 ? 3 : 1 + i % 2;
        }
        TensorValue.DType dtype =
            spec.dtype().equals("int64") ? TensorValue.DType.INT64 : TensorValue.DType.INT32;
        inputs.put(spec.name(), TensorValue.ofIntegers(dtype, values, dims));
      }
    }
    return inputs;
  }
}
