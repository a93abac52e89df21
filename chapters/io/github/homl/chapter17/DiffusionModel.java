package io.github.homl.chapter17;

import io.github.homl.data.FashionMnist;
import io.github.homl.data.Images;
import io.github.homl.figures.Figures;
import io.github.homl.figures.ImageGrid;
import io.github.homl.figures.LinePlot;
import io.github.homl.training.History;
import io.github.homl.training.Nadam;
import io.github.homl.training.RunConfig;
import io.github.homl.training.RunReport;
import io.github.homl.training.Workspace;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.op.random.RandomUniformInt;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Diffusion Models: a DDPM (Ho et al. 2020) with the Improved-DDPM cosine schedule, T = 4000. A
 * U-Net ({@link DiffusionUnet}) learns to predict the noise that {@link #prepareBatch} added to
 * Fashion-MNIST images at a random time step; Huber loss, Nadam, batch 32, 100 epochs (the book's
 * loss / val_loss: epoch 1 0.1120 / 0.0719, epoch 100 0.0376 / 0.0379). Then the reverse process
 * turns pure noise into 32 images, one U-Net call per step from t = 3999 down to 1.
 *
 * <p>Writes {@code variance_schedule_plot.png} (Figure 17-21: β_t and ᾱ_t), {@code
 * ddpm_generated_images_plot.png} (the book's 4×8 grid, from the host loop) and {@code
 * ddim_generated_images_plot.png} (4×8, DDIM in 50 steps from the same starting noise). Reports the
 * parameter count and the seconds of each sampler.
 *
 * <p>Beyond the book: the same reverse process as one {@code Session.run} of an in-graph loop,
 * which must reproduce the host loop's images, and DDIM sampling (Song et al. 2021, η = 0) in 50
 * steps.
 *
 * <p>Ends with the yardstick ({@link SampleScores}): FID-FMNIST, KID and class coverage of 10,000
 * fresh samples, printed and saved as {@code diffusion_ddim_scores.json}. The samples are DDIM's
 * (50 steps): the book's 3,999-step loop would need about 4 hours for 10,000 on two cores.
 *
 * <p><b>Deviations:</b> the functional model is a class ({@link DiffusionUnet}). The optimizer is
 * {@link Nadam#legacy()}: the notebook's saved log dates from 2022-04-01 (TF ≤ 2.8), when {@code
 * "nadam"} was today's {@code tf.keras.optimizers.legacy.Nadam}. Batches are a full reshuffle each
 * epoch, not {@code shuffle(10_000)}. The sampler's noise comes from stateless ops seeded with the
 * step, so the host and in-graph loops draw the same noise; images are shown unclipped, as the
 * notebook plots them. {@code ModelCheckpoint(save_best_only=True)} becomes a checkpoint of every
 * variable after each epoch (for {@code --resume}); as in the book, sampling uses the final model.
 * {@code --quick}: T = 40 and a U-Net of a quarter of the widths (time encoding of size 16).
 */
public final class DiffusionModel {

  private static final int T_BOOK = 4000;
  private static final int T_QUICK = 40;
  private static final int EMBED_SIZE = 64;
  static final int BATCH_SIZE = 32;
  private static final int EPOCHS = 100;
  private static final int DDIM_STEPS = 50;
  static final String MODEL_NAME = "diffusion_model";

  private DiffusionModel() {}

  public static void main(String[] args) {
    System.out.print(run(RunConfig.fromArgs(args)).summary());
  }

  static RunReport run(RunConfig config) {
    int T = config.quick() ? T_QUICK : T_BOOK;
    Schedule schedule = varianceSchedule(T);
    List<Path> figures = new ArrayList<>();
    // Figure 17-21
    figures.add(Figures.saveFig(plotVarianceSchedule(schedule), config.outDir(),
        "variance_schedule_plot"));
    FashionMnist data = config.loadData();
    Map<String, Double> measures = new LinkedHashMap<>();
    try (Workspace ws = Workspace.create(config.seed())) {
      DiffusionUnet model = buildDiffusionModel(T, config.quick());
      // model.compile(loss=Huber(), optimizer=Nadam()); model.fit(train_set, epochs=100, ...)
      History history = DiffusionTraining.fit(ws, model, schedule, data.xTrain(), data.xValid(),
          config.epochs(EPOCHS), config.checkpoints(MODEL_NAME), config.resume());
      measures.put("parameters", (double) model.countParams());

      DiffusionSampler sampler = new DiffusionSampler(ws, model, schedule, BATCH_SIZE,
          ws.seeds().next());
      long start = System.nanoTime();
      Images xGen = sampler.generate(); // generated images
      measures.put("host loop seconds", (System.nanoTime() - start) / 1e9);
      figures.add(Figures.saveFig(ImageGrid.plotMultipleImages(xGen, 8), config.outDir(),
          "ddpm_generated_images_plot"));

      // extra code – the same reverse process in one Session.run, then DDIM in 50 steps
      start = System.nanoTime();
      Images inGraph = sampler.generateInGraph();
      measures.put("in-graph loop seconds", (System.nanoTime() - start) / 1e9);
      measures.put("max |host - in-graph|", maxAbsDifference(xGen, inGraph));
      start = System.nanoTime();
      Images ddim = sampler.generateDdim(Math.min(DDIM_STEPS, T - 1));
      measures.put("ddim seconds", (System.nanoTime() - start) / 1e9);
      figures.add(Figures.saveFig(ImageGrid.plotMultipleImages(ddim, 8), config.outDir(),
          "ddim_generated_images_plot"));
      // extra code – FID-FMNIST, KID and coverage of fresh DDIM samples
      Random noise = new Random(config.seed() + 1);
      measures.putAll(SampleScores.score(config, "diffusion_ddim", n ->
          sampler.sampleDdim(n, Math.min(DDIM_STEPS, T - 1), noise).scaled(0.5f, 0.5f)));
      return new RunReport(Map.of(MODEL_NAME, history), measures, figures);
    }
  }

  /** α_t, ᾱ_t = α_1···α_t and β_t = 1 − α_t for t = 0..T (index t), all float32. */
  record Schedule(float[] alpha, float[] alphaCumprod, float[] beta) {

    int T() {
      return alpha.length - 1;
    }
  }

  /** The notebook's {@code variance_schedule(T)}: the cosine schedule with s = 0.008. */
  static Schedule varianceSchedule(int T) {
    return varianceSchedule(T, 0.008, 0.999);
  }

  /** {@code f(t) = cos²((t/T + s)/(1 + s)·π/2)}, {@code α_t = clip(f(t)/f(t−1), 1−maxBeta, 1)}. */
  static Schedule varianceSchedule(int T, double s, double maxBeta) {
    double[] f = new double[T + 1];
    for (int t = 0; t <= T; t++) {
      f[t] = Math.pow(Math.cos(((double) t / T + s) / (1 + s) * Math.PI / 2), 2);
    }
    float[] alpha = new float[T + 1];
    float[] alphaCumprod = new float[T + 1];
    float[] beta = new float[T + 1];
    alpha[0] = 1f; // add α₀ = 1
    for (int t = 1; t <= T; t++) {
      alpha[t] = (float) Math.min(Math.max(f[t] / f[t - 1], 1 - maxBeta), 1);
    }
    float product = 1f; // np.cumprod of a float32 array multiplies in float32
    for (int t = 0; t <= T; t++) {
      beta[t] = 1f - alpha[t];
      product *= alpha[t];
      alphaCumprod[t] = product;
    }
    return new Schedule(alpha, alphaCumprod, beta);
  }

  private static BufferedImage plotVarianceSchedule(Schedule schedule) {
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

  /** The inputs {@code X_noisy} and {@code time}, and the target: the noise that was added. */
  record NoisyBatch(Operand<TFloat32> xNoisy, Operand<TInt32> time, Operand<TFloat32> noise) {}

  /**
   * The notebook's {@code prepare_batch}: images {@code [batch, 28, 28]} in [0, 1] are scaled to
   * [−1, 1], each gets a time step drawn uniformly from 1..T and noise from N(0, 1), fresh at every
   * run.
   */
  static NoisyBatch prepareBatch(Workspace ws, Schedule schedule, Operand<TFloat32> images) {
    Ops tf = ws.tf();
    Operand<TFloat32> x = tf.math.sub(
        tf.math.mul(tf.expandDims(images, tf.constant(-1)), tf.constant(2f)),
        tf.constant(1f)); // scale from –1 to +1: [batch, 28, 28, 1]
    Operand<TInt32> batch =
        tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1})); // [1]
    long seed = ws.seeds().next();
    Operand<TInt32> t = tf.random.randomUniformInt(batch, tf.constant(1),
        tf.constant(schedule.T() + 1), RandomUniformInt.seed(seed),
        RandomUniformInt.seed2(seed >>> 1)); // [batch]
    seed = ws.seeds().next();
    Operand<TFloat32> noise = tf.stopGradient(tf.random.randomStandardNormal(tf.shape(x),
        TFloat32.class, RandomStandardNormal.seed(seed), RandomStandardNormal.seed2(seed >>> 1)));
    return new NoisyBatch(addNoise(tf, schedule, x, t, noise), t, noise);
  }

  /** DDPM eq. 4, the forward process in one shot: x_t = √ᾱ_t · x_0 + √(1 − ᾱ_t) · ε. */
  static Operand<TFloat32> addNoise(Ops tf, Schedule schedule, Operand<TFloat32> x0,
      Operand<TInt32> t, Operand<TFloat32> noise) {
    Operand<TFloat32> alphaCm = tf.reshape(
        tf.gather(tf.constant(schedule.alphaCumprod()), t, tf.constant(0)),
        tf.constant(new int[] {-1, 1, 1, 1})); // [batch, 1, 1, 1]
    return tf.math.add(tf.math.mul(tf.math.sqrt(alphaCm), x0),
        tf.math.mul(tf.math.sqrt(tf.math.sub(tf.constant(1f), alphaCm)), noise));
  }

  /** The notebook's {@code build_diffusion_model()}; under {@code --quick}, a narrow one. */
  static DiffusionUnet buildDiffusionModel(int T, boolean quick) {
    return quick ? new DiffusionUnet(T, 16, 4) : new DiffusionUnet(T, EMBED_SIZE, 16);
  }

  private static double maxAbsDifference(Images a, Images b) {
    double max = 0;
    for (int i = 0; i < a.pixels().length; i++) {
      max = Math.max(max, Math.abs(a.pixels()[i] - b.pixels()[i]));
    }
    return max;
  }

  /**
   * The notebook's {@code TimeEncoding} layer: row {@code t} of a constant {@code [T + 1,
   * embedSize]} table, {@code sin(t / 10000^(2k/embedSize))} in column 2k and {@code cos} of the
   * same in column 2k + 1 (computed in float64, stored as float32).
   */
  static final class TimeEncoding {

    private final float[][] timeEncodings;

    TimeEncoding(int T, int embedSize) {
      if (embedSize % 2 != 0) {
        throw new IllegalArgumentException("embed_size must be even, got " + embedSize);
      }
      timeEncodings = new float[T + 1][embedSize];
      for (int p = 0; p <= T; p++) {
        for (int i = 0; i < embedSize; i += 2) {
          double angle = p / Math.pow(10_000, (double) i / embedSize);
          timeEncodings[p][i] = (float) Math.sin(angle);
          timeEncodings[p][i + 1] = (float) Math.cos(angle);
        }
      }
    }

    /** {@code tf.gather(time_encodings, time)}: {@code [batch]} to {@code [batch, embedSize]}. */
    Operand<TFloat32> apply(Ops tf, Operand<TInt32> time) {
      return tf.gather(tf.constant(timeEncodings), time, tf.constant(0));
    }
  }
}
