package io.github.homl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.homl.chapter17.Section;
import io.github.homl.saving.LoadedModel;
import io.github.homl.saving.SavedModels;
import io.github.homl.saving.TensorValue;
import io.github.homl.training.ModelExport;
import io.github.homl.training.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every section in {@code list} hands over the models {@code Section.models()} names (so {@code
 * export SECTION --quick --model NAME} works for each), and its first model's SavedModel holds the
 * signatures savedmodels/README.md documents.
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
              Section.LATENT_DIFFUSION, List.of("decode", "denoise", "encode_text", "sample")));

  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(Section.class)
  void handsOverEveryListedModelAndExportsTheFirstWithItsSignatures(Section section) {
    assumeTrue(
        Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            || System.getenv("FASHION_MNIST_DIR") != null,
        "Fashion-MNIST is not installed");
    Path out = tmp.resolve("model");
    List<String> handedOver = new ArrayList<>();
    ModelExport recorder =
        (ws, name, history, signatures) -> {
          if (handedOver.isEmpty()) {
            SavedModels.export(ws.session(), out, signatures.get());
          }
          handedOver.add(name);
        };

    section.run(RunConfig.smoke(tmp.resolve("figures")).withExport(recorder));

    assertEquals(section.models(), handedOver);
    try (LoadedModel model = SavedModels.load(out)) {
      List<String> keys = model.signatures().stream().map(s -> s.key()).sorted().toList();
      assertEquals(SIGNATURES.get(section), keys, model.describe());
    }
  }

  @Test
  void anExercise10ClassifierGivesClassProbabilities() {
    assumeTrue(
        Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            || System.getenv("FASHION_MNIST_DIR") != null,
        "Fashion-MNIST is not installed");
    Path out = tmp.resolve("frozen");
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
