package io.github.homl.chapter17;

import static io.github.homl.chapter17.GanData.oneHot;
import static io.github.homl.chapter17.GanData.select;

import io.github.homl.data.Images;
import io.github.homl.layers.CallContext;
import io.github.homl.layers.Layer;
import io.github.homl.layers.Layers;
import io.github.homl.training.Checkpoints;
import io.github.homl.training.History;
import io.github.homl.training.Losses;
import io.github.homl.training.RMSProp;
import io.github.homl.training.TrainStep;
import io.github.homl.training.Workspace;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The book's {@code train_gan}, shared by the GAN, the DCGAN and exercise 12. The graph of both
 * phases is built once; then every batch runs
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
 * Keras 2's {@code binary_crossentropy}, which on a sigmoid output works from the logits ({@link
 * #binaryCrossentropy}); the optimizers are two Keras-exact RMSprop.
 *
 * <p>Beyond the book: each epoch prints the mean d_loss and g_loss and the same losses in inference
 * mode on held-out data ({@link GanHistories}), and saves a checkpoint, so {@code --resume}
 * continues. Exercise 12 plugs in through {@link #withReplay} (the fakes shown to the
 * discriminator) and {@link Conditioning} (the class label as an extra input of both networks).
 *
 * @see GenerativeAdversarialNetwork
 */
final class GanTraining {

  /** How a class label, a one-hot row {@code [batch, nClasses]}, enters both networks. */
  interface Conditioning {
    int nClasses();

    /** The generator's input built from {@code codings [batch, codingsSize]} and the labels. */
    Operand<TFloat32> generatorInputs(Ops tf, Operand<TFloat32> codings, Operand<TFloat32> labels);

    /** The discriminator's input built from the images and the labels. */
    Operand<TFloat32> discriminatorInputs(Ops tf, Operand<TFloat32> images,
        Operand<TFloat32> labels);
  }

  private final Workspace ws;
  private final Layer generator;
  private final Layer discriminator;
  private final int codingsSize;
  private final int batchSize;
  private final Conditioning conditioning; // null for the book's GANs
  private final Random labelRandom;

  // phase 1: fakeLabels/realLabels only for a conditional GAN
  private final Placeholder<TFloat32> fakeLabels;
  private final Operand<TFloat32> generatedImages;
  private final Placeholder<TFloat32> fakes;
  private final Placeholder<TFloat32> xBatch;
  private final Placeholder<TFloat32> realLabels;
  private final TrainStep discriminatorStep;
  private final Operand<TFloat32> discriminatorHeldOutLoss;
  // phase 2
  private final Placeholder<TFloat32> generatorLabels;
  private final TrainStep generatorStep;
  private final Operand<TFloat32> generatorHeldOutLoss;
  // generate()
  private Placeholder<TFloat32> codingsInput;
  private Placeholder<TFloat32> labelsInput;
  private Operand<TFloat32> generatorOutput;

  private Checkpoints checkpoints;
  private boolean resume;
  private UnaryOperator<Images> fakesForDiscriminator = UnaryOperator.identity();

