package io.github.homl.chapter17;

import io.github.homl.config.RunConfig;
import io.github.homl.data.Batches;
import io.github.homl.data.FashionMnist;
import io.github.homl.data.Images;
import io.github.homl.diffusion.DiffusionLoop;
import io.github.homl.diffusion.DiffusionResults;
import io.github.homl.diffusion.DiffusionSampler;
import io.github.homl.diffusion.DiffusionStep;
import io.github.homl.diffusion.DiffusionUnet;
import io.github.homl.diffusion.ProcessesPlot;
import io.github.homl.diffusion.Schedule;
import io.github.homl.evaluation.SampleScores;
import io.github.homl.figures.Figures;
import io.github.homl.figures.LinePlot;
import io.github.homl.training.Fit;
import io.github.homl.training.History;
import io.github.homl.training.Nadam;
import io.github.homl.training.RunReport;
import io.github.homl.training.Workspace;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Diffusion Models: a DDPM (Ho et al. 2020) with the Improved-DDPM cosine schedule, T = 4000. A
 * U-Net ({@link DiffusionUnet}) learns to predict the noise that {@code prepare_batch} ({@link
 * io.github.homl.diffusion.NoisyBatch}) added to Fashion-MNIST images at a random time step; Huber
 * loss, Nadam, batch 32, 100 epochs (the book's loss / val_loss: epoch 1 0.1120 / 0.0719, epoch 100
 * 0.0376 / 0.0379). Then the reverse process turns pure noise into 32 images, one U-Net call per
 * step from t = 3999 down to 1.
 *
 * <p>Writes {@code variance_schedule_plot.png} (Figure 17-21: β_t and ᾱ_t), {@code
 * ddpm_generated_images_plot.png} (the book's 4×8 grid, from the host loop) and {@code
 * ddim_generated_images_plot.png} (4×8, DDIM in 50 steps from the same starting noise) and {@code
 * diffusion_processes_plot.png} (Figure 17-20, which the book draws as a diagram: the forward
 * process on two test images and two reverse trajectories of the book's sampler, {@link
 * ProcessesPlot}). Reports the parameter count and the seconds of each sampler.
 *
 * <p>Beyond the book: the same reverse process as one {@code Session.run} of an in-graph loop,
 * which must reproduce the host loop's images, and DDIM sampling (Song et al. 2021, η = 0) in 50
 * steps.
 *
 * <p>Beyond the book, too: a moving average of the U-Net's weights (decay 0.9999, as DDPM's)
 * samples, scores and is exported, while the trained U-Net gives the losses. After the training,
 * the average's BatchNormalization statistics are measured anew for its own weights ({@link
 * DiffusionStep#recomputeAverageStatistics}: 400 batches of 256 noisy training images), since the
 * statistics it averaged came from the raw weights of past updates (at epoch 54: FID-FMNIST 25.3 →
 * 23.4 on 2,000 samples, coverage 0.978 → 0.988). The raw weights are scored too ({@code
 * diffusion_ddim_raw_scores.json}).
 *
 * <p>Ends with the yardstick ({@link SampleScores}): FID-FMNIST, KID and class coverage of 10,000
 * fresh samples, printed and saved as {@code diffusion_ddim_scores.json}. The samples are DDIM's
 * (50 steps): the book's 3,999-step loop would need about 4 hours for 10,000 on two cores.
 *
 * <p>Measured at the book's 100 epochs (seed 42, resumed across five sessions): loss 0.0384 and
 * val_loss 0.0386 (the book's log: 0.0376, 0.0379); DDIM FID-FMNIST 21.5, KID ×1000 692, coverage
 * 0.985 for the average; 28.8, 732, 0.953 for the trained weights, with sandals at 21% of their
 * samples (10% in the data). Without the average, which the book does not keep, an earlier run
 * scored 37.3 (sandals 31%), and two more epochs swung it to 32.7 and 32.2 (sandals 14%, 6%): the
 * raw weights' samples change a lot from epoch to epoch. The deterministic DDIM costs the score
 * most of its distance from the book's sampler: from the same 500 noises the 3,999-step DDPM reads
 * 11.8 where DDIM-50 reads 21.8, and DDIM with fresh noise ({@code sample --eta 1}, 200 steps)
 * reads 13.7 on 10,000 samples (docs/diffusion-average.md).
 *
 * <p><b>Deviations:</b> the functional model is a class ({@link DiffusionUnet}). The optimizer is
 * {@link Nadam#legacy()}: the notebook's saved log dates from 2022-04-01 (TF ≤ 2.8), when {@code
 * "nadam"} was today's {@code tf.keras.optimizers.legacy.Nadam}; its momentum warms up over tens of
 * thousands of steps, so at 10 epochs its samples are worse than with today's {@code Nadam()} (DDIM
 * FID-FMNIST 67.3 against 49.3, measured; Keras with today's Nadam: 49.5). Batches are a full
 * reshuffle each epoch, not {@code shuffle(10_000)}. Schedule, {@code prepare_batch} and samplers
 * live in {@code io.github.homl.diffusion}. The sampler's noise comes from stateless ops seeded
 * with the step, so the host and in-graph loops draw the same noise; images are shown unclipped, as
 * the notebook plots them. {@code ModelCheckpoint(save_best_only=True)} becomes a checkpoint of
 * every variable after each epoch (for {@code --resume}); as in the book, sampling uses the final
 * model. {@code --quick}: T = 40 and a U-Net of a quarter of the widths (time encoding of size 16).
 *
 * <p>{@code --schedule linear}: the original DDPM's linear schedule (T = 1000, β from 1e-4 to
 * 0.02), which the book describes before choosing the cosine one ({@link Schedule#linear}); the two
 * are compared at equal epochs in {@code docs/diffusion-schedules.md}.
 *
 * <p>{@code --pretrained}: no training; the committed denoiser ({@code
 * savedmodels/pretrained/diffusion/diffusion_model}, T = 4000 also under {@code --quick}) draws
 * Figure 17-21, the DDIM grid and the scores ({@link DiffusionResults}, host loop on the
 * SavedModel). The 3,999-step DDPM grid is drawn on request by the {@code sample} command it
 * prints, which takes minutes.
 */
public final class DiffusionModel {

  private static final int T_QUICK = 40;
  static final int BATCH_SIZE = 32;
  private static final int EPOCHS = 100;
  private static final int DDIM_STEPS = 50;

  /**
   * The decay of the moving average of the weights that samples, scores and exports use: DDPM's (Ho
   * et al. 2020, a half-life of about 6,900 steps, four epochs here). Not in the book.
   */
  static final float AVERAGE_DECAY = 0.9999f;

  /**
   * Batches of noisy training images that measure the average's BatchNormalization statistics after
   * the training (62 s alone on two Zen 3 cores). Not in the book.
   */
  static final int STATISTICS_BATCHES = 400;

  private static final int STATISTICS_BATCHES_QUICK = 20;
  private static final int STATISTICS_BATCH_SIZE = 256;

  public static final String MODEL_NAME = "diffusion_model";

  /** The U-Net's images: {@code [h, w, c]}. */
  static final int[] IMAGE_SHAPE = {28, 28, 1};

  public static RunReport run(RunConfig config) {
    // extra code – --schedule linear: the original DDPM's schedule (T = 1000) instead
    Schedule.Kind kind = config.variants().schedule();
    int T = config.quickNetworks() ? T_QUICK : kind.bookT();
    Schedule schedule = kind.of(T);
    List<Path> figures = new ArrayList<>();
    // Figure 17-21
    figures.add(
        Figures.saveFig(plotVarianceSchedule(schedule), config.outDir(), "variance_schedule_plot"));
    if (config.pretrained()) { // extra code – the committed U-Net instead of training
      if (kind != Schedule.Kind.COSINE) {
        throw new IllegalArgumentException(
            "--pretrained --schedule "
                + kind.name().toLowerCase(java.util.Locale.ROOT)
                + ": the committed denoiser learned the cosine schedule; train one with"
                + " run diffusion --schedule linear");
      }
      // 3,999 SavedModel calls for Figure 17-20: about a minute, so not under --quick
      Images xTest = config.quick() ? null : config.loadData().xTest().take(2).scaled(2, -1);
      return DiffusionResults.pretrained(
          config.outputs(),
          "diffusion",
          MODEL_NAME,
          "diffusion_ddim",
          schedule,
          DDIM_STEPS,
          xTest,
          figures);
    }
    FashionMnist data = config.loadData();
    Map<String, Double> measures = new LinkedHashMap<>();
    try (Workspace ws = config.workspace()) {
      DiffusionUnet model = buildDiffusionModel(T, config.quick());
      // extra code – a moving average of the model's weights, which samples and is exported
      DiffusionUnet averaged = buildDiffusionModel(T, config.quick());
      // model.compile(loss=Huber(), optimizer=Nadam())
      DiffusionStep step =
          new DiffusionStep(
              ws, model, averaged, AVERAGE_DECAY, schedule, data.xTrain(), data.xValid());
      System.out.print(model.summary()); // the parameter counts of Keras's model.summary()
      // model.fit(train_set, validation_data=valid_set, epochs=100, ...)
      History history =
          Fit.of(
                  ws,
                  step,
                  Batches.of(data.xTrain().count(), BATCH_SIZE).shuffled(ws.seeds().shuffle()))
              .validation(Batches.of(data.xValid().count(), BATCH_SIZE))
              .checkpoints(config.checkpoints(MODEL_NAME), config.resume())
              .listeners(config.fitListeners())
              .run(config.epochs(EPOCHS));
      measures.put("parameters", (double) model.countParams());
      if (config.stepsOnly()) { // extra code – bench times the steps, not the sampling below
        return new RunReport(Map.of(MODEL_NAME, history), measures, figures);
      }
      // extra code – the average's batch-norm statistics measured for its own weights
      step.recomputeAverageStatistics(
          config.quick() ? STATISTICS_BATCHES_QUICK : STATISTICS_BATCHES,
          STATISTICS_BATCH_SIZE,
          ws.seeds().shuffle());
      // extra code – hands the trained U-Net to the CLI's export command (if it asked)
      config.export(
          ws,
          MODEL_NAME,
          history,
          () ->
              List.of(
                  averaged.denoiseSignature(ws),
                  DiffusionLoop.sampleSignature(ws, averaged, schedule)));

      DiffusionSampler sampler =
          new DiffusionSampler(ws, averaged, schedule, BATCH_SIZE, ws.opSeeds().next());
      long start = System.nanoTime();
      Images xGen = sampler.generate(); // generated images
      measures.put("host loop seconds", (System.nanoTime() - start) / 1e9);
      figures.add(Figures.saveImages(xGen, 8, config.outDir(), "ddpm_generated_images_plot"));

      // extra code – the same reverse process in one Session.run
      System.out.printf(
          Locale.ROOT,
          "the same %d steps in one Session.run (about %.0f s; no progress from inside the graph)%n",
          T - 1,
          measures.get("host loop seconds"));
      start = System.nanoTime();
      Images inGraph = sampler.generateInGraph();
      measures.put("in-graph loop seconds", (System.nanoTime() - start) / 1e9);
      measures.put("max |host - in-graph|", maxAbsDifference(xGen, inGraph));
      // extra code – the DDIM grid, Figure 17-20 and the scores, as run diffusion --pretrained
      // draws them from the committed model: here from the moving average just trained
      int ddimSteps = Math.min(DDIM_STEPS, T - 1);
      measures.putAll(
          DiffusionResults.draw(
              config.outputs(),
              "diffusion_ddim",
              sampler.denoiser(), // the average's, built once for the DDPM loop above
              IMAGE_SHAPE,
              schedule,
              ddimSteps,
              data.xTest().scaled(2, -1),
              figures));
      // extra code – the same scores of the trained weights themselves: what the average buys
      measures.putAll(
          DiffusionResults.score(
              config.outputs(),
              "diffusion_ddim_raw",
              model.hostDenoiser(ws),
              IMAGE_SHAPE,
              schedule,
              ddimSteps));
      return new RunReport(Map.of(MODEL_NAME, history), measures, figures);
    }
  }

  // begin listing plot_variance_schedule
  /** Figure 17-21: β_t and ᾱ_t of equation 17-7 over the T steps. */
  public static BufferedImage plotVarianceSchedule(Schedule schedule) {
    double[] t = new double[schedule.T() + 1];
    double[] beta = new double[t.length];
    double[] alphaCumprod = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = i;
      beta[i] = schedule.beta()[i];
      alphaCumprod[i] = schedule.alphaCumprod()[i];
    }
    return new LinePlot("", "t", "")
        .series("β_t", t, beta, Color.RED, LinePlot.Style.DASHED)
        .series("ᾱ_t", t, alphaCumprod, Color.BLUE, LinePlot.Style.SOLID)
        .xRange(0, schedule.T())
        .yRange(0, 1)
        .render();
  }

  // end listing

  /** The notebook's {@code build_diffusion_model()}; under {@code --quick}, a narrow one. */
  // begin listing build_diffusion_model
  static final int EMBED_SIZE = 64;

  public static DiffusionUnet buildDiffusionModel(int T, boolean quick) {
    return quick ? new DiffusionUnet(T, 16, 4) : new DiffusionUnet(T, EMBED_SIZE, 16);
  }

  // end listing

  private static double maxAbsDifference(Images a, Images b) {
    double max = 0;
    for (int i = 0; i < a.pixels().length; i++) {
      max = Math.max(max, Math.abs(a.pixels()[i] - b.pixels()[i]));
    }
    return max;
  }

  /** Runs this section with {@code run}'s options ({@code --epochs}, {@code --quick}, ...). */
  public static void main(String[] args) {
    System.out.print(run(RunConfig.fromArgs(args)).summary());
  }
}
