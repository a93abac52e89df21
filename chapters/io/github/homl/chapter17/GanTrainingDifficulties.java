package io.github.homl.chapter17;

import static io.github.homl.layers.Activation.RELU;
import static io.github.homl.layers.Activation.SIGMOID;
import static io.github.homl.layers.Init.HE_NORMAL;

import io.github.homl.config.RunConfig;
import io.github.homl.data.FashionMnist;
import io.github.homl.data.Images;
import io.github.homl.data.Vectors;
import io.github.homl.evaluation.Evaluator;
import io.github.homl.evaluation.Metrics;
import io.github.homl.figures.Figures;
import io.github.homl.figures.ImageGrid;
import io.github.homl.figures.LinePlot;
import io.github.homl.gan.Conditioning;
import io.github.homl.gan.GanStep;
import io.github.homl.layers.Dense;
import io.github.homl.layers.Flatten;
import io.github.homl.layers.Layer;
import io.github.homl.layers.MinibatchDiscrimination;
import io.github.homl.layers.MinibatchStdDev;
import io.github.homl.layers.Reshape;
import io.github.homl.layers.Sequential;
import io.github.homl.training.Fit;
import io.github.homl.training.History;
import io.github.homl.training.KerasOptimizer;
import io.github.homl.training.Nadam;
import io.github.homl.training.RMSProp;
import io.github.homl.training.RunReport;
import io.github.homl.training.Workspace;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The Difficulties of Training GANs: the book's remark that its simple GAN suffered "severe mode
 * collapse" with Nadam, hence RMSprop, shown on {@link GenerativeAdversarialNetwork}'s networks,
 * and the cures the book names, each added to the Nadam run: experience replay ({@link
 * DcganExperienceReplay.ReplayBuffer}), minibatch discrimination ({@link MinibatchDiscrimination},
 * after the discriminator's second hidden layer) and ProGAN's minibatch standard deviation ({@link
 * MinibatchStdDev}, same place, groups of 4).
 *
 * <p>Every variant trains {@value #EPOCHS} epochs from the same seed with the book's {@code
 * train_gan}; after each epoch the same {@value #SCORED} codings (drawn once) are decoded and
 * scored by the evaluator: FID-FMNIST and class coverage (the entropy of the predicted classes over
 * ln 10; mode collapse shows as a drop). 2,000 samples instead of the yardstick's 10,000 keep it
 * cheap and bias FID upwards by a few points, the same for every variant.
 *
 * <p>Writes {@code gan_difficulties_plot.png} (FID-FMNIST and coverage per epoch, every variant)
 * and {@code gan_difficulties_samples_plot.png} (one row of 10 samples per variant after the last
 * epoch, from the same codings). The findings are in {@code docs/gan-training.md}.
 *
 * <p><b>Deviations:</b> the book shows no code or figure for this; the optimizers are Keras's
 * defaults ({@code "rmsprop"}, {@code "nadam"}: today's Nadam, learning rate 0.001).
 */
public final class GanTrainingDifficulties {

  static final int EPOCHS = 10;
  static final int SCORED = 2_000;
  private static final int CODINGS_SIZE = 30;
  private static final int BATCH_SIZE = 32;

  /** A variant: its optimizer and the discriminator's extra layer (if any), and replay. */
  enum Variant {
    RMSPROP("RMSprop (the book)", RMSProp::new, null, false),
    NADAM("Nadam", Nadam::new, null, false),
    NADAM_REPLAY("Nadam + experience replay", Nadam::new, null, true),
    NADAM_MINIBATCH_DISCRIMINATION(
        "Nadam + minibatch discrimination",
        Nadam::new,
        () -> new MinibatchDiscrimination(16, 5, BATCH_SIZE),
        false),
    NADAM_MINIBATCH_STDDEV(
        "Nadam + minibatch std",
        Nadam::new,
        () -> Sequential.of(new Reshape(1, 1, 100), new MinibatchStdDev(4), new Flatten()),
        false);

    final String label;
    final Supplier<KerasOptimizer> optimizer;
    final Supplier<Layer> extraLayer;
    final boolean replay;

    Variant(
        String label,
        Supplier<KerasOptimizer> optimizer,
        Supplier<Layer> extraLayer,
        boolean replay) {
      this.label = label;
      this.optimizer = optimizer;
      this.extraLayer = extraLayer;
      this.replay = replay;
    }

    String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static RunReport run(RunConfig config) {
    FashionMnist data = config.loadData();
    int epochs = config.epochs(EPOCHS);
    Vectors codings = Vectors.gaussian(config.seeds().scoring(), config.quick() ? 200 : SCORED, 30);
    Map<String, History> histories = new LinkedHashMap<>();
    Map<Variant, double[][]> curves = new LinkedHashMap<>(); // [epoch][fid, coverage]
    Map<String, Double> measures = new LinkedHashMap<>();
    List<Images> samples = new ArrayList<>();
    boolean scored = Files.isDirectory(Evaluator.DEFAULT_DIR);
    try (Evaluator evaluator = scored ? Evaluator.load(Evaluator.DEFAULT_DIR, null) : null) {
      for (Variant variant : Variant.values()) {
        System.out.println("== " + variant.label);
        double[][] curve = new double[epochs][];
        try (Workspace ws = config.denseWorkspace()) {
          GanStep gan =
              new GanStep(
                  ws,
                  generator(),
                  discriminator(variant),
                  CODINGS_SIZE,
                  BATCH_SIZE,
                  Conditioning.NONE,
                  variant.optimizer,
                  data.xTrain(),
                  null,
                  data.xValid(),
                  null);
          if (variant.replay) {
            gan.withReplay(
                new DcganExperienceReplay.ReplayBuffer(
                    DcganExperienceReplay.REPLAY_BUFFER_SIZE, config.seeds().shuffle()));
          }
          History history =
              gan.trainGan(
                  config.checkpointFolder(),
                  "gan_difficulties_" + variant.id(),
                  epochs,
                  listeners(
                      config,
                      h -> {
                        if (evaluator != null) {
                          curve[h.size() - 1] = score(evaluator, gan.generate(codings));
                          System.out.printf(
                              Locale.ROOT,
                              "epoch %d: FID-FMNIST %.1f, coverage %.3f (%d samples)%n",
                              h.size(),
                              curve[h.size() - 1][0],
                              curve[h.size() - 1][1],
                              codings.count());
                        }
                      }));
          histories.put("gan_difficulties_" + variant.id(), history);
          samples.add(gan.generate(codings).take(10));
        }
        curves.put(variant, curve);
        if (evaluator != null) {
          measures.put(variant.id() + " FID-FMNIST", curve[epochs - 1][0]);
          measures.put(variant.id() + " coverage", curve[epochs - 1][1]);
        }
      }
    }
    List<Path> figures = new ArrayList<>();
    if (scored) {
      figures.add(
          Figures.saveFig(plotCurves(curves, epochs), config.outDir(), "gan_difficulties_plot"));
    }
    figures.add(
        Figures.saveFig(
            ImageGrid.plotRows(samples), config.outDir(), "gan_difficulties_samples_plot"));
    return new RunReport(histories, measures, figures);
  }

  /** {@link GenerativeAdversarialNetwork}'s generator. */
  private static Sequential generator() {
    return Sequential.of(
        new Dense(100, RELU).kernelInitializer(HE_NORMAL),
        new Dense(150, RELU).kernelInitializer(HE_NORMAL),
        new Dense(28 * 28, SIGMOID),
        new Reshape(28, 28));
  }

  /**
   * {@link GenerativeAdversarialNetwork}'s discriminator, with the variant's layer before its head.
   */
  private static Sequential discriminator(Variant variant) {
    List<Layer> layers = new ArrayList<>();
    layers.add(new Flatten());
    layers.add(new Dense(150, RELU).kernelInitializer(HE_NORMAL));
    layers.add(new Dense(100, RELU).kernelInitializer(HE_NORMAL));
    if (variant.extraLayer != null) {
      layers.add(variant.extraLayer.get());
    }
    layers.add(new Dense(1, SIGMOID));
    return Sequential.of(layers.toArray(new Layer[0]));
  }

  private static double[] score(Evaluator evaluator, Images images) {
    return new double[] {
      evaluator.fid(images), Metrics.classCoverage(evaluator.predict(images), 10)
    };
  }

  /** FID-FMNIST (left) and coverage (right) per epoch, one line per variant. */
  private static BufferedImage plotCurves(Map<Variant, double[][]> curves, int epochs) {
    Color[] colors = {Color.BLACK, Color.RED, Color.BLUE, new Color(0, 140, 0), Color.MAGENTA};
    LinePlot fid = new LinePlot("FID-FMNIST (2,000 samples)", "epoch", "FID-FMNIST");
    LinePlot coverage = new LinePlot("class coverage", "epoch", "coverage").yRange(0, 1);
    double[] x = new double[epochs];
    for (int e = 0; e < epochs; e++) {
      x[e] = e + 1;
    }
    int i = 0;
    for (Map.Entry<Variant, double[][]> entry : curves.entrySet()) {
      double[] f = new double[epochs];
      double[] c = new double[epochs];
      for (int e = 0; e < epochs; e++) {
        f[e] = entry.getValue()[e][0];
        c[e] = entry.getValue()[e][1];
      }
      LinePlot.Style style = i == 0 ? LinePlot.Style.DASHED : LinePlot.Style.SOLID;
      fid.series(entry.getKey().label, x, f, colors[i], style);
      coverage.series(entry.getKey().label, x, c, colors[i], style);
      i++;
    }
    BufferedImage left = fid.render();
    BufferedImage right = coverage.render();
    BufferedImage both =
        new BufferedImage(
            left.getWidth() + right.getWidth(), left.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = both.createGraphics();
    g.drawImage(left, 0, 0, null);
    g.drawImage(right, left.getWidth(), 0, null);
    g.dispose();
    return both;
  }

  /** Runs this section with {@code run}'s options ({@code --epochs}, {@code --quick}, ...). */
  public static void main(String[] args) {
    System.out.print(run(RunConfig.fromArgs(args)).summary());
  }

  /** The run's listeners, then one calling {@code afterEpoch} with the history after each epoch. */
  private static List<Fit.Listener> listeners(RunConfig config, Consumer<History> afterEpoch) {
    List<Fit.Listener> listeners = new ArrayList<>(config.fitListeners());
    listeners.add(Fit.Listener.afterEachEpoch(afterEpoch));
    return listeners;
  }
}
