package io.github.homl.chapter17;

// the progressive GAN's sizes: 64 codings, 64/32/16 feature maps at 7×7, 14×14, 28×28, batch 32
import static io.github.homl.chapter17.ProgressiveGan.BATCH_SIZE;
import static io.github.homl.chapter17.ProgressiveGan.CODINGS_SIZE;
import static io.github.homl.chapter17.ProgressiveGan.FILTERS;

import io.github.homl.data.Batches;
import io.github.homl.data.FashionMnist;
import io.github.homl.data.Images;
import io.github.homl.evaluation.SampleScores;
import io.github.homl.figures.Figures;
import io.github.homl.gan.GanLosses;
import io.github.homl.gan.ProGanDiscriminator;
import io.github.homl.gan.ProGanTraining;
import io.github.homl.gan.StyleGanGenerator;
import io.github.homl.gan.StyleGanGenerator.Noise;
import io.github.homl.gan.StyleGanMixingPlot;
import io.github.homl.gan.TwoPhaseStep;
import io.github.homl.layers.CallContext;
import io.github.homl.saving.SavedModels;
import io.github.homl.training.Fit;
import io.github.homl.training.History;
import io.github.homl.training.KerasOptimizer;
import io.github.homl.training.RunConfig;
import io.github.homl.training.RunReport;
import io.github.homl.training.TrainStep;
import io.github.homl.training.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * StyleGANs — the book's "StyleGANs" (Karras et al. 2019): a small StyleGAN-style generator ({@link
 * StyleGanGenerator}: an 8-layer mapping network, a learned constant input, AdaIN, per-layer noise
 * with learned per-channel scales) trained on Fashion-MNIST at 28×28 against {@link
 * ProgressiveGan}'s discriminator and loss, with mixing regularization: 90% of the generated images
 * use two codes, switching from the first w to the second at a random style layer.
 *
 * <p>Batch 32 with drop-remainder, Adam (lr 1e-3, β1 0, β2 0.99, ε 1e-8) for both networks, with
 * the paper's 100× lower learning rate for the mapping network ({@link MappingAdam}), {@value
 * #EPOCHS} epochs (about 7 minutes of CPU time; 12 minutes measured on 2 cores shared with other
 * jobs). The histories {@code stylegan_discriminator} and {@code stylegan_generator} hold the mean
 * d_loss and g_loss of each epoch, and as val_loss the same losses on the validation images.
 *
 * <p>Writes {@code stylegan_generated_images_plot.png} (32 images from random codings, 4×8) and
 * {@code stylegan_style_mixing_plot.png}, laid out as the StyleGAN paper's Figure 3: the top row
 * shows the source B images, the left column the source A images, and the cell at row i, column j
 * is generated with the coarse styles (the first {@value #COARSE_LAYERS} style layers, at 7×7 and
 * 14×14) of source A<sub>i</sub> and the fine ones (28×28) of source B<sub>j</sub>. The noise maps
 * are fixed for the whole figure, so only the styles vary. In our run each row keeps the garment
 * and silhouette of its A source while the columns change its shading and contrast to B's.
 *
 * <p>Ends with the yardstick ({@link SampleScores}): FID-FMNIST, KID and class coverage of 10,000
 * fresh samples (the linear output clipped to [-1, 1]), printed and saved as {@code
 * stylegan_scores.json}.
 *
 * <p><b>Deviations:</b> the notebook has no code for this section. The generator is trained at
 * 28×28 from the start instead of growing progressively (as StyleGAN2 does); no truncation trick,
 * no moving average of the generator's weights; 3 resolutions with 64/32/16 feature maps and
 * 64-dimensional z and w instead of 9 resolutions with 512. The loss is {@link ProgressiveGan}'s
 * (the book's cross-entropy, from logits).
 */
public final class StyleGan {

  static final int EPOCHS = 3;
  static final float MIXING_PROBABILITY = 0.9f;

  /** The paper's learning-rate multiplier of the mapping network. */
  static final float MAPPING_LR_MULTIPLIER = 0.01f;

  /** Style layers taken from source A in the style-mixing figure: the four at 7×7 and 14×14. */
  static final int COARSE_LAYERS = 4;

  static RunReport run(RunConfig config) {
    FashionMnist data = config.loadData().scaled(2, -1); // tanh-like range [-1, 1]
    Images xTrain = data.xTrain();
    List<Path> figures = new ArrayList<>();
    try (Workspace ws = Workspace.create(config.seed())) {
      Ops tf = ws.tf();
      StyleGanGenerator generator = new StyleGanGenerator(CODINGS_SIZE, FILTERS);
      ProGanDiscriminator discriminator = new ProGanDiscriminator(FILTERS);
      Placeholder<TFloat32> xBatch = ws.placeholder(BATCH_SIZE, 28, 28);
      Operand<TFloat32> real = tf.reshape(xBatch, tf.constant(new long[] {-1, 28, 28, 1}));

      // phase 1 - training the discriminator (generator(noise) runs in inference mode)
      Operand<TFloat32> generatedImages = mixedFakes(ws, generator, ws.inference());
      Operand<TFloat32> dLoss =
          GanLosses.discriminatorLoss(
              tf,
              discriminator.call(ws.training(), generatedImages),
              discriminator.call(ws.training(), real));
      TrainStep discriminatorStep =
          ws.trainStep(dLoss, discriminator::trainableVariables, ProGanTraining::adam);
      // phase 2 - training the generator through the discriminator, whose variables stay fixed
      Operand<TFloat32> fakeImages = mixedFakes(ws, generator, ws.training());
      Operand<TFloat32> gLoss =
          GanLosses.generatorLoss(tf, discriminator.call(ws.training(), fakeImages));
      TrainStep generatorStep =
          ws.trainStep(
              gLoss,
              generator,
              () -> new MappingAdam(generator.mappingVariables(), MAPPING_LR_MULTIPLIER));

      Operand<TFloat32> samples =
          generator.call(ws.inference(), ws.normal(32, CODINGS_SIZE), Noise.RANDOM);
      Operand<TFloat32> scoringSamples =
          generator.call(ws.inference(), ws.normal(SampleScores.BATCH, CODINGS_SIZE), Noise.RANDOM);
      StyleGanMixingPlot mixing =
          StyleGanMixingPlot.build(ws, generator, config.seed(), CODINGS_SIZE, COARSE_LAYERS);

      Images xValid = data.xValid();
      History history =
          Fit.of(
                  ws,
                  new TwoPhaseStep(
                      ws, discriminatorStep, generatorStep, xBatch, xTrain, xValid, ws::feeds),
                  Batches.of(xTrain.count(), BATCH_SIZE).shuffled(config.seed()).dropRemainder())
              .validation(Batches.of(xValid.count(), BATCH_SIZE).dropRemainder())
              .checkpoints(config.checkpoints("stylegan"), config.resume())
              .run(config.epochs(EPOCHS));
      // extra code – hands the trained generator (and its style mixing) to the CLI's export
      config.export(ws, "stylegan_generator", history, () -> signatures(ws, generator));

      figures.add(
          Figures.saveImages(
              ws.images(samples), 8, config.outDir(), "stylegan_generated_images_plot"));
      // Figure 3 of the StyleGAN paper, at Fashion-MNIST scale
      figures.add(Figures.saveFig(mixing.plot(ws), config.outDir(), "stylegan_style_mixing_plot"));
      // extra code – FID-FMNIST, KID and coverage of fresh samples
      Map<String, Double> scores =
          SampleScores.score(config, "stylegan", SampleScores.fromLinearOp(ws, scoringSamples));
      return new RunReport(Map.of("stylegan", history), scores, figures);
    }
  }

  /**
   * {@code serving_default}: {@code codings [-1, 64]} → {@code images [-1, 28, 28, 1]} with fresh
   * noise maps; {@code mix}: {@code codings_a} and {@code codings_b} → {@code images} with the
   * coarse styles (the first {@value #COARSE_LAYERS} style layers) of A and the fine ones of B.
   */
  private static List<Signature> signatures(Workspace ws, StyleGanGenerator generator) {
    Placeholder<TFloat32> codings = SavedModels.floatInput(ws, "codings", -1, CODINGS_SIZE);
    Operand<TFloat32> images = generator.call(ws.inference(), codings, Noise.RANDOM);
    Placeholder<TFloat32> codingsA = SavedModels.floatInput(ws, "codings_a", -1, CODINGS_SIZE);
    Placeholder<TFloat32> codingsB = SavedModels.floatInput(ws, "codings_b", -1, CODINGS_SIZE);
    Operand<TFloat32> mixed =
        generator.mix(ws.inference(), codingsA, codingsB, COARSE_LAYERS, Noise.RANDOM);
    return List.of(
        Signature.builder()
            .input("codings", codings)
            .output("images", SavedModels.output(ws, "images", images))
            .build(),
        Signature.builder()
            .key("mix")
            .input("codings_a", codingsA)
            .input("codings_b", codingsB)
            .output("images", SavedModels.output(ws, "mixed_images", mixed))
            .build());
  }

  /** A batch of fakes from two noise batches, mixed with {@value #MIXING_PROBABILITY}. */
  private static Operand<TFloat32> mixedFakes(
      Workspace ws, StyleGanGenerator generator, CallContext ctx) {
    return generator.mixRandomly(
        ctx,
        ws.normal(BATCH_SIZE, CODINGS_SIZE),
        ws.normal(BATCH_SIZE, CODINGS_SIZE),
        BATCH_SIZE,
        MIXING_PROBABILITY);
  }

  /**
   * The paper's Adam ({@link ProGanTraining#adam}) with the mapping network's learning rate
   * multiplied by {@code multiplier}. With Adam, whose steps do not depend on the gradient's scale,
   * this is what StyleGAN's learning-rate multiplier does (weights stored as N(0, 1/multiplier²)
   * and scaled by {@code multiplier} at run time): without it, the mapping network collapses to a
   * constant w within a few hundred steps and every image is the same.
   */
  static final class MappingAdam extends KerasOptimizer {

    private static final float BETA_1 = 0f;
    private static final float BETA_2 = 0.99f;
    private static final float EPSILON = 1e-8f;

    private final Set<Variable<TFloat32>> slowVariables =
        Collections.newSetFromMap(new IdentityHashMap<>());
    private final float multiplier;

    MappingAdam(List<Variable<TFloat32>> slowVariables, float multiplier) {
      super("Adam", 1e-3f);
      this.slowVariables.addAll(slowVariables);
      this.multiplier = multiplier;
    }

    @Override
    protected Op update(
        Ops tf, Variable<TFloat32> variable, Operand<TFloat32> gradient, Operand<TFloat32> step) {
      float lr = slowVariables.contains(variable) ? learningRate * multiplier : learningRate;
      Variable<TFloat32> m = slot(tf, "m", variable);
      Variable<TFloat32> v = slot(tf, "v", variable);
      return tf.train.applyAdam(
          variable,
          m,
          v,
          tf.math.pow(tf.constant(BETA_1), step),
          tf.math.pow(tf.constant(BETA_2), step),
          tf.constant(lr),
          tf.constant(BETA_1),
          tf.constant(BETA_2),
          tf.constant(EPSILON),
          gradient);
    }
  }

  /** Runs this section with {@code run}'s options ({@code --epochs}, {@code --quick}, ...). */
  public static void main(String[] args) {
    System.out.print(run(RunConfig.fromArgs(args)).summary());
  }
}
