package io.github.homl.diffusion;

import io.github.homl.data.Images;
import io.github.homl.data.TensorValue;
import io.github.homl.data.Vectors;
import io.github.homl.saving.LoadedModel;
import io.github.homl.saving.SignatureCalls;
import io.github.homl.saving.SignatureInfo;
import io.github.homl.text.Tokenizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The host side of a latent diffusion pipeline: prompts become token ids, x_T is drawn in Java, and
 * one signature call does the rest ({@code sample}, {@code inpaint}, {@code reconstruct}; see
 * {@link LatentPipeline#signatures()}). The same code drives the pipeline a section just trained
 * ({@link LatentPipeline#sampler()}) and its exported or pretrained SavedModel ({@link #of}).
 */
public final class LatentSampler {

  /** The signatures this sampler calls. */
  static final String SAMPLE = "sample";

  static final String INPAINT = "inpaint";
  static final String RECONSTRUCT = "reconstruct";

  private final SignatureCalls calls;
  private final long[] shape;
  private final Tokenizer tokenizer;

  /** Calls {@code calls} for latents of {@code shape} (h, w, c), prompts tokenized by tokenizer. */
  public LatentSampler(SignatureCalls calls, long[] shape, Tokenizer tokenizer) {
    this.calls = calls;
    this.shape = shape.clone();
    this.tokenizer = tokenizer;
  }

  /**
   * A sampler on a SavedModel written by {@code export latent_diffusion}, its latent shape read
   * from the {@code sample} signature's noise input.
   *
   * @throws IllegalArgumentException naming the folder when it has no {@code sample} signature
   */
  public static LatentSampler of(LoadedModel model) {
    List<String> keys = model.signatures().stream().map(SignatureInfo::key).toList();
    if (!keys.contains(SAMPLE)) {
      throw new IllegalArgumentException(
          model.dir()
              + " has no '"
              + SAMPLE
              + "' signature (export latent_diffusion writes one); it has "
              + keys);
    }
    long[] noise = model.signature(SAMPLE).input("noise").shape().asArray(); // [-1, h, w, c]
    return new LatentSampler(model, Arrays.copyOfRange(noise, 1, 4), Tokenizer.standard());
  }

  /** Values per latent (h·w·c). */
  private int latentSize() {
    return (int) (shape[0] * shape[1] * shape[2]);
  }

  /**
   * Images {@code [n, 28, 28]} in [0, 1] for {@code prompts} with guidance scale {@code w}, DDIM in
   * {@code ddimSteps} steps from x_T ~ N(0, I) drawn by {@code random}.
   */
  public Images generate(List<String> prompts, float w, int ddimSteps, Random random) {
    int n = prompts.size();
    Vectors xT = Vectors.gaussian(random, n, latentSize());
    return images(
        calls.call(SAMPLE, prompted(prompts, w, ddimSteps, Map.of("noise", latents(xT)))));
  }

  /**
   * Regenerates the unknown pixels of {@code originals} ({@code knownPixels}: 1 where a pixel of
   * the 28×28 image is known, 0 where it is to be painted) for {@code prompts}. A latent cell is
   * known when all of its pixels are; the result keeps the known pixels of the original.
   */
  public Images inpaint(
      Images originals,
      float[] knownPixels,
      List<String> prompts,
      float w,
      int ddimSteps,
      Random random) {
    int n = originals.count();
    int size = originals.pixelsPerImage();
    if (knownPixels.length != size) {
      throw new IllegalArgumentException(
          "the mask has " + knownPixels.length + " pixels, the images " + size);
    }
    float[] known = new float[n * size];
    for (int i = 0; i < n; i++) {
      System.arraycopy(knownPixels, 0, known, i * size, size);
    }
    Vectors start = Vectors.gaussian(random, n, latentSize());
    Vectors fixed = Vectors.gaussian(random, n, latentSize());
    long[] imageShape = {n, originals.height(), originals.width()};
    Map<String, TensorValue> inputs =
        Map.of(
            "noise", latents(start),
            "known_noise", latents(fixed),
            "images", TensorValue.of(originals.pixels(), imageShape),
            "known_pixels", TensorValue.of(known, imageShape));
    return images(calls.call(INPAINT, prompted(prompts, w, ddimSteps, inputs)));
  }

  /** The autoencoder's reconstructions of {@code images} ({@code [n, 28, 28]} in [0, 1]). */
  public Images reconstruct(Images images) {
    TensorValue pixels =
        TensorValue.of(images.pixels(), images.count(), images.height(), images.width());
    return images(calls.call(RECONSTRUCT, Map.of("images", pixels)));
  }

  private Map<String, TensorValue> prompted(
      List<String> prompts, float w, int ddimSteps, Map<String, TensorValue> inputs) {
    int n = prompts.size();
    Map<String, TensorValue> all = new HashMap<>(inputs);
    all.put("tokens", TensorValue.ofInts(tokenizer.encodeAll(prompts), n, Tokenizer.MAX_TOKENS));
    all.put("guidance", TensorValue.of(new float[] {w}));
    all.put("steps", TensorValue.ofInts(new int[] {ddimSteps}));
    return all;
  }

  private TensorValue latents(Vectors z) {
    return TensorValue.of(z.values(), z.count(), shape[0], shape[1], shape[2]);
  }

  private static Images images(Map<String, TensorValue> outputs) {
    TensorValue images = outputs.get("images");
    long[] s = images.shape();
    return new Images(images.floats(), (int) s[0], (int) s[1], (int) s[2]);
  }
}
