package io.github.homl.chapter17;

import static io.github.homl.layers.Activation.RELU;
import static io.github.homl.layers.Activation.SIGMOID;
import static io.github.homl.layers.Padding.SAME;

import io.github.homl.config.RunConfig;
import io.github.homl.data.Batches;
import io.github.homl.data.FashionMnist;
import io.github.homl.data.Images;
import io.github.homl.data.Vectors;
import io.github.homl.diffusion.LatentDiffusionStep;
import io.github.homl.diffusion.LatentModel;
import io.github.homl.diffusion.LatentPipeline;
import io.github.homl.diffusion.LatentSampler;
import io.github.homl.diffusion.LatentUnet;
import io.github.homl.diffusion.Schedule;
import io.github.homl.evaluation.SampleScores;
import io.github.homl.figures.Figures;
import io.github.homl.figures.ImageGrid;
import io.github.homl.layers.Conv2D;
import io.github.homl.layers.Conv2DTranspose;
import io.github.homl.layers.Flatten;
import io.github.homl.layers.Reshape;
import io.github.homl.layers.Sequential;
import io.github.homl.saving.LoadedModel;
import io.github.homl.saving.Pretrained;
import io.github.homl.text.Captions;
import io.github.homl.text.TextEncoder;
import io.github.homl.text.Tokenizer;
import io.github.homl.training.Adam;
import io.github.homl.training.Fit;
import io.github.homl.training.History;
import io.github.homl.training.Losses;
import io.github.homl.training.RunReport;
import io.github.homl.training.Trainer;
import io.github.homl.training.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Latent diffusion (Rombach et al. 2021), the end of chapter 17, in miniature: "a powerful
 * autoencoder compresses each training image into a much smaller latent space, where the diffusion
 * process takes place; the autoencoder then decompresses the final latent representation", with
 * text prompts steering the diffusion, and inpainting. The book gives no code for any of it; the
 * notebook has none either.
 *
 * <ol>
 *   <li>A convolutional autoencoder 28×28×1 → 7×7×4 (196 values, a quarter of the pixels) →
 *       28×28×1, MSE, Adam, trained first; its test reconstruction MSE is reported.
 *   <li>A DDPM with the cosine schedule (T = 1000) on the standardized latents: a small U-Net
 *       ({@link LatentUnet}) predicts the noise, Huber loss as the book's DDPM; sampling by DDIM in
 *       50 steps inside the graph, then the decoder.
 *   <li>Text prompts: captions from the class names, templates and synonyms ({@link Captions}), a
 *       word tokenizer over a committed vocabulary ({@link Tokenizer}), a text encoder ({@link
 *       TextEncoder}: embedding plus one self-attention block) trained together with the U-Net, and
 *       cross-attention from every U-Net block to the prompt tokens. Classifier-free guidance: 10%
 *       of training prompts are empty; sampling uses ε(∅) + w·(ε(prompt) − ε(∅)).
 *   <li>Inpainting (a centre hole) and outpainting (a 4-pixel border) of real test images by latent
 *       masking ({@link LatentPipeline#inpaint}).
 * </ol>
 *
 * <p>Writes {@code latent_ae_reconstruction_plot.png} (originals above reconstructions), {@code
 * latent_diffusion_prompts_plot.png} (one row per class prompt "a photo of ...", the same starting
 * noise in each column, w = 3), {@code latent_guidance_sweep_plot.png} (one row per w ∈ {0, 1, 3,
 * 7}, one column per class prompt, the same noise in each column), {@code
 * latent_inpainting_plot.png} and {@code latent_outpainting_plot.png} (rows: masked input with the
 * unknown region grey, result, original). Ends with FID-FMNIST, KID, coverage and requested-class
 * accuracy of samples for each w ({@link SampleScores}), and the seconds of sampling a batch of 32
 * images (the seconds per epoch of both models are in the run's summary).
 *
 * <p><b>Deviations</b> (there is no listing to deviate from, so these are from the paper and Stable
 * Diffusion, and our own choices where neither applies): the autoencoder trains with Adam (Keras's
 * defaults) and batch 32, the latent DDPM with Adam at 5e-4 and batch 64, for 10 and 20 epochs; a
 * plain autoencoder (no KL term, no perceptual or adversarial loss), its latents standardized by
 * their training mean and standard deviation (Stable Diffusion multiplies by a constant, 0.18215,
 * for the same purpose), and DDIM's x̂_0 clipped to the largest standardized training latent
 * instead of [−1, 1]; a text encoder trained from scratch with the U-Net instead of a frozen CLIP;
 * no normalization layers; no attention masks (padding tokens are attended to, so the empty prompt
 * has an encoding of its own); w follows Stable Diffusion's convention (w = 1 is the conditional
 * model; Ho and Salimans' w is ours minus 1). Inpainting uses the ordinary model with the known
 * latents blended in after every step, not a model trained for inpainting; a latent cell counts as
 * known when all of its 4×4 pixels are, and the result keeps the known pixels of the original. The
 * {@code sample} signature takes token ids, not text (tokenize with {@code text/vocabulary.txt});
 * DDIM steps above T − 1 are clamped. {@code --quick}: T = 40, widths 16, 10 DDIM steps, scores for
 * w = 0 and 3 only ({@code --pretrained --quick}: 50 steps, 500 samples at w = 3). The scores use
 * 2,000 samples per w, not 10,000, so the sweep takes minutes, not half an hour: FID from fewer
 * samples is biased upwards (KID is not).
 *
 * <p>Every figure and score comes from the pipeline's signatures through a {@link LatentSampler},
 * so {@code --pretrained} draws them all from the committed SavedModel ({@code
 * savedmodels/pretrained/latent_diffusion/latent_diffusion}) with the same code; it reports the
 * denoiser's history only (the autoencoder's stays with its checkpoint).
 */
public final class LatentDiffusion {

  public static final String MODEL_NAME = "latent_diffusion";
  static final String AUTOENCODER_NAME = "latent_autoencoder";
  private static final long[] LATENT_SHAPE = {7, 7, 4};
  private static final int AE_EPOCHS = 10;
  private static final int EPOCHS = 20;
  private static final int BATCH_SIZE = 64;
  private static final int T_LATENT = 1000; // DDPM's T; the book's pixel DDPM uses 4000
  private static final int T_QUICK = 40;
  private static final int DIM = 64;
  private static final int HEADS = 4;
  private static final float LEARNING_RATE = 5e-4f;

  /** The moving average's decay, the pixel DDPM's (not in the book; see {@link DiffusionModel}). */
  private static final float AVERAGE_DECAY = DiffusionModel.AVERAGE_DECAY;

  private static final int DDIM_STEPS = 50;
  private static final int DDIM_STEPS_QUICK = 10;
  static final float GUIDANCE = 3f;
  private static final float[] GUIDANCE_SWEEP = {0, 1, 3, 7};
  private static final int SWEEP_SAMPLES = 2_000; // per w: the sweep takes minutes on 2 cores
  private static final int IMAGES_PER_ROW = 8;

  public static RunReport run(RunConfig config) {
    FashionMnist data = config.loadData();
    Map<String, Double> measures = new LinkedHashMap<>();
    if (config.pretrained()) { // extra code – the committed pipeline instead of training
      try (LoadedModel model = Pretrained.model("latent_diffusion", MODEL_NAME)) {
        History history = Pretrained.history("latent_diffusion", MODEL_NAME);
        return results(
            config, data, LatentSampler.of(model), Map.of(MODEL_NAME, history), measures);
      }
    }
    try (Workspace ws = config.workspace()) {
      // 1. the autoencoder: 28×28×1 → 7×7×4 latents → 28×28×1, trained first
      Sequential encoder =
          Sequential.of(
              new Reshape(28, 28, 1),
              new Conv2D(32, 3).strides(2).padding(SAME).activation(RELU), // 14×14×32
              new Conv2D(64, 3).strides(2).padding(SAME).activation(RELU), // 7×7×64
              new Conv2D(4, 3).padding(SAME), // 7×7×4
              new Flatten());
      Sequential decoder =
          Sequential.of(
              new Reshape(7, 7, 4),
              new Conv2DTranspose(64, 3).strides(2).padding(SAME).activation(RELU), // 14×14×64
              new Conv2DTranspose(32, 3).strides(2).padding(SAME).activation(RELU), // 28×28×32
              new Conv2D(1, 3).padding(SAME).activation(SIGMOID),
              new Reshape(28, 28));
      Sequential autoencoder = Sequential.of(encoder, decoder);
      Trainer trainer =
          ws.compile(autoencoder, Losses.MSE, Adam::new)
              .withCheckpoints(config.checkpoints(AUTOENCODER_NAME), config.resume());
      History aeHistory =
          trainer.fit(
              data.xTrain(),
              data.xTrain(),
              config.epochs(AE_EPOCHS),
              config.fitOptions().validation(data.xValid(), data.xValid()));
      measures.put("reconstruction MSE (test)", trainer.evaluate(data.xTest(), data.xTest(), 32));

      // 2. diffusion in the latent space, 3. conditioned on the prompt's tokens
      Vectors latents = ws.encode(encoder, data.xTrain());
      LatentPipeline.Scale scale = LatentPipeline.Scale.of(latents);
      Vectors zTrain = scale.standardize(latents);
      Vectors zValid = scale.standardize(ws.encode(encoder, data.xValid()));
      int T = config.quick() ? T_QUICK : T_LATENT;
      int dim = config.quick() ? DIM / 4 : DIM;
      int heads = config.quick() ? HEADS / 2 : HEADS;
      Schedule schedule = Schedule.varianceSchedule(T);
      Tokenizer tokenizer = Tokenizer.standard();
      LatentModel model = latentModel(T, dim, heads, tokenizer, schedule);
      // extra code – a moving average of the networks' weights, which samples and is exported
      LatentModel averaged = latentModel(T, dim, heads, tokenizer, schedule);
      LatentDiffusionStep step =
          new LatentDiffusionStep(
              ws,
              model,
              averaged,
              AVERAGE_DECAY,
              LEARNING_RATE,
              new LatentDiffusionStep.Examples(zTrain, data.yTrain()),
              new LatentDiffusionStep.Examples(zValid, data.yValid()));
      History history =
          Fit.of(ws, step, Batches.of(zTrain.count(), BATCH_SIZE).shuffled(ws.seeds().shuffle()))
              .validation(Batches.of(zValid.count(), BATCH_SIZE))
              .checkpoints(config.checkpoints(MODEL_NAME), config.resume())
              .listeners(config.fitListeners())
              .run(config.epochs(EPOCHS));
      measures.put("U-Net parameters", (double) model.unet().countParams());
      LatentPipeline pipeline =
          new LatentPipeline(ws, averaged, encoder, decoder, scale, maxAbs(zTrain));
      // extra code – hands the pipeline to the CLI's export command (if it asked)
      config.export(ws, MODEL_NAME, history, pipeline::signatures);
      if (config.stepsOnly()) { // extra code – bench times the steps, not the sampling below
        return new RunReport(
            Map.of(AUTOENCODER_NAME, aeHistory, MODEL_NAME, history), measures, List.of());
      }
      return results(
          config,
          data,
          pipeline.sampler(),
          Map.of(AUTOENCODER_NAME, aeHistory, MODEL_NAME, history),
          measures);
    }
  }

  /** The conditional U-Net on 7×7×4 latents and its text encoder, of width {@code dim}. */
  private static LatentModel latentModel(
      int T, int dim, int heads, Tokenizer tokenizer, Schedule schedule) {
    return new LatentModel(
        new LatentUnet(T, 7, 7, 4, dim, heads),
        new TextEncoder(tokenizer.vocabularySize(), Tokenizer.MAX_TOKENS, dim, heads),
        tokenizer,
        schedule,
        LATENT_SHAPE);
  }

  /**
   * The figures and scores, from the pipeline just trained or from the pretrained one: both run the
   * same signatures through a {@link LatentSampler}.
   */
  private static RunReport results(
      RunConfig config,
      FashionMnist data,
      LatentSampler sampler,
      Map<String, History> histories,
      Map<String, Double> measures) {
    List<Path> figures = new ArrayList<>();
    Images originals = data.xValid().take(5);
    figures.add(
        Figures.saveFig(
            ImageGrid.plotReconstructions(originals, sampler.reconstruct(originals)),
            config.outDir(),
            "latent_ae_reconstruction_plot"));
    int steps = config.quickNetworks() ? DDIM_STEPS_QUICK : DDIM_STEPS;
    figures.add(promptGrid(config, sampler, steps));
    figures.add(guidanceSweep(config, sampler, steps));
    // extra code – the time of one guided batch of 32, as the pixel DDPM's DDIM is timed
    long start = System.nanoTime();
    sampler.generate(
        Collections.nCopies(32, Captions.prompt(0)),
        GUIDANCE,
        steps,
        new Random(config.seeds().figures()));
    measures.put("sampling seconds (32 images)", seconds(start));

    // 4. inpainting (a centre hole) and outpainting (the border), on real test images
    Images test = data.xTest().take(IMAGES_PER_ROW);
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < IMAGES_PER_ROW; i++) {
      prompts.add(Captions.prompt(data.yTest()[i]));
    }
    figures.add(
        inpainting(config, sampler, test, prompts, centreHole(), steps, "latent_inpainting_plot"));
    figures.add(
        inpainting(config, sampler, test, prompts, border(), steps, "latent_outpainting_plot"));

    // extra code – FID-FMNIST, KID, coverage and requested-class accuracy for each w
    float[] sweep =
        !config.quick()
            ? GUIDANCE_SWEEP
            : config.quickNetworks() ? new float[] {0, GUIDANCE} : new float[] {GUIDANCE};
    for (float w : sweep) {
      Random noise = new Random(config.seeds().scoring());
      measures.putAll(
          config
              .outputs()
              .scores()
              .scoreConditional(
                  String.format("latent_diffusion_w%.0f", w),
                  Captions.classes(),
                  config.samples(SWEEP_SAMPLES),
                  classes -> sampler.generate(prompts(classes), w, steps, noise)));
    }
    return new RunReport(histories, measures, figures);
  }

  /** One row per class prompt, w = {@value #GUIDANCE}; column j starts from the same noise. */
  private static Path promptGrid(RunConfig config, LatentSampler sampler, int steps) {
    List<Images> rows = new ArrayList<>();
    for (int label = 0; label < Captions.classes(); label++) {
      List<String> prompts = Collections.nCopies(IMAGES_PER_ROW, Captions.prompt(label));
      rows.add(sampler.generate(prompts, GUIDANCE, steps, new Random(config.seeds().figures())));
    }
    return Figures.saveFig(
        ImageGrid.plotRows(rows), config.outDir(), "latent_diffusion_prompts_plot");
  }

  /** One row per guidance scale w, one column per class prompt, the same noise in each column. */
  private static Path guidanceSweep(RunConfig config, LatentSampler sampler, int steps) {
    int[] classes = new int[Captions.classes()];
    for (int label = 0; label < classes.length; label++) {
      classes[label] = label;
    }
    List<Images> rows = new ArrayList<>();
    for (float w : GUIDANCE_SWEEP) {
      rows.add(sampler.generate(prompts(classes), w, steps, new Random(config.seeds().figures())));
    }
    return Figures.saveFig(ImageGrid.plotRows(rows), config.outDir(), "latent_guidance_sweep_plot");
  }

  /** Rows: the masked input (unknown pixels grey), the result, the original. */
  private static Path inpainting(
      RunConfig config,
      LatentSampler sampler,
      Images originals,
      List<String> prompts,
      float[] known,
      int steps,
      String figId) {
    Images result =
        sampler.inpaint(
            originals, known, prompts, GUIDANCE, steps, new Random(config.seeds().figures()));
    float[] masked = originals.pixels().clone();
    for (int i = 0; i < masked.length; i++) {
      masked[i] = known[i % known.length] > 0 ? masked[i] : 0.5f;
    }
    Images maskedInput = new Images(masked, originals.count(), 28, 28);
    return Figures.saveFig(
        ImageGrid.plotRows(List.of(maskedInput, result, originals)), config.outDir(), figId);
  }

  /** Known pixels (1) of a 28×28 image with a 12×12 hole in the centre (rows and columns 8..19). */
  static float[] centreHole() {
    return square(8, 20, 0, 1);
  }

  /** Known pixels (1): the centre 20×20; the 4-pixel border around it is to be outpainted. */
  static float[] border() {
    return square(4, 24, 1, 0);
  }

  /** A 28×28 mask: {@code inside} for rows and columns {@code from..to-1}, else {@code outside}. */
  private static float[] square(int from, int to, float inside, float outside) {
    float[] known = new float[28 * 28];
    for (int i = 0; i < known.length; i++) {
      int y = i / 28;
      int x = i % 28;
      known[i] = y >= from && y < to && x >= from && x < to ? inside : outside;
    }
    return known;
  }

  private static List<String> prompts(int[] classes) {
    List<String> prompts = new ArrayList<>();
    for (int label : classes) {
      prompts.add(Captions.prompt(label));
    }
    return prompts;
  }

  private static float maxAbs(Vectors z) {
    float max = 0;
    for (float v : z.values()) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Runs this section with {@code run}'s options ({@code --epochs}, {@code --quick}, ...). */
  public static void main(String[] args) {
    System.out.print(run(RunConfig.fromArgs(args)).summary());
  }
}
