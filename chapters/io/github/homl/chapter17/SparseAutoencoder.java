package io.github.homl.chapter17;

import static io.github.homl.layers.Activation.RELU;
import static io.github.homl.layers.Activation.SIGMOID;

import io.github.homl.config.RunConfig;
import io.github.homl.data.FashionMnist;
import io.github.homl.data.Images;
import io.github.homl.figures.Figures;
import io.github.homl.figures.LinePlot;
import io.github.homl.layers.AbstractLayer;
import io.github.homl.layers.ActivityRegularization;
import io.github.homl.layers.CallContext;
import io.github.homl.layers.Dense;
import io.github.homl.layers.Flatten;
import io.github.homl.layers.Layer;
import io.github.homl.layers.Layers;
import io.github.homl.layers.Reshape;
import io.github.homl.layers.Sequential;
import io.github.homl.training.History;
import io.github.homl.training.RunReport;
import io.github.homl.training.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Sparse Autoencoders: a 300-unit sigmoid coding layer pushed towards sparsity, first by an L1
 * activity penalty ({@code ActivityRegularization(l1=1e-4)}; the book's val_loss 0.0111), then by a
 * KL-divergence regularizer towards a 10% mean activation (weight 5e-3; the book's val_loss
 * 0.0099). Both train 10 epochs. Prints the measured mean activation of the coding layer on the
 * validation set for each.
 *
 * <p>Writes {@code sparsity_loss_plot.png} (Figure 17-10: KL divergence, MAE and MSE against the
 * actual sparsity for a target of 0.1), and each model's reconstructions (the notebook plots but
 * does not save them): {@code sparse_l1_reconstruction_plot.png}, {@code
 * sparse_kl_reconstruction_plot.png}.
 *
 * <p><b>Deviation:</b> Keras attaches the KL regularizer as the coding Dense layer's {@code
 * activity_regularizer}; our toolkit has no such argument, so {@link KLDivergenceRegularizer} is a
 * pass-through layer right after that Dense, which adds the same loss term.
 */
public final class SparseAutoencoder {

  private static final int EPOCHS = 10;

  public static RunReport run(RunConfig config) {
    FashionMnist data = config.loadData();
    Map<String, History> histories = new LinkedHashMap<>();
    Map<String, Double> measures = new LinkedHashMap<>();
    List<Path> figures = new ArrayList<>();

    // Figure 17-10
    figures.add(Figures.saveFig(sparsityLossPlot(), config.outDir(), "sparsity_loss_plot"));

    // the L1 penalty: ActivityRegularization(l1=1e-4) after the 300-unit coding layer
    trainSparseAe(
        config, data, new ActivityRegularization(1e-4f), "sparse_l1", histories, measures, figures);
    // the KL penalty: activity_regularizer=KLDivergenceRegularizer(weight=5e-3, target=0.1)
    trainSparseAe(
        config,
        data,
        new KLDivergenceRegularizer(5e-3f, 0.1f),
        "sparse_kl",
        histories,
        measures,
        figures);
    measures.forEach((name, value) -> System.out.printf("%s: %.4f%n", name, value));
    return new RunReport(histories, measures, figures);
  }

  /** Trains one sparse AE whose coding layer is followed by {@code sparsityRegularizer}. */
  private static void trainSparseAe(
      RunConfig config,
      FashionMnist data,
      Layer sparsityRegularizer,
      String name,
      Map<String, History> histories,
      Map<String, Double> measures,
      List<Path> figures) {
    try (Workspace ws = config.denseWorkspace()) {
      // begin listing sparse_ae
      Sequential sparseEncoder =
          Sequential.of(
              new Flatten(), new Dense(100, RELU), new Dense(300, SIGMOID), sparsityRegularizer);
      Sequential sparseDecoder =
          Sequential.of(new Dense(100, RELU), new Dense(28 * 28), new Reshape(28, 28));
      Sequential sparseAe = Sequential.of(sparseEncoder, sparseDecoder);
      // end listing
      histories.put(
          name + "_ae",
          config.pretrained()
              ? StackedAutoencoder.pretrained(ws, "sparse", name + "_ae", sparseAe, data)
              : StackedAutoencoder.compileAndFit(
                  ws, sparseEncoder, sparseDecoder, sparseAe, name + "_ae", config, data, EPOCHS));
      measures.put(
          name + "_ae mean coding activation", meanActivation(ws, sparseEncoder, data.xValid()));
      figures.add(
          Figures.saveFig(
              StackedAutoencoder.plotReconstructions(ws, sparseAe, data.xValid()),
              config.outDir(),
              name + "_reconstruction_plot"));
    }
  }

