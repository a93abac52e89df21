package io.github.homl.diffusion;

import io.github.homl.data.Vectors;
import io.github.homl.layers.Layer;
import io.github.homl.saving.SavedModels;
import io.github.homl.saving.SignatureCalls;
import io.github.homl.text.TextEncoder;
import io.github.homl.text.Tokenizer;
import io.github.homl.training.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
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
 * {@code decode}, {@code sample}, {@code inpaint} and {@code reconstruct}; {@link #sampler} runs
 * them on the host.
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

  private List<Signature> signatures;
  private LatentSampler sampler;

  /**
   * A pipeline of {@code model} on the latents {@code encoder} makes, standardized by {@code
   * scale}, x̂_0 clipped to ±{@code clip} in DDIM.
   */
  public LatentPipeline(
      Workspace ws, LatentModel model, Layer encoder, Layer decoder, Scale scale, float clip) {
    this.ws = ws;
    this.unet = model.unet();
    this.textEncoder = model.textEncoder();
    this.encoder = encoder;
    this.decoder = decoder;
    this.schedule = model.schedule();
    this.shape = model.shape();
    this.scale = scale;
    this.clip = clip;
    this.tokenizer = model.tokenizer();
  }

  /** Values per latent (h·w·c). */
  private int latentSize() {
    return (int) (shape[0] * shape[1] * shape[2]);
  }

  /**
   * The host side: prompts, noise and masks fed to this pipeline's own {@link #signatures} in the
   * workspace's session, as {@link LatentSampler#of} feeds them to the exported SavedModel.
   */
  public LatentSampler sampler() {
    if (sampler == null) {
      sampler = new LatentSampler(SignatureCalls.of(ws.session(), signatures()), shape, tokenizer);
    }
    return sampler;
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
   * conditional U-Net call), {@code decode} (latents → images), {@code sample} (noise, tokens,
   * guidance, steps → images: the whole pipeline in one call), {@code inpaint} (the same with
   * images, their known pixels and the noise of the known latents → images, see {@link
   * LatentSampler#inpaint}) and {@code reconstruct} (images → the autoencoder's reconstructions).
   * Built once; the sampler and the export share them.
   */
  public List<Signature> signatures() {
    if (signatures != null) {
      return signatures;
    }
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
            LatentSampler.SAMPLE,
            Map.of("noise", noiseInput, "tokens", sampleTokens, "guidance", w, "steps", n),
            "images",
            sample(noiseInput, sampleTokens, w, n, List.of(), (b, x, t, c) -> x));
    Placeholder<TFloat32> images = SavedModels.floatInput(ws, "images", -1, 28, 28);
    Signature reconstruct =
        SavedModels.signature(
            ws,
            LatentSampler.RECONSTRUCT,
            Map.of("images", images),
            "images",
            decoder.apply(ws.inference(), encoder.apply(ws.inference(), images)));
    signatures = List.of(sample, inpaintSignature(), reconstruct, encodeText, denoise, decode);
    return signatures;
  }

  /**
   * Inpainting as one call: the images are encoded and standardized; a latent cell is known when
   * all of its pixels are (a min-pool of the pixel mask); after every DDIM step the known cells are
   * replaced by the encoded image noised to that step; the decoded result keeps the known pixels.
   */
  private Signature inpaintSignature() {
    Ops tf = ws.tf();
    Placeholder<TFloat32> noise = latentInput("noise");
    Placeholder<TFloat32> knownNoise = latentInput("known_noise");
    Placeholder<TInt32> tokens = tokensInput("tokens");
    Placeholder<TFloat32> guidance = SavedModels.floatInput(ws, "guidance");
    Placeholder<TInt32> steps = SavedModels.intInput(ws, "steps");
    Placeholder<TFloat32> images = SavedModels.floatInput(ws, "images", -1, 28, 28);
    Placeholder<TFloat32> knownPixels = SavedModels.floatInput(ws, "known_pixels", -1, 28, 28);
    Operand<TFloat32> z0 =
        tf.reshape(
            tf.math.div(
                tf.math.sub(encoder.apply(ws.inference(), images), tf.constant(scale.mean())),
                tf.constant(scale.std())),
            tf.constant(new long[] {-1, shape[0], shape[1], shape[2]}));
    // a cell is known when all of its pixels are: 1 − max-pool(1 − known) over the cell
    int cellH = 28 / (int) shape[0];
    int cellW = 28 / (int) shape[1];
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> unknownCells =
        tf.nn.maxPool(
            tf.math.sub(one, tf.expandDims(knownPixels, tf.constant(-1))),
            tf.constant(new int[] {1, cellH, cellW, 1}),
            tf.constant(new int[] {1, cellH, cellW, 1}),
            "VALID");
    Operand<TFloat32> mask =
        tf.math.mul(
            tf.math.sub(one, unknownCells),
            tf.ones(tf.constant(new long[] {1, 1, 1, shape[2]}), TFloat32.class));
    float[] alphaCumprod = schedule.alphaCumprod();
    Operand<TFloat32> painted =
        sample(
            noise,
            tokens,
            guidance,
            steps,
            List.of(z0, mask, knownNoise),
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
    Operand<TFloat32> result =
        tf.math.add(
            tf.math.mul(knownPixels, images), tf.math.mul(tf.math.sub(one, knownPixels), painted));
    return SavedModels.signature(
        ws,
        LatentSampler.INPAINT,
        Map.of(
            "noise", noise,
            "known_noise", knownNoise,
            "tokens", tokens,
            "guidance", guidance,
            "steps", steps,
            "images", images,
            "known_pixels", knownPixels),
        "images",
        result);
  }

  private Placeholder<TFloat32> latentInput(String name) {
    return SavedModels.floatInput(ws, name, -1, shape[0], shape[1], shape[2]);
  }

  private Placeholder<TInt32> tokensInput(String name) {
    return SavedModels.intInput(ws, name, -1, Tokenizer.MAX_TOKENS);
  }
}
