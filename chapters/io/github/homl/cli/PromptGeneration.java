package io.github.homl.cli;

import io.github.homl.data.Images;
import io.github.homl.diffusion.LatentSampler;
import io.github.homl.saving.LoadedModel;
import io.github.homl.saving.SavedModels;
import io.github.homl.text.Tokenizer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * {@code generate --prompt TEXT}: runs the {@code sample} signature of a latent diffusion pipeline
 * ({@code export latent_diffusion}) on the tokenized prompt, x_T ~ N(0, I) from the seed, a
 * guidance scale and a number of DDIM steps. Words the vocabulary does not know become {@code
 * <unk>} and are named in a warning; a prompt of more than {@value Tokenizer#MAX_TOKENS} words is
 * an error.
 */
final class PromptGeneration {

  private PromptGeneration() {}

  /** {@code n} images {@code [n, 28, 28]} in [0, 1] for {@code prompt}. */
  static Images generate(
      Path modelDir, String prompt, float guidance, int steps, int n, long seed) {
    if (steps < 1) {
      throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
    }
    Tokenizer tokenizer = Tokenizer.standard();
    tokenizer.encode(prompt); // a prompt too long fails here, before the model loads
    List<String> unknown = tokenizer.unknownWords(prompt);
    if (!unknown.isEmpty()) {
      System.out.println(
          "warning: not in the vocabulary, read as <unk>: " + String.join(", ", unknown));
    }
    try (LoadedModel model = SavedModels.load(modelDir)) {
      return LatentSampler.of(model)
          .generate(Collections.nCopies(n, prompt), guidance, steps, new Random(seed));
    }
  }
}