  /** The mean over images and units of the coding layer's activations (the book: about 10%). */
  // begin listing mean_activation
  public static double meanActivation(Workspace ws, Layer encoder, Images images) {
    float[] codings = ws.encode(encoder, images).values();
    double sum = 0;
    for (float c : codings) {
      sum += c;
    }
    return sum / codings.length;
  }

  // end listing

  // begin listing sparsity_loss_plot
  static final double P = 0.1; // target sparsity for Figure 17-10

  /**
   * Figure 17-10: the three sparsity losses for a target p = 0.1, against the actual sparsity q.
   */
  public static java.awt.image.BufferedImage sparsityLossPlot() {
    int n = 500;
    double[] q = new double[n];
    double[] kl = new double[n];
    double[] mae = new double[n];
    double[] mse = new double[n];
    for (int i = 0; i < n; i++) {
      q[i] = 0.001 + (0.999 - 0.001) * i / (n - 1); // np.linspace(0.001, 0.999, 500)
      kl[i] = P * Math.log(P / q[i]) + (1 - P) * Math.log((1 - P) / (1 - q[i]));
      mae[i] = Math.abs(P - q[i]);
      mse[i] = (P - q[i]) * (P - q[i]);
    }
    return new LinePlot("", "Actual sparsity", "Cost")
        .series("KL divergence", q, kl)
        .series("MAE (|p - q|)", q, mae, java.awt.Color.BLUE, LinePlot.Style.DASHED)
        .series("MSE (p - q)²", q, mse, java.awt.Color.RED, LinePlot.Style.DOTTED)
        .series(
            "",
            new double[] {P, P},
            new double[] {0, 0.95},
            java.awt.Color.BLACK,
            LinePlot.Style.DOTTED)
        .text("Target sparsity", P + 0.02, 0.6)
        .xRange(0, 1)
        .yRange(0, 0.95)
        .legend(LinePlot.LegendLocation.UPPER_LEFT)
        .render();
  }

  // end listing

  /**
   * The book's {@code KLDivergenceRegularizer(weight, target)}: passes its input through and adds
   * {@code weight · (KL(target ‖ q) + KL(1 - target ‖ 1 - q)) / batchSize}, where {@code q} is the
   * mean activation of each unit over the batch, each KL is Keras's {@code
   * kullback_leibler_divergence} (both arguments clipped to [1e-7, 1], summed over the units), and
   * the division by the batch size is what Keras 2 does to every activity regularizer.
   */
  // begin listing kl_divergence_regularizer
  public static final class KLDivergenceRegularizer extends AbstractLayer {

    private final float weight;
    private final float target;

    public KLDivergenceRegularizer(float weight, float target) {
      super("kl_divergence_regularizer");
      this.weight = weight;
      this.target = target;
    }

    @Override
    protected Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs) {
      Ops tf = ctx.tf();
      Operand<TFloat32> meanActivities = tf.math.mean(inputs, tf.constant(0)); // [units]
      Operand<TFloat32> one = tf.constant(1f);
      Operand<TFloat32> kl =
          tf.math.add(
              kullbackLeibler(tf, tf.constant(target), meanActivities),
              kullbackLeibler(tf, tf.constant(1f - target), tf.math.sub(one, meanActivities)));
      ctx.addLoss(tf.math.div(tf.math.mul(tf.constant(weight), kl), Layers.batchSize(tf, inputs)));
      return inputs;
    }

    /**
     * Keras's kullback_leibler_divergence: {@code sum(p · log(p / q))}, both clipped to [1e-7, 1].
     */
    private static Operand<TFloat32> kullbackLeibler(
        Ops tf, Operand<TFloat32> p, Operand<TFloat32> q) {
      Operand<TFloat32> lo = tf.constant(1e-7f);
      Operand<TFloat32> hi = tf.constant(1f);
      Operand<TFloat32> pc = tf.clipByValue(p, lo, hi);
      Operand<TFloat32> qc = tf.clipByValue(q, lo, hi);
      // the scalar target broadcasts over the units: [units], summed over the last axis
      Operand<TFloat32> terms = tf.math.mul(pc, tf.math.log(tf.math.div(pc, qc)));
      return tf.reduceSum(terms, tf.constant(-1));
    }
  }

  // end listing

  /** Runs this section with {@code run}'s options ({@code --epochs}, {@code --quick}, ...). */
  public static void main(String[] args) {
    System.out.print(run(RunConfig.fromArgs(args)).summary());
  }
}
