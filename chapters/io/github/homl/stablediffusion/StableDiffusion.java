package io.github.homl.stablediffusion;

import io.github.homl.data.TensorValue;
import io.github.homl.diffusion.HostStep;
import io.github.homl.diffusion.ReverseStep;
import io.github.homl.saving.LoadedModel;
import io.github.homl.saving.SavedModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * KerasCV's Stable Diffusion (keras-cv 0.9.0) run from Java on the three SavedModels of {@code
 * savedmodels/keras/export_stable_diffusion.py}: the CLIP text encoder, the U-Net ({@code
 * DiffusionModel}) and the VAE decoder. {@link #generate} is KerasCV's {@code
 * StableDiffusion.text_to_image} for one image: the prompt's 77 ids and the unconditional ones
 * ({@code <|startoftext|>} then {@code <|endoftext|>} 76 times) through the text encoder, then, for
 * each DDIM timestep from the last, the U-Net on the unconditional and on the prompt's context (two
 * calls, as KerasCV makes them), classifier-free guidance and the DDIM update ({@link Ddim}), and
 * last the decoder, mapped from [-1, 1] to 0..255 as KerasCV does ({@code clip(((x + 1) / 2) *
 * 255)}, truncated to uint8).
 *
 * <p>Deviations from KerasCV: sizes are any multiple of 64 (KerasCV's constructor rounds them to
 * 128; the models themselves only need a latent divisible by 8); the initial noise is Java's {@code
 * Random.nextGaussian} from the seed, not Keras's generator, so the same seed draws another image;
 * to reproduce a KerasCV image, pass its noise to {@link #generate}.
 */
public final class StableDiffusion implements AutoCloseable {

  /** The file by which an export folder is recognised. */
  public static final String MANIFEST = "stable_diffusion.json";

  private static final int CONTEXT_DIM = 768;

  private final Path dir;
  private final ClipTokenizer tokenizer;
  private final LoadedModel textEncoder;
  private final LoadedModel diffusionModel;
  private final LoadedModel decoder;

  /** Receives each finished DDIM step. */
  public interface Progress {
    void step(int done, int total, int timestep, double seconds);
  }

  /** A generated image: {@code rgb} is {@code [height, width, 3]} of 0..255; {@code latent} x_0. */
  public record Image(int[] rgb, int height, int width, float[] latent) {}

  private StableDiffusion(Path dir) {
    this.dir = dir;
    this.tokenizer = ClipTokenizer.load(dir.resolve(ClipTokenizer.VOCAB_FILE));
    LoadedModel text = null;
    LoadedModel unet = null;
    try {
      text = SavedModels.load(dir.resolve("text_encoder"));
      unet = SavedModels.load(dir.resolve("diffusion_model"));
      this.decoder = SavedModels.load(dir.resolve("decoder"));
    } catch (RuntimeException e) {
      if (unet != null) {
        unet.close();
      }
      if (text != null) {
        text.close();
      }
      throw e;
    }
    this.textEncoder = text;
    this.diffusionModel = unet;
  }

  /** Whether {@code dir} is an export of {@code export_stable_diffusion.py}. */
  public static boolean isExport(Path dir) {
    return Files.isRegularFile(dir.resolve(MANIFEST));
  }

  /**
   * Opens the export in {@code dir}.
   *
   * @throws IllegalArgumentException if {@code dir} is not such an export or a part is missing
   */
  public static StableDiffusion open(Path dir) {
    if (!isExport(dir)) {
      throw new IllegalArgumentException(
          dir
              + " is not a Stable Diffusion export: it has no "
              + MANIFEST
              + " (savedmodels/keras/export_stable_diffusion.py writes one)");
    }
    return new StableDiffusion(dir);
  }

  public Path dir() {
    return dir;
  }

  public ClipTokenizer tokenizer() {
    return tokenizer;
  }

  /** The text encoder on 77 ids: the context {@code [77, 768]}, flattened. */
  public float[] encodeText(int[] tokens) {
    int[] positions = new int[ClipTokenizer.MAX_LENGTH];
    Arrays.setAll(positions, i -> i);
    Map<String, TensorValue> out =
        textEncoder.call(
            "encode_text",
            Map.of(
                "tokens", TensorValue.ofInts(tokens, 1, ClipTokenizer.MAX_LENGTH),
                "positions", TensorValue.ofInts(positions, 1, ClipTokenizer.MAX_LENGTH)));
    return out.get("context").floats();
  }

  /** KerasCV's {@code _UNCONDITIONAL_TOKENS}: start, then the end token 76 times. */
  public static int[] unconditionalTokens() {
    int[] tokens = new int[ClipTokenizer.MAX_LENGTH];
    Arrays.fill(tokens, ClipTokenizer.END);
    tokens[0] = ClipTokenizer.START;
    return tokens;
  }

  /** The U-Net's predicted noise for {@code latent} {@code [1, h, w, 4]} at timestep {@code t}. */
  public float[] predictNoise(float[] latent, int h, int w, int t, float[] context) {
    Map<String, TensorValue> out =
        diffusionModel.call(
            "predict_noise",
            Map.of(
                "latent", TensorValue.of(latent, 1, h, w, 4),
                "timestep_embedding",
                    TensorValue.of(Ddim.timestepEmbedding(t), 1, Ddim.EMBEDDING_DIM),
                "context", TensorValue.of(context, 1, ClipTokenizer.MAX_LENGTH, CONTEXT_DIM)));
    return out.get("noise").floats();
  }

  /** The decoder on {@code latent} {@code [1, h, w, 4]}: {@code [8h, 8w, 3]} in about [-1, 1]. */
  public float[] decode(float[] latent, int h, int w) {
    return decoder
        .call("decode", Map.of("latent", TensorValue.of(latent, 1, h, w, 4)))
        .get("image")
        .floats();
  }

  /** Initial latent noise {@code [1, size/8, size/8, 4]} ~ N(0, 1) from {@code seed}. */
  public static float[] noise(int size, long seed) {
    Random random = new Random(seed);
    float[] noise = new float[(size / 8) * (size / 8) * 4];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) random.nextGaussian();
    }
    return noise;
  }

  /** Refuses a size that is not a positive multiple of 64. */
  public static void checkSize(int size) {
    if (size < 64 || size % 64 != 0) {
      throw new IllegalArgumentException(
          "--size must be a positive multiple of 64 (64, 128, 192, ...), got " + size);
    }
  }

  /**
   * {@code text_to_image(prompt, num_steps=steps, unconditional_guidance_scale=guidance)} for one
   * {@code size}×{@code size} image, starting from {@code noise} {@code [1, size/8, size/8, 4]}.
   */
  public Image generate(
      String prompt, int size, int steps, float guidance, float[] noise, Progress progress) {
    checkSize(size);
    int h = size / 8;
    if (noise.length != h * h * 4) {
      throw new IllegalArgumentException(
          "the initial noise has "
              + noise.length
              + " values, a "
              + size
              + "x"
              + size
              + " image needs [1, "
              + h
              + ", "
              + h
              + ", 4] = "
              + h * h * 4);
    }
    int[] timesteps = Ddim.timesteps(steps);
    float[] context = encodeText(tokenizer.tokens(prompt));
    float[] unconditional = encodeText(unconditionalTokens());
    float[] latent = noise.clone();
    try (HostStep ddim = new HostStep(ReverseStep.NO_CLIP)) {
      for (int index = steps - 1, done = 1; index >= 0; index--, done++) {
        long start = System.nanoTime();
        int t = timesteps[index];
        float[] unconditionalEps = predictNoise(latent, h, h, t, unconditional);
        float[] eps = predictNoise(latent, h, h, t, context);
        Ddim.guide(unconditionalEps, eps, guidance);
        double alphaPrev = index > 0 ? Ddim.alphaBar(timesteps[index - 1]) : 1.0;
        latent = ddim.ddim(latent, eps, Ddim.alphaBar(t), alphaPrev);
        progress.step(done, steps, t, (System.nanoTime() - start) / 1e9);
      }
    }
    float[] decoded = decode(latent, h, h);
    int[] rgb = new int[decoded.length];
    for (int i = 0; i < rgb.length; i++) {
      float v = ((decoded[i] + 1f) / 2f) * 255f;
      rgb[i] = (int) Math.min(255f, Math.max(0f, v));
    }
    return new Image(rgb, size, size, latent);
  }

  @Override
  public void close() {
    try (textEncoder;
        diffusionModel;
        decoder) {
      // closes the three sessions
    }
  }
}
