package io.github.homl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.homl.config.RunConfig;
import io.github.homl.data.TensorValue;
import io.github.homl.saving.LoadedModel;
import io.github.homl.saving.PythonSide;
import io.github.homl.saving.SavedGenerator;
import io.github.homl.saving.SavedModels;
import io.github.homl.saving.SignatureInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every section in {@code list} hands over the models {@code Section.models()} names (so {@code
 * export SECTION --quick --model NAME} works for each), its first model's SavedModel holds the
 * signatures savedmodels/README.md documents, and every signature of every model loads in Python,
 * both by {@code tf.saved_model.load} and by Keras 3's {@code TFSMLayer}, with Java's outputs.
 *
 * <p>Each section runs once for the whole class (its smoke settings), exporting every model it
 * hands over.
 */
class ExportEverySectionTest {

  /** The signatures each section's default model exports, as {@code LoadedModel.describe} says. */
  private static final Map<Section, List<String>> SIGNATURES =
      Map.ofEntries(
          Map.entry(Section.STACKED, List.of("encode", "serving_default")),
          Map.entry(Section.DENOISING, List.of("encode", "serving_default")),
          Map.entry(Section.SPARSE, List.of("encode", "serving_default")),
          Map.entry(Section.VAE, List.of("encode_distribution", "serving_default")),
          Map.entry(Section.GAN, List.of("serving_default")),
          Map.entry(Section.DCGAN, List.of("serving_default")),
          Map.entry(Section.DCGAN_REPLAY, List.of("serving_default")),
          Map.entry(Section.CGAN, List.of("serving_default")),
          Map.entry(Section.PROGAN, List.of("serving_default")),
          Map.entry(Section.STYLEGAN, List.of("mix", "serving_default")),
          Map.entry(Section.EXERCISE10, List.of("encode", "serving_default")),
          Map.entry(Section.DIFFUSION, List.of("denoise", "sample")),
          Map.entry(
              Section.LATENT_DIFFUSION,
              List.of("decode", "denoise", "encode_text", "inpaint", "reconstruct", "sample")));

  /** What a section handed over (names in order, each model's SavedModel), once per class. */
  private record Exports(List<String> handedOver, Map<String, Path> models) {}

  private static final Map<Section, Exports> EXPORTS = new EnumMap<>(Section.class);

  @TempDir static Path tmp;

  private static void requireFashionMnist() {
    assumeTrue(
        Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            || System.getenv("FASHION_MNIST_DIR") != null,
        "Fashion-MNIST is not installed");
  }

  private static synchronized Exports exports(Section section) {
    requireFashionMnist();
    return EXPORTS.computeIfAbsent(
        section,
        s -> {
          Exports exports = new Exports(new ArrayList<>(), new LinkedHashMap<>());
          s.run(
              RunConfig.smoke(tmp.resolve("figures"))
                  .withExport(
                      (ws, name, history, signatures) -> {
                        Path out = tmp.resolve(s.id()).resolve(name).resolve("model");
                        SavedModels.export(ws.session(), out, signatures.get());
                        exports.handedOver().add(name);
                        exports.models().put(name, out);
                      }));
          return exports;
        });
  }

  @ParameterizedTest
  @EnumSource(Section.class)
  void handsOverEveryListedModelAndExportsTheFirstWithItsSignatures(Section section) {
    assumeFalse(section.models().isEmpty(), section + " hands over no model (an experiment)");
    Exports exports = exports(section);

    assertEquals(section.models(), exports.handedOver());
    try (LoadedModel model = SavedModels.load(exports.models().get(section.models().get(0)))) {
      List<String> keys = model.signatures().stream().map(s -> s.key()).sorted().toList();
      assertEquals(SIGNATURES.get(section), keys, model.describe());
    }
  }

  /**
   * One case per signature of every model of every section, checked in one Python process: {@code
   * tf.saved_model.load(dir).signatures[key]} and Keras 3's {@code TFSMLayer} (a subclass taking a
   * dict for the multi-input signatures: the conditional generator, the diffusion model's {@code
   * denoise} and {@code sample}, StyleGAN's {@code mix}) give Java's outputs to 1e-5.
   */
  @Test
  void everySignatureOfEverySectionLoadsInPythonAndKeras3WithJavasOutputs() throws Exception {
    PythonSide.requirePython();
    List<Path> cases = new ArrayList<>();
    List<Section> exporting =
        java.util.Arrays.stream(Section.values()).filter(s -> !s.models().isEmpty()).toList();
    for (Section section : exporting) {
      for (Path modelDir : exports(section).models().values()) {
        try (LoadedModel model = SavedModels.load(modelDir)) {
          for (SignatureInfo signature : model.signatures()) {
            Map<String, TensorValue> inputs = PythonSide.inputsFor(signature, cases.size());
            cases.add(
                PythonSide.javaCase(
                    modelDir.resolveSibling(signature.key()), modelDir, signature.key(), inputs));
          }
        }
      }
    }

    String output = PythonSide.checkCases(cases, "--tfsm");
    System.out.print(output);

    for (Section section : exporting) {
      assertTrue(output.contains("/" + section.id() + "/"), section + " missing:\n" + output);
    }
    assertTrue(output.contains("signature=mix +KeywordTFSMLayer"), output);
    assertTrue(output.contains("signature=sample +KeywordTFSMLayer"), output);
    assertTrue(output.contains("signature=encode +TFSMLayer"), output);
  }

  @Test
  void theConditionalGanExportTellsItsTenClassesAndRefusesAnEleventh() {
    try (SavedGenerator generator =
        SavedGenerator.open(exports(Section.CGAN).models().get("cgan_generator"), null)) {
      assertEquals(OptionalInt.of(10), generator.labelCount());
      var error =
          assertThrows(
              IllegalArgumentException.class,
              () -> generator.generate(1, 42, Map.of(), new int[] {10}));
      assertTrue(
          error.getMessage().startsWith("label 10 is outside the range"), error.getMessage());
    }
  }

  @Test
  void anExercise10ClassifierExportedByTheCliGivesClassProbabilities() {
    requireFashionMnist();
    Path out = tmp.resolve("cli_frozen");
    assertEquals(
        0,
        Main.execute(
            "export",
            "exercise10",
            "--quick",
            "--model",
            "exercise10_frozen",
            "--out",
            out.toString(),
            "--figures",
            tmp.resolve("figures").toString()));
    try (LoadedModel model = SavedModels.load(out)) {
      float[] p =
          model
              .call(
                  "serving_default",
                  Map.of("images", TensorValue.of(new float[2 * 784], 2, 28, 28)))
              .get("probabilities")
              .floats();
      assertEquals(20, p.length);
      double sum = 0;
      for (int i = 0; i < 10; i++) {
        sum += p[i];
      }
      assertEquals(1.0, sum, 1e-5);
    }
  }
}
