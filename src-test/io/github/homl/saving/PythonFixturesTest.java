package io.github.homl.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.data.TensorValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /**
   * Every case: a fixture folder, and a folder per further signature inside it ({@code
   * tf_keras_vae/encode_distribution/}, whose case.json points at {@code ../model}).
   */
  static Stream<Path> fixtures() throws IOException {
    try (Stream<Path> dirs = Files.walk(FIXTURES, 2)) {
      return dirs
          .filter(dir -> Files.isRegularFile(dir.resolve("case.json")))
          .sorted()
          .toList()
          .stream();
    }
  }

  /**
   * The cases of each model family, exported by tf_keras (Keras 2, the notebook's) and by Keras 3:
   * every family has both, and each one is checked to 1e-5 by {@link
   * #kerasExportMatchesPythonOutputsTo1e5}.
   */
  static final Map<String, List<String>> FAMILIES =
      Map.of(
          "dense decoder (stacked, denoising, sparse AEs, simple GAN)",
          List.of(
              "tf_keras_autoencoder", "tiny_decoder", "keras3_autoencoder", "keras3_dense_decoder"),
          "encoder (the autoencoders' encode)",
          List.of("tf_keras_autoencoder/encode", "keras3_autoencoder/encode"),
          "VAE decoder and encode_distribution",
          List.of(
              "tf_keras_vae",
              "tf_keras_vae/encode_distribution",
              "vae_decoder",
              "keras3_vae",
              "keras3_vae/encode_distribution"),
          "conv generator (DCGAN, replay, ProGAN, StyleGAN)",
          List.of("tf_keras_dcgan_generator", "keras3_conv_generator"),
          "conditional generator (cGAN)",
          List.of("tf_keras_cgan_generator", "keras3_cgan_generator"),
          "denoiser (diffusion)",
          List.of("tiny_denoiser", "notebook_unet", "keras3_denoiser"),
          "classifier (exercise 10)",
          List.of("tf_keras_classifier", "keras3_classifier"));

  @Test
  void everyFamilyHasATfKerasAndAKeras3Fixture() throws IOException {
    List<String> cases =
        fixtures().map(p -> FIXTURES.relativize(p).toString().replace('\\', '/')).toList();
    FAMILIES.forEach(
        (family, names) -> {
          assertTrue(cases.containsAll(names), family + ": " + names + " not all in " + cases);
          List<String> makers =
              names.stream().map(name -> madeBy(FIXTURES.resolve(name))).distinct().toList();
          assertTrue(
              makers.containsAll(List.of("make_fixtures.py", "keras3_fixtures.py")),
              family + " is exported by " + makers);
        });
  }

  /**
   * The script that wrote a case, from its case.json ({@code "made_by": "keras3_fixtures.py x"}).
   */
  private static String madeBy(Path dir) {
    try {
      Matcher made =
          Pattern.compile("\"made_by\":\\s*\"(\\S+)")
              .matcher(Files.readString(dir.resolve("case.json")));
      return made.find() ? made.group(1) : "unknown (" + dir + ")";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
