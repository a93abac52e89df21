package io.github.homl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.homl.chapter17.Section;
import io.github.homl.saving.LoadedModel;
import io.github.homl.saving.SavedModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code export SECTION --quick} works for every section in {@code list}, and the SavedModel holds
 * the signatures savedmodels/README.md documents.
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
          Map.entry(Section.DIFFUSION, List.of("denoise", "sample")));

  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(Section.class)
  void exportsTheSectionsFirstModelWithItsSignatures(Section section) {
    assumeTrue(
        Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            || System.getenv("FASHION_MNIST_DIR") != null,
        "Fashion-MNIST is not installed");
    Path out = tmp.resolve("model");
    int code =
        Main.execute(
            "export",
            section.id(),
            "--quick",
            "--out",
            out.toString(),
            "--figures",
            tmp.resolve("figures").toString());

    assertEquals(0, code);
    try (LoadedModel model = SavedModels.load(out)) {
      List<String> keys = model.signatures().stream().map(s -> s.key()).sorted().toList();
      assertEquals(SIGNATURES.get(section), keys, model.describe());
      assertFalse(model.describe().isBlank());
    }
  }
}
