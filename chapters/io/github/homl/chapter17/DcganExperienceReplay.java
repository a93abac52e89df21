package io.github.homl.chapter17;

import io.github.homl.config.RunConfig;
import io.github.homl.data.FashionMnist;
import io.github.homl.data.Images;
import io.github.homl.evaluation.PixelRange;
import io.github.homl.evaluation.SampleScores;
import io.github.homl.figures.Figures;
import io.github.homl.figures.LinePlot;
import io.github.homl.gan.GanResults;
import io.github.homl.gan.GanStep;
import io.github.homl.layers.Sequential;
import io.github.homl.training.History;
import io.github.homl.training.RunReport;
import io.github.homl.training.Workspace;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Exercise 12, experience replay (the notebook's answer is "TODO"): the book's DCGAN trained twice
 * with the same seed and epochs, once as in the book and once with a replay buffer of past fakes.
 * In phase 1 half of the discriminator's fake images are fresh and half are drawn from the buffer,
 * so the discriminator keeps rejecting what earlier generators produced and the generator cannot
 * simply move back to an old mode; afterwards the shown fresh half replaces random buffer entries
 * (Shrivastava et al. 2017, "Learning from Simulated and Unsupervised Images through Adversarial
 * Training", §2.3).
 *
 * <p>Writes {@code dcgan_replay_off_generated_images_plot.png} and {@code
 * dcgan_replay_on_generated_images_plot.png} (4×8 each, from the same seeded noise), and {@code
 * dcgan_replay_losses_plot.png} (mean d_loss and g_loss per epoch of both runs). With {@code
 * --pretrained} only the run with replay is drawn and scored: its generator is the one committed.
 *
 * <p>Ends with the yardstick ({@link SampleScores}): FID-FMNIST, KID and class coverage of 10,000
 * fresh samples, printed and saved as {@code dcgan_replay_off_scores.json} and {@code
 * dcgan_replay_on_scores.json}.
 *
 * <p><b>Deviations:</b> the buffer is not checkpointed: after {@code --resume} it starts empty and
 * refills within the first steps. The run without replay repeats the {@code dcgan} section's
 * training (same model, seed and data); run this section with fewer {@code --epochs} to compare
 * cheaply.
 */
public final class DcganExperienceReplay {

  /** Past fakes kept; at 16 new ones per step an entry survives about 625 steps on average. */
  static final int REPLAY_BUFFER_SIZE = 10_000;

  private static final int CODINGS = DeepConvolutionalGan.CODINGS_SIZE;

  public static RunReport run(RunConfig config) {
    FashionMnist dcganData = config.pretrained() ? null : config.loadData().scaled(2f, -1f);
    Map<String, History> histories = new LinkedHashMap<>();
    List<Path> figures = new ArrayList<>();
    Map<String, Double> scores = new LinkedHashMap<>();
    // extra code – only the run with replay is committed (the pretrained models' 25 MB budget);
    // the run without it is the dcgan section's recipe, whose 50-epoch generator is committed
    List<String> variants =
        config.pretrained()
            ? List.of("dcgan_replay_on")
            : List.of("dcgan_replay_off", "dcgan_replay_on");
    for (String variant : variants) {
      System.out.println("== " + variant);
      RunReport report =
          config.pretrained() // extra code – the committed generators instead of training
              ? GanResults.pretrained(
                  config.outputs(),
                  "dcgan_replay",
                  variant + "_generator",
                  variant,
                  CODINGS,
                  PixelRange.SYMMETRIC,
                  UnaryOperator.identity())
              : train(config, variant, dcganData);
      histories.putAll(report.histories());
      figures.addAll(report.figures());
      scores.putAll(report.measures());
    }
    figures.add(
        Figures.saveFig(plotLosses(histories), config.outDir(), "dcgan_replay_losses_plot"));
    return new RunReport(histories, scores, figures);
  }

  /** The book's DCGAN trained with the variant's fakes: as in the book, or with replay. */
  private static RunReport train(RunConfig config, String variant, FashionMnist dcganData) {
    try (Workspace ws = config.workspace()) {
      Sequential generator = DeepConvolutionalGan.generator();
      Sequential discriminator = DeepConvolutionalGan.discriminator();
      GanStep gan =
          GanStep.of(
              ws,
              generator,
              discriminator,
              CODINGS,
              DeepConvolutionalGan.BATCH_SIZE,
              dcganData.xTrain(),
              dcganData.xValid());
      if (variant.endsWith("_on")) {
        gan.withReplay(new ReplayBuffer(REPLAY_BUFFER_SIZE, config.seeds().shuffle()));
      }
      History history =
          gan.trainGan(
              config.checkpointFolder(),
              variant,
              config.epochs(DeepConvolutionalGan.EPOCHS),
              config.fitListeners());
      // extra code – hands each trained generator to the CLI's export command (if it asked)
      config.export(ws, variant + "_generator", history, gan::signatures);
      return GanResults.report(
          config.outputs(), variant, history, gan::generate, CODINGS, PixelRange.SYMMETRIC);
    }
  }

  private static BufferedImage plotLosses(Map<String, History> runs) {
    boolean both = runs.containsKey("dcgan_replay_off");
    String title =
        both ? "DCGAN without and with experience replay" : "DCGAN with experience replay";
    LinePlot plot = new LinePlot(title, "epoch", "loss");
    if (both) {
      plot = runs.get("dcgan_replay_off").addTo(plot, "no replay: ", 0, false);
    }
    return runs.get("dcgan_replay_on").addTo(plot, "replay: ", 2, false).render();
  }

  /**
   * A buffer of past fake images. {@link #apply} returns phase 1's fakes with their second half
   * replaced by random past fakes (all fresh while the buffer holds fewer than half a batch), then
   * stores the fresh first half: appended while there is room, else over random entries.
   */
  static final class ReplayBuffer implements UnaryOperator<Images> {

    private final int capacity;
    private final Random random;
    private float[] pixels;
    private int size;

    ReplayBuffer(int capacity, long seed) {
      if (capacity < 1) {
        throw new IllegalArgumentException("capacity must be positive, got " + capacity);
      }
      this.capacity = capacity;
      this.random = new Random(seed);
    }

    int size() {
      return size;
    }

    @Override
    public Images apply(Images generatedImages) {
      int n = generatedImages.pixelsPerImage();
      if (pixels == null) {
        pixels = new float[capacity * n];
      }
      int half = generatedImages.count() / 2;
      float[] mixed = generatedImages.pixels().clone();
      if (size >= half) {
        for (int i = half; i < generatedImages.count(); i++) {
          System.arraycopy(pixels, random.nextInt(size) * n, mixed, i * n, n);
        }
      }
      for (int i = 0; i < half; i++) {
        int slot = size < capacity ? size++ : random.nextInt(capacity);
        System.arraycopy(generatedImages.pixels(), i * n, pixels, slot * n, n);
      }
      return new Images(
          mixed, generatedImages.count(), generatedImages.height(), generatedImages.width());
    }
  }

  /** Runs this section with {@code run}'s options ({@code --epochs}, {@code --quick}, ...). */
  public static void main(String[] args) {
    System.out.print(run(RunConfig.fromArgs(args)).summary());
  }
}
