package io.github.homl.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Python → Java without Python: the committed Keras-exported fixtures under {@code
 * savedmodels/python/} load in Java, and every signature output matches what TensorFlow Python
 * computed for the same inputs to 1e-5. Regenerate them with {@code
 * savedmodels/keras/.venv/bin/python savedmodels/keras/make_fixtures.py}.
 */
class PythonFixturesTest {

  static final Path FIXTURES = Path.of("savedmodels", "python");

  static Stream<Path> fixtures() throws IOException {
    try (Stream<Path> dirs = Files.list(FIXTURES)) {
      return dirs
          .filter(dir -> Files.isRegularFile(dir.resolve("case.json")))
          .sorted()
          .toList()
          .stream();
    }
  }

  @Test
  void theFixturesAreThere() throws IOException {
    List<String> names = fixtures().map(p -> p.getFileName().toString()).toList();
    assertTrue(
        names.containsAll(
            List.of(
                "tiny_decoder",
                "tiny_denoiser",
                "vae_decoder",
                "notebook_unet",
                "keras3_dense_decoder",
                "keras3_conv_generator",
                "keras3_cgan_generator",
                "keras3_denoiser")),
        "fixtures found: " + names);
  }

  @Test
  void keras3ExportsShowTheirEndpointsWithKerasInputNamesAndOutput0() {
    try (LoadedModel model = SavedModels.load(FIXTURES.resolve("keras3_cgan_generator/model"))) {
      String signature =
          "(label: int32 [-1, 1], z: float32 [-1, 10]) -> " + "(output_0: float32 [-1, 28, 28])";
      assertEquals("serve" + signature, model.signature("serve").toString());
      assertEquals("serving_default" + signature, model.signature("serving_default").toString());
    }
    try (LoadedModel model = SavedModels.load(FIXTURES.resolve("keras3_denoiser/model"))) {
      assertEquals(
          "serving_default(X_noisy: float32 [-1, 8, 8, 1], time: int32 [-1]) -> "
              + "(output_0: float32 [-1, 8, 8, 1])",
          model.signature("serving_default").toString());
    }
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void kerasExportMatchesPythonOutputsTo1e5(Path dir) {
    Cases fixture = Cases.read(dir);
    try (LoadedModel model = SavedModels.load(fixture.modelDir())) {
      Map<String, TensorValue> outputs = model.call(fixture.signature(), fixture.inputs());
      Map<String, TensorValue> expected = fixture.expected();
      assertEquals(expected.keySet(), outputs.keySet());
      expected.forEach(
          (name, want) -> {
            TensorValue got = outputs.get(name);
            assertArrayEquals(want.shape(), got.shape(), name + " shape");
            assertArrayEquals(want.floats(), got.floats(), 1e-5f, name);
          });
    }
  }

  static Stream<Path> kerasTrainOutputs() throws IOException {
    Path out = Path.of("savedmodels", "keras", "out");
    if (!Files.isDirectory(out)) {
      return Stream.empty();
    }
    try (Stream<Path> dirs = Files.list(out)) {
      return dirs
          .filter(dir -> Files.isRegularFile(dir.resolve("case.json")))
          .sorted()
          .toList()
          .stream();
    }
  }

  /**
   * The book's models as {@code savedmodels/keras/train.py} exported them (stacked AE, VAE, GAN,
   * DCGAN, diffusion U-Net), when they have been trained on this machine; skipped otherwise.
   */
  @Test
  void kerasTrainOutputsMatchTheirReferenceCasesTo1e5() throws IOException {
    List<Path> cases = kerasTrainOutputs().toList();
    Assumptions.assumeFalse(
        cases.isEmpty(),
        "no savedmodels/keras/out/*/case.json: run " + "savedmodels/keras/train.py MODEL first");
    cases.forEach(this::kerasExportMatchesPythonOutputsTo1e5);
  }

  @Test
  void kerasDecoderSignatureIsListedWithItsNamesDtypesAndShapes() {
    try (LoadedModel model = SavedModels.load(FIXTURES.resolve("tiny_decoder/model"))) {
      assertEquals(
          "serving_default(codings: float32 [-1, 4]) -> (images: float32 [-1, 28, 28])",
          model.signature("serving_default").toString());
    }
  }

  @Test
  void kerasTwoInputSignatureTakesAnInt32Time() {
    try (LoadedModel model = SavedModels.load(FIXTURES.resolve("tiny_denoiser/model"))) {
      assertEquals(
          "serving_default(time: int32 [-1], x_noisy: float32 [-1, 8, 8, 1]) -> "
              + "(noise: float32 [-1, 8, 8, 1])",
          model.signature("serving_default").toString());
    }
  }

  @Test
  void kerasModelRejectsAWrongShapeBeforeTensorFlowSeesIt() {
    try (LoadedModel model = SavedModels.load(FIXTURES.resolve("tiny_decoder/model"))) {
      var error =
          assertThrows(
              IllegalArgumentException.class,
              () -> model.predict(TensorValue.of(new float[10], 1, 10)));
      assertTrue(
          error
              .getMessage()
              .startsWith(
                  "input 'codings' must have shape [-1, 4], got "
                      + "[1, 10]; signature 'serving_default'"),
          error.getMessage());
    }
  }
}