  private GanTraining(Workspace ws, Layer generator, Layer discriminator, int codingsSize,
      int batchSize, Conditioning conditioning, long... imageDims) {
    this.ws = ws;
    this.generator = generator;
    this.discriminator = discriminator;
    this.codingsSize = codingsSize;
    this.batchSize = batchSize;
    this.conditioning = conditioning;
    Ops tf = ws.tf();

    // phase 1 - training the discriminator
    fakeLabels = labelPlaceholder();
    generatedImages = generator.apply(ws.inference(),
        generatorInputs(tf, ws.normal(batchSize, codingsSize), fakeLabels));
    fakes = ws.placeholder(withBatch(imageDims));
    xBatch = ws.placeholder(withBatch(imageDims));
    realLabels = labelPlaceholder();
    Operand<TFloat32> xFakeAndReal = tf.concat(List.of(fakes, xBatch), tf.constant(0));
    Operand<TFloat32> y1 = column(tf, 0f, 1f); // [[0.]] * batch_size + [[1.]] * batch_size
    discriminatorStep = ws.trainStep(binaryCrossentropy(tf, y1,
        discriminator.apply(ws.training(), discriminatorInputs(tf, xFakeAndReal))),
        discriminator, RMSProp::new);
    discriminatorHeldOutLoss = binaryCrossentropy(tf, y1,
        discriminator.apply(ws.inference(), discriminatorInputs(tf, xFakeAndReal)));

    // phase 2 - training the generator
    generatorLabels = labelPlaceholder();
    Operand<TFloat32> y2 = column(tf, 1f, 1f); // [[1.]] * batch_size
    generatorStep = ws.trainStep(binaryCrossentropy(tf, y2, gan(tf, ws.training())), generator,
        RMSProp::new);
    generatorHeldOutLoss = binaryCrossentropy(tf, y2, gan(tf, ws.inference()));
    labelRandom = conditioning == null ? null : new Random(ws.seeds().next());
  }

  /** The book's GAN and DCGAN; {@code imageDims} is one image's shape: 28, 28 (, 1). */
  static GanTraining build(Workspace ws, Layer generator, Layer discriminator, int codingsSize,
      int batchSize, long... imageDims) {
    return new GanTraining(ws, generator, discriminator, codingsSize, batchSize, null, imageDims);
  }

  /** A conditional GAN: both networks also see the class label, as {@code conditioning} says. */
  static GanTraining buildConditional(Workspace ws, Layer generator, Layer discriminator,
      int codingsSize, int batchSize, Conditioning conditioning, long... imageDims) {
    return new GanTraining(ws, generator, discriminator, codingsSize, batchSize, conditioning,
        imageDims);
  }

  /** Saves a checkpoint after every epoch; with {@code resume}, continues from the latest one. */
  GanTraining withCheckpoints(Checkpoints checkpoints, boolean resume) {
    this.checkpoints = checkpoints;
    this.resume = resume;
    return this;
  }

  /**
   * Shows the discriminator {@code fakesForDiscriminator(generated_images)} (same count) in phase 1
   * instead of the fresh fakes: exercise 12's experience replay.
   */
  GanTraining withReplay(UnaryOperator<Images> fakesForDiscriminator) {
    if (conditioning != null) {
      throw new IllegalStateException("replaying conditional fakes would need their labels too");
    }
    this.fakesForDiscriminator = fakesForDiscriminator;
    return this;
  }

  /** {@code train_gan(gan, dataset, batch_size, codings_size, n_epochs)}. */
  GanHistories trainGan(Images xTrain, Images xValid, int nEpochs) {
    return trainGan(xTrain, null, xValid, null, nEpochs);
  }

  /**
   * Trains for {@code nEpochs} over {@code shuffle(1000).batch(batch_size, drop_remainder=True)},
   * printing each epoch's mean losses; {@code yTrain}/{@code yValid} are the class labels of a
   * conditional GAN (null otherwise). Stops with a clear error on a non-finite loss.
   */
  GanHistories trainGan(Images xTrain, int[] yTrain, Images xValid, int[] yValid, int nEpochs) {
    if ((conditioning != null) != (yTrain != null)) {
      throw new IllegalArgumentException(conditioning != null
          ? "a conditional GAN needs the training labels" : "this GAN takes no labels");
    }
    Random shuffling = new Random(ws.seeds().next());
    GanHistories histories = resume ? GanHistories.restore(checkpoints, ws) : GanHistories.empty();
    for (int epoch = histories.size() + 1; epoch <= nEpochs; epoch++) {
      long start = System.nanoTime();
      double dSum = 0;
      double gSum = 0;
      List<int[]> batches = GanData.shuffledBatches(xTrain.count(), batchSize, shuffling);
      for (int step = 0; step < batches.size(); step++) {
        int[] indices = batches.get(step);
        float dLoss = trainDiscriminator(xTrain.gather(indices), select(yTrain, indices));
        float gLoss = trainGenerator();
        if (!Float.isFinite(dLoss) || !Float.isFinite(gLoss)) {
          throw new IllegalStateException(String.format(Locale.ROOT,
              "d_loss %s, g_loss %s at epoch %d, step %d/%d: training stopped", dLoss, gLoss,
              epoch, step + 1, batches.size()));
        }
        dSum += dLoss;
        gSum += gLoss;
      }
      int steps = batches.size();
      double[] heldOut = heldOutLosses(xValid, yValid);
      double seconds = (System.nanoTime() - start) / 1e9;
      histories.discriminator().add(
          new History.Epoch(epoch, dSum / steps, heldOut[0], seconds, steps));
      histories.generator().add(new History.Epoch(epoch, gSum / steps, heldOut[1], seconds, steps));
      System.out.printf(Locale.ROOT, "Epoch %d/%d - %d steps - %.0fs - %.0fms/step - d_loss: %.4f"
          + " - g_loss: %.4f - held-out d_loss: %.4f - g_loss: %.4f%n", epoch, nEpochs, steps,
          seconds, seconds * 1000 / steps, dSum / steps, gSum / steps, heldOut[0], heldOut[1]);
      if (checkpoints != null) {
        histories.save(checkpoints, ws);
      }
    }
    return histories;
  }

