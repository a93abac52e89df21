package io.github.homl.gan;

import io.github.homl.data.Batches;
import io.github.homl.data.Images;
import io.github.homl.data.Vectors;
import io.github.homl.layers.CallContext;
import io.github.homl.layers.Layer;
import io.github.homl.saving.SavedModels;
import io.github.homl.training.CheckpointFolder;
import io.github.homl.training.Feeds;
import io.github.homl.training.Fit;
import io.github.homl.training.GradientUpdate;
import io.github.homl.training.History;
import io.github.homl.training.KerasOptimizer;
import io.github.homl.training.LossValues;
import io.github.homl.training.RMSProp;
import io.github.homl.training.TrainingStep;
import io.github.homl.training.Workspace;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One step of the book's {@code train_gan}, shared by the GAN, the DCGAN and exercise 12 (the loop
 * is {@link io.github.homl.training.Fit}'s). The graph of both phases is built once, and each step
 * runs both in one {@code Session.run}, phase 2 ordered after phase 1's update (so it trains the
 * generator against the updated discriminator, as the book's two {@code train_on_batch} calls do):
 *
 * <ol>
 *   <li>phase 1, the discriminator: {@code generated_images = generator(noise)} in inference mode
 *       (a direct Keras call outside {@code fit}; for the DCGAN this means BatchNormalization uses
 *       its moving statistics), then one update of the discriminator's variables only, on {@code
 *       concat([generated_images, X_batch])} labelled 0 (fake) then 1 (real);
 *   <li>phase 2, the generator: one update of the generator's variables only, through the
 *       discriminator in training mode, on fresh noise labelled 1.
 * </ol>
 *
 * <p>The book compiles the discriminator, then sets {@code discriminator.trainable = False} and
 * compiles {@code gan}: so {@code discriminator.train_on_batch} updates the discriminator and
 * {@code gan.train_on_batch} only the generator. Here that is the owner of each step. The loss is
 * Keras 2's {@code binary_crossentropy} from the logits ({@link GanLosses#binaryCrossentropy}); the
 * optimizers are two Keras-exact RMSprop. The generated images never leave the graph, unless a
 * replay buffer ({@link #withReplay}) swaps some of them; the class labels of a conditional GAN
 * enter through its {@link Conditioning}. The held-out losses ({@link #testStep}) are the same
 * losses in inference mode on validation images and fresh noise.
 */
public class GanStep implements TrainingStep {

  /** The book's {@code dataset.shuffle(1000)}. */
  public static final int SHUFFLE_BUFFER_SIZE = 1000;

  private final Workspace ws;
  private final Layer generator;
  private final int codingsSize;
  private final int batchSize;
  private final int height;
  private final Conditioning conditioning;
  private final Images xTrain;
  private final int[] yTrain;
  private final Images xValid;
  private final int[] yValid;

  // phase 1
  private final Operand<TFloat32> generatedImages;
  private final Placeholder<TFloat32> xBatch;
  private final Operand<TInt32> realClasses;
  private final Operand<TFloat32> fakes;
  private final GradientUpdate discriminatorStep;
  private final Operand<TFloat32> discriminatorHeldOutLoss;
  // phase 2
  private final GradientUpdate generatorStep;
  private final Operand<TFloat32> generatorHeldOutLoss;
  // generate()
  private Placeholder<TFloat32> codingsInput;
  private Placeholder<TInt32> classesInput;
  private Operand<TFloat32> generatorOutput;

  /** What phase 1 feeds besides the real batch: nothing, or a replay buffer's fakes. */
  private Phase1 phase1 = (batch, feeds) -> feeds;

  private interface Phase1 {
    Feeds feeds(Batch batch, Feeds realFeeds);
  }

  /**
   * Builds both phases for batches of {@code batchSize} images, fed in the shape of the generator's
   * output ({@code [batch, 28, 28]} or {@code [batch, 28, 28, 1]}), each network updated by a fresh
   * {@code optimizer} (the book's {@code RMSProp::new}; its GAN collapsed with Nadam, which {@code
   * chapter17.GanTrainingDifficulties} shows); {@code yTrain} and {@code yValid} are the classes a
   * conditional GAN needs (null for {@link Conditioning#NONE}).
   */
  public GanStep(
      Workspace ws,
      Layer generator,
      Layer discriminator,
      int codingsSize,
      int batchSize,
      Conditioning conditioning,
      Supplier<KerasOptimizer> optimizer,
      Images xTrain,
      int[] yTrain,
      Images xValid,
      int[] yValid) {
    this.ws = ws;
    this.generator = generator;
    this.codingsSize = codingsSize;
    this.batchSize = batchSize;
    this.conditioning = conditioning;
    this.xTrain = xTrain;
    this.yTrain = yTrain;
    this.xValid = xValid;
    this.yValid = yValid;
    Ops tf = ws.tf();

    // phase 1 - training the discriminator
    Operand<TInt32> fakeClasses = conditioning.randomClasses(ws.random(), tf, batchSize);
    generatedImages =
        generator.apply(
            ws.inference(),
            conditioning.generatorInputs(tf, ws.normal(batchSize, codingsSize), fakeClasses));
    // the real images are fed in the generator's output shape: [batch, 28, 28] or [..., 1]
    long[] batchDims = generatedImages.shape().asArray();
    this.height = (int) batchDims[1];
    // the discriminator sees these fakes; only a replay buffer feeds others in their place
    fakes = tf.placeholderWithDefault(generatedImages, Shape.of(batchDims));
    xBatch = ws.placeholder(batchDims);
    realClasses = conditioning.realClasses(tf, batchSize);
    Operand<TFloat32> xFakeAndReal = tf.concat(List.of(fakes, xBatch), tf.constant(0));
    Operand<TInt32> yClasses = conditioning.fakeThenReal(tf, fakeClasses, realClasses);
    Operand<TFloat32> y1 = column(tf, batchSize, 0f, 1f); // [[0.]] * batch + [[1.]] * batch
    discriminatorStep =
        ws.gradientUpdate(
            GanLosses.binaryCrossentropy(
                tf,
                y1,
                discriminator.apply(
                    ws.training(), conditioning.discriminatorInputs(tf, xFakeAndReal, yClasses))),
            discriminator,
            optimizer);
    discriminatorHeldOutLoss =
        GanLosses.binaryCrossentropy(
            tf,
            y1,
            discriminator.apply(
                ws.inference(), conditioning.discriminatorInputs(tf, xFakeAndReal, yClasses)));

    // phase 2 - training the generator
    Operand<TFloat32> y2 = column(tf, batchSize, 1f, 1f); // [[1.]] * batch_size
    generatorStep =
        ws.gradientUpdate(
            GanLosses.binaryCrossentropy(
                tf, y2, gan(tf, ws.training(discriminatorStep.update()), discriminator, batchSize)),
            generator,
            optimizer);
    generatorHeldOutLoss =
        GanLosses.binaryCrossentropy(tf, y2, gan(tf, ws.inference(), discriminator, batchSize));
  }

  /** The book's GAN and DCGAN. */
  public static GanStep of(
      Workspace ws,
      Layer generator,
      Layer discriminator,
      int codingsSize,
      int batchSize,
      Images xTrain,
      Images xValid) {
    return new GanStep(
        ws,
        generator,
        discriminator,
        codingsSize,
        batchSize,
        Conditioning.NONE,
        RMSProp::new,
        xTrain,
        null,
        xValid,
        null);
  }

  /**
   * Shows the discriminator {@code replay(generated_images)} (same count) in phase 1 instead of the
   * fresh fakes: exercise 12's experience replay. The fakes then travel to the host and back.
   */
  public GanStep withReplay(UnaryOperator<Images> replay) {
    this.phase1 =
        (batch, feeds) -> {
          // the fakes need only the step's random key, not the real batch
          Images generated =
              images(ws.run(generatedImages, ws.feeds(batch)), batch.indices().length);
          return feeds.images(fakes, replay.apply(generated));
        };
    return this;
  }

  /**
   * The book's {@code train_gan(gan, dataset, batch_size, codings_size, n_epochs)} over {@code
   * shuffle(1000).batch(batch_size, drop_remainder=True)}, with held-out losses on the validation
   * images and a checkpoint per epoch in {@code checkpoints}, as model {@code name}; {@code
   * listeners} watch the fit (Keras's {@code callbacks}). The shuffle comes from the workspace's
   * seeds.
   */
  public History trainGan(
      CheckpointFolder checkpoints, String name, int nEpochs, List<Fit.Listener> listeners) {
    return Fit.of(
            ws,
            this,
            Batches.of(xTrain.count(), batchSize)
                .shuffled(ws.seeds().shuffle())
                .shuffleBuffer(SHUFFLE_BUFFER_SIZE)
                .dropRemainder())
        .validation(Batches.of(xValid.count(), batchSize).dropRemainder())
        .checkpoints(checkpoints.model(name), checkpoints.resume())
        .listeners(listeners)
        .run(nEpochs);
  }

  /** Phase 1 on the real images of {@code batch}, then phase 2 on fresh noise: d_loss, g_loss. */
  @Override
  public LossValues trainStep(Batch batch) {
    Feeds feeds = phase1.feeds(batch, realFeeds(batch, xTrain, yTrain));
    return LossValues.of(GanLosses.NAMES, discriminatorStep.runThen(generatorStep, feeds));
  }

  /**
   * Phase 1 alone on the real images of {@code batch}; returns d_loss. The training loop always
   * runs both phases ({@link #trainStep}); tests run this half alone to check what phase 1 may
   * change.
   */
  float trainDiscriminator(Batch batch) {
    return discriminatorStep.run(phase1.feeds(batch, realFeeds(batch, xTrain, yTrain)));
  }

  @Override
  public LossValues testStep(Batch batch) {
    return GanLosses.values(
        ws.runAll(
            List.of(discriminatorHeldOutLoss, generatorHeldOutLoss),
            realFeeds(batch, xValid, yValid)));
  }

  /**
   * The generator in inference mode as a SavedModel signature: {@code serving_default} maps {@code
   * codings} float32 {@code [-1, k]} (and, for a conditional GAN, {@code label} int32 {@code [-1]})
   * to {@code images}.
   */
  public List<Signature> signatures() {
    Ops tf = ws.tf();
    Placeholder<TFloat32> codings = SavedModels.floatInput(ws, "codings", -1, codingsSize);
    Placeholder<TInt32> label = SavedModels.intInput(ws, "label", -1);
    Operand<TFloat32> images =
        SavedModels.output(
            ws,
            "images",
            generator.apply(ws.inference(), conditioning.generatorInputs(tf, codings, label)));
    Signature.Builder signature =
        Signature.builder().key(Signature.DEFAULT_KEY).input("codings", codings);
    if (conditioning.labelled()) {
      signature.input("label", label);
    }
    return List.of(signature.output("images", images).build());
  }

  /** {@code generator.predict(codings)} of an unconditional GAN, in inference mode. */
  public Images generate(Vectors codings) {
    return generate(codings, new int[codings.count()]);
  }

  /** The generator in inference mode on {@code codings} and the requested {@code classes}. */
  public Images generate(Vectors codings, int[] classes) {
    if (generatorOutput == null) {
      Ops tf = ws.tf();
      codingsInput = ws.placeholder(-1, codingsSize);
      classesInput = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      generatorOutput =
          generator.apply(
              ws.inference(), conditioning.generatorInputs(tf, codingsInput, classesInput));
    }
    Feeds feeds = Feeds.of().vectors(codingsInput, codings).ints(classesInput, classes);
    return images(ws.run(generatorOutput, feeds), codings.count());
  }

  /** Phase 1's feeds: the step's random key, the real images and their classes. */
  private Feeds realFeeds(Batch batch, Images x, int[] y) {
    Feeds feeds = ws.feeds(batch).images(xBatch, x.gather(batch.indices()));
    return conditioning.feedRealClasses(feeds, realClasses, select(y, batch.indices()));
  }

  /** The book's {@code gan = Sequential([generator, discriminator])} on fresh noise. */
  private Operand<TFloat32> gan(Ops tf, CallContext ctx, Layer discriminator, long batchSize) {
    Operand<TInt32> classes = conditioning.randomClasses(ws.random(), tf, batchSize);
    Operand<TFloat32> generated =
        generator.apply(
            ctx, conditioning.generatorInputs(tf, ws.normal(batchSize, codingsSize), classes));
    return discriminator.apply(ctx, conditioning.discriminatorInputs(tf, generated, classes));
  }

  private Images images(float[] pixels, int count) {
    return new Images(pixels, count, height, pixels.length / count / height);
  }

  /** {@code labels[indices]}; none when there are no labels. */
  private static int[] select(int[] labels, int[] indices) {
    if (labels == null) {
      return null;
    }
    int[] selected = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      selected[i] = labels[indices[i]];
    }
    return selected;
  }

  /** A constant {@code [n, 1]} column: {@code first} for one batch, then {@code second}. */
  private static Operand<TFloat32> column(Ops tf, int batchSize, float first, float second) {
    int n = first == second ? batchSize : 2 * batchSize;
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = i < batchSize ? first : second;
    }
    return tf.constant(Shape.of(n, 1), DataBuffers.of(values, true, false));
  }
}
