package io.github.homl.diffusion;

import io.github.homl.data.Images;
import io.github.homl.data.Vectors;
import io.github.homl.layers.Layer;
import io.github.homl.saving.SavedModels;
import io.github.homl.text.TextEncoder;
import io.github.homl.text.Tokenizer;
import io.github.homl.training.Feeds;
import io.github.homl.training.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Latent diffusion at inference, whole: prompt tokens → text encoder → DDIM in the latent space
 * with classifier-free guidance (one in-graph loop, {@link DiffusionLoop#ddim}) → decoder → images.
 * Also inpainting and outpainting by latent masking: after every DDIM step the known latent cells
 * are replaced by the encoded image noised to that step (Blended Latent Diffusion; RePaint without
 * its resampling jumps). Latents are standardized ({@code (z − mean)/std} over the training set) so
 * that the diffusion sees unit variance, as Stable Diffusion's scale factor does.
 *
 * <p>{@link #signatures} exports the parts and the whole: {@code encode_text}, {@code denoise},
 * {@code decode} and {@code sample}.
 */
public final class LatentPipeline {

  /**
   * The latent statistics: {@code (z − mean)/std} has mean 0 and variance 1 on the training set.
   */
  public record Scale(float mean, float std) {

    /** The statistics of {@code latents}, over every value. */
    public static Scale of(Vectors latents) {
      double sum = 0;
      double squares = 0;
      for (float v : latents.values()) {
        sum += v;
        squares += (double) v * v;
      }
      double mean = sum / latents.values().length;
      return new Scale(
          (float) mean, (float) Math.sqrt(squares / latents.values().length - mean * mean));
    }

    /** {@code (z − mean)/std}. */
    public Vectors standardize(Vectors latents) {
      float[] values = latents.values().clone();
      for (int i = 0; i < values.length; i++) {
        values[i] = (values[i] - mean) / std;
      }
      return new Vectors(values, latents.count(), latents.size());
    }
  }

  private final Workspace ws;
  private final LatentUnet unet;
  private final TextEncoder textEncoder;
  private final Layer encoder;
  private final Layer decoder;
  private final Schedule schedule;
  private final long[] shape;
  private final Scale scale;
  private final float clip;
  private final Tokenizer tokenizer;

  private Placeholder<TFloat32> noise;
  private Placeholder<TInt32> tokens;
  private Placeholder<TFloat32> guidance;
  private Placeholder<TInt32> steps;
  private Operand<TFloat32> images;
  private Placeholder<TFloat32> known;
  private Placeholder<TFloat32> mask;
  private Placeholder<TFloat32> knownNoise;
  private Operand<TFloat32> inpainted;

  /**
   * A pipeline for latents of {@code shape} (h, w, c) made by {@code encoder}, standardized by
   * {@code scale}, x̂_0 clipped to ±{@code clip} in DDIM.
   */
  public LatentPipeline(
      Workspace ws,
      LatentUnet unet,
      TextEncoder textEncoder,
      Layer encoder,
      Layer decoder,
      Schedule schedule,
      long[] shape,
      Scale scale,
      float clip,
      Tokenizer tokenizer) {
    this.ws = ws;
    this.unet = unet;
    this.textEncoder = textEncoder;
    this.encoder = encoder;
    this.decoder = decoder;
    this.schedule = schedule;
    this.shape = shape.clone();
    this.scale = scale;
    this.clip = clip;
    this.tokenizer = tokenizer;
  }

  /** Values per latent (h·w·c). */
  public int latentSize() {
    return (int) (shape[0] * shape[1] * shape[2]);
  }

  /**
   * Images {@code [n, 28, 28]} in [0, 1] for {@code prompts} with guidance scale {@code w}, DDIM in
   * {@code ddimSteps} steps from x_T ~ N(0, I) drawn by {@code random}.
   */
  public Images generate(List<String> prompts, float w, int ddimSteps, Random random) {
    build();
    int n = prompts.size();
    return images(
        ws.run(images, feeds(prompts, w, ddimSteps, Vectors.gaussian(random, n, latentSize()))), n);
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
    build();
    int n = originals.count();
    Vectors z0 = scale.standardize(ws.encode(encoder, originals));
    float[] masks = new float[n * latentSize()];
    float[] latentMask = latentMask(knownPixels, originals.height(), originals.width());
    for (int i = 0; i < n; i++) {
      System.arraycopy(latentMask, 0, masks, i * latentSize(), latentSize());
    }
    Vectors start = Vectors.gaussian(random, n, latentSize());
    Vectors fixed = Vectors.gaussian(random, n, latentSize());
    float[] painted =
        ws.run(
            inpainted,
            feeds(prompts, w, ddimSteps, start)
                .floats(known, z0.values(), latentShape(n))
                .floats(mask, masks, latentShape(n))
                .floats(knownNoise, fixed.values(), latentShape(n)));
    float[] pixels = originals.pixels().clone();
    int size = originals.pixelsPerImage();
    for (int i = 0; i < pixels.length; i++) {
      float m = knownPixels[i % size];
      pixels[i] = m * pixels[i] + (1 - m) * painted[i];
    }
    return images(pixels, n);
  }

  /** 1 for a latent cell whose pixels are all known, for each of the c channels. */
  private float[] latentMask(float[] knownPixels, int height, int width) {
    int cellH = height / (int) shape[0];
    int cellW = width / (int) shape[1];
    float[] cells = new float[latentSize()];
    for (int i = 0; i < shape[0]; i++) {
      for (int j = 0; j < shape[1]; j++) {
        float all = 1;
        for (int y = i * cellH; y < (i + 1) * cellH; y++) {
          for (int x = j * cellW; x < (j + 1) * cellW; x++) {
            all = Math.min(all, knownPixels[y * width + x]);
          }
        }
        for (int c = 0; c < shape[2]; c++) {
          cells[(int) ((i * shape[1] + j) * shape[2] + c)] = all;
        }
      }
    }
    return cells;
  }

  /**
   * The whole pipeline as ops: {@code noise} x_T {@code [-1, h, w, c]}, {@code tokens} {@code [-1,
   * L]}, guidance scale and DDIM steps (clamped to 1..T − 1) → images {@code [-1, 28, 28]}, with
   * {@code blend} after each step and its extra {@code conditions}.
   */
  public Operand<TFloat32> sample(
      Operand<TFloat32> noise,
      Operand<TInt32> tokens,
      Operand<TFloat32> guidance,
      Operand<TInt32> steps,
      List<Operand<TFloat32>> conditions,
      DiffusionLoop.Blend blend) {
    Ops tf = ws.tf();
    Operand<TFloat32> prompt = textEncoder.call(ws.inference(), tokens);
    Operand<TFloat32> empty = textEncoder.call(ws.inference(), tf.zerosLike(tokens)); // <pad>s
    Operand<TInt32> clamped =
        tf.math.minimum(tf.math.maximum(steps, tf.constant(1)), tf.constant(schedule.T() - 1));
    List<Operand<TFloat32>> all = new ArrayList<>(List.of(prompt, empty, guidance));
    all.addAll(conditions);
    return decode(DiffusionLoop.ddim(ws, unet, schedule, noise, clamped, clip, all, blend));
  }

  /** Standardized latents {@code [-1, h, w, c]} → images {@code [-1, 28, 28]} in [0, 1]. */
  public Operand<TFloat32> decode(Operand<TFloat32> latents) {
    Ops tf = ws.tf();
    Operand<TFloat32> raw =
        tf.math.add(
            tf.math.mul(
                tf.reshape(latents, tf.constant(new long[] {-1, latentSize()})),
                tf.constant(scale.std())),
            tf.constant(scale.mean()));
    return decoder.apply(ws.inference(), raw);
  }

  /**
   * {@code encode_text} (tokens → context), {@code denoise} (latents, time, context → noise, one
   * conditional U-Net call), {@code decode} (latents → images) and {@code sample} (noise, tokens,
   * guidance, steps → images: the whole pipeline in one call).
   */
  public List<Signature> signatures() {
    Placeholder<TInt32> tokenInput = tokensInput("tokens");
    Signature encodeText =
        SavedModels.signature(
            ws,
            "encode_text",
            Map.of("tokens", tokenInput),
            "context",
            textEncoder.call(ws.inference(), tokenInput));
    Placeholder<TFloat32> latents = latentInput("latents");
    Placeholder<TInt32> time = SavedModels.intInput(ws, "time", -1);
    Placeholder<TFloat32> context =
        SavedModels.floatInput(ws, "context", -1, Tokenizer.MAX_TOKENS, textEncoder.dim());
    Signature denoise =
        SavedModels.signature(
            ws,
            "denoise",
            Map.of("latents", latents, "time", time, "context", context),
            "noise",
            unet.call(unet.layers(ws.inference()), latents, time, context));
    Placeholder<TFloat32> decodeInput = latentInput("latents");
    Signature decode =
        SavedModels.signature(
            ws, "decode", Map.of("latents", decodeInput), "images", decode(decodeInput));
    Placeholder<TFloat32> noiseInput = latentInput("noise");
    Placeholder<TInt32> sampleTokens = tokensInput("tokens");
    Placeholder<TFloat32> w = SavedModels.floatInput(ws, "guidance");
    Placeholder<TInt32> n = SavedModels.intInput(ws, "steps");
    Signature sample =
        SavedModels.signature(
            ws,
            "sample",
            Map.of("noise", noiseInput, "tokens", sampleTokens, "guidance", w, "steps", n),
            "images",
            sample(noiseInput, sampleTokens, w, n, List.of(), (b, x, t, c) -> x));
    return List.of(sample, encodeText, denoise, decode);
  }

  private Placeholder<TFloat32> latentInput(String name) {
    return SavedModels.floatInput(ws, name, -1, shape[0], shape[1], shape[2]);
  }

  private Placeholder<TInt32> tokensInput(String name) {
    return SavedModels.intInput(ws, name, -1, Tokenizer.MAX_TOKENS);
  }

  /** The host's graph: sampling, and inpainting with the known latents blended in. */
  private void build() {
    if (images != null) {
      return;
    }
    Ops tf = ws.tf();
    noise = ws.placeholder(-1, shape[0], shape[1], shape[2]);
    tokens = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, Tokenizer.MAX_TOKENS)));
    guidance = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    steps = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    images = sample(noise, tokens, guidance, steps, List.of(), (b, x, t, c) -> x);
    known = ws.placeholder(-1, shape[0], shape[1], shape[2]);
    mask = ws.placeholder(-1, shape[0], shape[1], shape[2]);
    knownNoise = ws.placeholder(-1, shape[0], shape[1], shape[2]);
    float[] alphaCumprod = schedule.alphaCumprod();
    inpainted =
        sample(
            noise,
            tokens,
            guidance,
            steps,
            List.of(known, mask, knownNoise),
            (b, xPrev, tPrev, c) -> {
              // the known cells, noised to t_prev: sqrt(ab) z0 + sqrt(1 - ab) eps (z0 at t = 0)
              Operand<TFloat32> ab = b.gather(b.constant(alphaCumprod), tPrev, b.constant(0));
              Operand<TFloat32> noised =
                  b.math.add(
                      b.math.mul(b.math.sqrt(ab), c.get(3)),
                      b.math.mul(b.math.sqrt(b.math.sub(b.constant(1f), ab)), c.get(5)));
              Operand<TFloat32> m = c.get(4);
              return b.math.add(
                  b.math.mul(m, noised), b.math.mul(b.math.sub(b.constant(1f), m), xPrev));
            });
  }

  private Feeds feeds(List<String> prompts, float w, int ddimSteps, Vectors xT) {
    int n = prompts.size();
    int[] ids = tokenizer.encodeAll(prompts);
    return Feeds.of()
        .floats(noise, xT.values(), latentShape(n))
        .ints(tokens, ids, n, Tokenizer.MAX_TOKENS)
        .scalar(guidance, w)
        .scalarInt(steps, ddimSteps);
  }

  private long[] latentShape(int n) {
    return new long[] {n, shape[0], shape[1], shape[2]};
  }

  private static Images images(float[] pixels, int n) {
    return new Images(pixels, n, 28, 28);
  }
}