  /** Phase 1 on one batch of real images (and their classes); returns d_loss. */
  float trainDiscriminator(Images realImages, int[] realClasses) {
    Map<Operand<TFloat32>, Images> feeds = labelFeeds(realClasses);
    // generated_images = generator(noise), in inference mode
    Images generated = new Images(ws.run(generatedImages, feeds), batchSize,
        realImages.height(), realImages.width());
    feeds.put(fakes, fakesForDiscriminator.apply(generated));
    feeds.put(xBatch, realImages);
    return discriminatorStep.run(feeds);
  }

  /** Phase 2 on fresh noise (and random classes); returns g_loss. */
  float trainGenerator() {
    return conditioning == null ? generatorStep.run()
        : generatorStep.run(generatorLabels, oneHot(randomClasses(), conditioning.nClasses()));
  }

  /** {@code generator.predict(codings)}, codings {@code [n, codingsSize]} as images of width 1. */
  Images generate(Images codings, int height, int width) {
    return generate(codings, null, height, width);
  }

  /** The generator in inference mode on {@code codings} and, if conditional, {@code classes}. */
  Images generate(Images codings, int[] classes, int height, int width) {
    if (generatorOutput == null) {
      codingsInput = ws.placeholder(-1, codingsSize);
      labelsInput = conditioning == null ? null : ws.placeholder(-1, conditioning.nClasses());
      generatorOutput = generator.apply(ws.inference(),
          generatorInputs(ws.tf(), codingsInput, labelsInput));
    }
    Map<Operand<TFloat32>, Images> feeds = new HashMap<>();
    feeds.put(codingsInput, codings);
    if (conditioning != null) {
      feeds.put(labelsInput, oneHot(classes, conditioning.nClasses()));
    }
    return new Images(ws.run(generatorOutput, feeds), codings.count(), height, width);
  }

  /**
   * Keras 2's {@code binary_crossentropy}, averaged. On the output of a Sigmoid op it uses the
   * logits ({@code sigmoid_cross_entropy_with_logits}), as {@code tf_keras.backend
   * .binary_crossentropy} does: no clipping, so a confident discriminator still passes gradient.
   * Otherwise it is the clipped formula of {@link Losses#BCE}.
   */
  static Operand<TFloat32> binaryCrossentropy(Ops tf, Operand<TFloat32> yTrue,
      Operand<TFloat32> yPred) {
    if (yPred.op() instanceof GraphOperation op && op.type().equals("Sigmoid")) {
      Operand<TFloat32> logits = op.input(0).expect(TFloat32.class);
      Operand<TFloat32> perExample =
          org.tensorflow.framework.losses.Losses.binaryCrossentropy(tf, yTrue, logits, true, 0f);
      return tf.math.mean(perExample, Layers.allAxes(tf, perExample));
    }
    return Losses.BCE.apply(tf, yTrue, yPred);
  }

  /** The book's {@code gan = Sequential([generator, discriminator])} on fresh noise. */
  private Operand<TFloat32> gan(Ops tf, CallContext ctx) {
    Operand<TFloat32> generated = generator.apply(ctx,
        generatorInputs(tf, ws.normal(batchSize, codingsSize), generatorLabels));
    return discriminator.apply(ctx, conditioning == null ? generated
        : conditioning.discriminatorInputs(tf, generated, generatorLabels));
  }

  private Operand<TFloat32> generatorInputs(Ops tf, Operand<TFloat32> codings,
      Operand<TFloat32> labels) {
    return conditioning == null ? codings : conditioning.generatorInputs(tf, codings, labels);
  }

  /** Phase 1's discriminator input: the fake then the real images (and their labels). */
  private Operand<TFloat32> discriminatorInputs(Ops tf, Operand<TFloat32> xFakeAndReal) {
    if (conditioning == null) {
      return xFakeAndReal;
    }
    Operand<TFloat32> yFakeAndReal = tf.concat(List.of(fakeLabels, realLabels), tf.constant(0));
    return conditioning.discriminatorInputs(tf, xFakeAndReal, yFakeAndReal);
  }

  /**
   * The mean losses in inference mode over every full batch of {@code xValid}: the
   * discriminator's on fresh fakes + validation images, the generator's on fresh noise.
   */
  private double[] heldOutLosses(Images xValid, int[] yValid) {
    int steps = xValid.count() / batchSize;
    double dSum = 0;
    double gSum = 0;
    for (int step = 0; step < steps; step++) {
      int[] indices = java.util.stream.IntStream.range(step * batchSize, (step + 1) * batchSize)
          .toArray();
      Images realImages = xValid.gather(indices);
      Map<Operand<TFloat32>, Images> feeds = labelFeeds(select(yValid, indices));
      feeds.put(fakes, new Images(ws.run(generatedImages, feeds), batchSize, realImages.height(),
          realImages.width()));
      feeds.put(xBatch, realImages);
      dSum += ws.run(discriminatorHeldOutLoss, feeds)[0];
      gSum += ws.run(generatorHeldOutLoss, conditioning == null ? Map.of()
          : Map.of(generatorLabels, oneHot(randomClasses(), conditioning.nClasses())))[0];
    }
    return steps == 0 ? new double[] {Double.NaN, Double.NaN}
        : new double[] {dSum / steps, gSum / steps};
  }

  /** Phase 1's label feeds: random classes for the fakes, the real images' own classes. */
  private Map<Operand<TFloat32>, Images> labelFeeds(int[] realClasses) {
    Map<Operand<TFloat32>, Images> feeds = new HashMap<>();
    if (conditioning != null) {
      feeds.put(fakeLabels, oneHot(randomClasses(), conditioning.nClasses()));
      feeds.put(realLabels, oneHot(realClasses, conditioning.nClasses()));
    }
    return feeds;
  }

  private int[] randomClasses() {
    int[] classes = new int[batchSize];
    for (int i = 0; i < batchSize; i++) {
      classes[i] = labelRandom.nextInt(conditioning.nClasses());
    }
    return classes;
  }

  private Placeholder<TFloat32> labelPlaceholder() {
    return conditioning == null ? null : ws.placeholder(batchSize, conditioning.nClasses());
  }

  /** A constant {@code [n, 1]} column: {@code first} for one batch, then {@code second}. */
  private Operand<TFloat32> column(Ops tf, float first, float second) {
    int n = first == second ? batchSize : 2 * batchSize;
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = i < batchSize ? first : second;
    }
    return tf.constant(Shape.of(n, 1), DataBuffers.of(values, true, false));
  }

  private long[] withBatch(long... imageDims) {
    long[] dims = new long[imageDims.length + 1];
    dims[0] = batchSize;
    System.arraycopy(imageDims, 0, dims, 1, imageDims.length);
    return dims;
  }
}
