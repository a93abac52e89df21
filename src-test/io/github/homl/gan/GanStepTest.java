package io.github.homl.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.data.Batches;
import io.github.homl.data.Images;
import io.github.homl.layers.Activation;
import io.github.homl.layers.BatchNormalization;
import io.github.homl.layers.Conv2D;
import io.github.homl.layers.Conv2DTranspose;
import io.github.homl.layers.Dense;
import io.github.homl.layers.Dropout;
import io.github.homl.layers.Flatten;
import io.github.homl.layers.Layer;
import io.github.homl.layers.Padding;
import io.github.homl.layers.Reshape;
import io.github.homl.layers.Sequential;
import io.github.homl.training.Fit;
import io.github.homl.training.LossValues;
import io.github.homl.training.ResumeEquality;
import io.github.homl.training.TrainingStep;
import io.github.homl.training.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The two-phase {@code train_gan} on a tiny DCGAN-shaped pair (4×4 images): each phase changes only
 * its own network, phase 1 runs the generator in inference mode, the loss is Keras's logits-based
 * BCE, the batches follow {@code shuffle(1000)}, a replay buffer swaps the fakes, and a resumed run
 * equals an uninterrupted one.
 */
class GanStepTest {

  private static final int CODINGS = 5;
  private static final int BATCH = 8;

  @TempDir Path dir;

  /** A generator with BatchNormalization (4-D), like the DCGAN's: codings to [batch, 4, 4, 1]. */
  private static Sequential tinyGenerator() {
    return Sequential.of(
        new Dense(2 * 2 * 4),
        new Reshape(2, 2, 4),
        new BatchNormalization(),
        new Conv2DTranspose(1, 3).strides(2).padding(Padding.SAME).activation(Activation.TANH));
  }

  private static Sequential tinyDiscriminator() {
    return Sequential.of(
        new Conv2D(4, 3).strides(2).padding(Padding.SAME).activation(Activation.leakyRelu(0.2f)),
        new Dropout(0.4f),
        new Flatten(),
        new Dense(1, Activation.SIGMOID));
  }

  private static Images realImages(long seed, int count) {
    Random random = new Random(seed);
    float[] pixels = new float[count * 16];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextFloat() * 2 - 1;
    }
    return new Images(pixels, count, 4, 4);
  }

  @Test
  void phase1LeavesEveryGeneratorVariableBitForBitUnchanged() {
    try (Workspace ws = Workspace.create(42)) {
      Sequential generator = tinyGenerator();
      Sequential discriminator = tinyDiscriminator();
      GanStep gan = tinyGan(ws, generator, discriminator);
      List<float[]> generatorBefore = values(ws, allVariables(generator));
      List<float[]> discriminatorBefore = values(ws, allVariables(discriminator));

      for (int step = 0; step < 3; step++) {
        gan.trainDiscriminator(batch(step));
      }

      assertSame("generator", generatorBefore, values(ws, allVariables(generator)));
      assertChanged("discriminator", discriminatorBefore, values(ws, allVariables(discriminator)));
    }
  }

  @Test
  void aWholeStepIsPhase1ThenAPhase2ThatLeavesTheDiscriminatorAndMovesTheGenerator() {
    List<float[]> afterPhase1;
    try (Workspace ws = Workspace.create(42)) {
      Sequential discriminator = tinyDiscriminator();
      GanStep gan = tinyGan(ws, tinyGenerator(), discriminator);
      gan.trainDiscriminator(batch(0));
      afterPhase1 = values(ws, allVariables(discriminator));
    }
    try (Workspace ws = Workspace.create(42)) {
      Sequential generator = tinyGenerator();
      Sequential discriminator = tinyDiscriminator();
      GanStep gan = tinyGan(ws, generator, discriminator);
      List<float[]> generatorBefore = values(ws, generator.trainableVariables());
      List<float[]> movingBefore = values(ws, generator.nonTrainableVariables());

      gan.trainStep(batch(0)); // both phases in one Session.run

      // phase 2 changed no discriminator variable: they are phase 1's result, bit for bit
      assertSame("discriminator", afterPhase1, values(ws, allVariables(discriminator)));
      assertChanged("generator", generatorBefore, values(ws, generator.trainableVariables()));
      // phase 2 runs the generator in training mode: its moving statistics move (phase 1's don't)
      assertChanged(
          "generator moving statistics",
          movingBefore,
          values(ws, generator.nonTrainableVariables()));
    }
  }

  @Test
  void binaryCrossentropyOnASigmoidOutputIsComputedFromTheLogitsWithoutClipping() {
    try (Workspace ws = Workspace.create(42)) {
      Ops tf = ws.tf();
      Operand<TFloat32> logits = column(tf, -20f, 0f, 5f);
      Operand<TFloat32> labels = column(tf, 1f, 1f, 0f);

      float sigmoidLoss =
          ws.run(
                  GanLosses.binaryCrossentropy(tf, labels, tf.math.sigmoid(logits)),
                  java.util.Map.of())[0];
      // a probability that does not come from a Sigmoid op takes Keras's clipped formula
      float clippedLoss =
          ws.run(
                  GanLosses.binaryCrossentropy(tf, labels, tf.identity(tf.math.sigmoid(logits))),
                  java.util.Map.of())[0];

      double exact = (20 + Math.log(2) + 5 + Math.log1p(Math.exp(-5))) / 3;
      assertEquals(exact, sigmoidLoss, 1e-5);
      // Keras: p = clip(p, 1e-7, 1 - 1e-7); -(y·log(p + 1e-7) + (1 - y)·log(1 - p + 1e-7))
      double p3 = 1 / (1 + Math.exp(-5));
      double clipped = (-Math.log(2e-7) - Math.log(0.5 + 1e-7) - Math.log(1 - p3 + 1e-7)) / 3;
      assertEquals(clipped, clippedLoss, 1e-4);
    }
  }

  @Test
  void batchesFollowAShuffleBufferOf1000AndDropTheRemainder() {
    Batches batches =
        Batches.of(5000, 32)
            .shuffled(42)
            .shuffleBuffer(GanStep.SHUFFLE_BUFFER_SIZE)
            .dropRemainder();
    List<int[]> epoch1 = batches.epoch(1);
    List<int[]> epoch2 = batches.epoch(2);

    assertEquals(5000 / 32, epoch1.size());
    Set<Integer> seen = new HashSet<>();
    for (int[] batch : epoch1) {
      assertEquals(32, batch.length);
      for (int index : batch) {
        assertTrue(seen.add(index), "index " + index + " twice");
      }
    }
    // the k-th image out of a 1,000-image buffer is one of the first 1000 + k inputs
    for (int k = 0; k < 32; k++) {
      assertTrue(epoch1.get(0)[k] < 1000 + k, "first batch holds image " + epoch1.get(0)[k]);
    }
    assertFalse(Arrays.equals(epoch1.get(0), epoch2.get(0)), "the same order in both epochs");
  }

  @Test
  void resumingAfterOneEpochEqualsTwoEpochsInOneGo() {
    Images xTrain = realImages(1, 4 * BATCH);
    Images xValid = realImages(2, BATCH);
    ResumeEquality.assertResumeEqualsUninterrupted(
        dir,
        (ws, checkpoints, resume, epochs) ->
            Fit.of(
                    ws,
                    GanStep.of(
                        ws, tinyGenerator(), tinyDiscriminator(), CODINGS, BATCH, xTrain, xValid),
                    Batches.of(xTrain.count(), BATCH).shuffled(3).dropRemainder())
                .validation(Batches.of(xValid.count(), BATCH))
                .checkpoints(checkpoints, resume)
                .run(epochs));
  }

  @Test
  void aReplayBufferReplacesTheFakesTheDiscriminatorSees() {
    try (Workspace ws = Workspace.create(42)) {
      List<Images> shown = new ArrayList<>();
      GanStep gan =
          tinyGan(ws, tinyGenerator(), tinyDiscriminator())
              .withReplay(
                  fakes -> {
                    shown.add(fakes);
                    return new Images(
                        new float[fakes.pixels().length], fakes.count(), 4, 4); // all zero
                  });

      LossValues losses = gan.trainStep(batch(0));

      assertEquals(1, shown.size());
      assertEquals(BATCH, shown.get(0).count());
      assertEquals(List.of("d_loss", "g_loss"), losses.names());
      assertTrue(Double.isFinite(losses.get("d_loss")) && Double.isFinite(losses.get("g_loss")));
    }
  }

  // helpers

  private static GanStep tinyGan(Workspace ws, Layer generator, Layer discriminator) {
    return GanStep.of(
        ws,
        generator,
        discriminator,
        CODINGS,
        BATCH,
        realImages(1, 3 * BATCH),
        realImages(2, BATCH));
  }

  private static TrainingStep.Batch batch(int step) {
    int[] indices = new int[BATCH];
    for (int i = 0; i < BATCH; i++) {
      indices[i] = step * BATCH + i;
    }
    return new TrainingStep.Batch(indices, 1, step, 1000 + step);
  }

  private static List<Variable<TFloat32>> allVariables(Layer layer) {
    List<Variable<TFloat32>> all = new ArrayList<>(layer.trainableVariables());
    all.addAll(layer.nonTrainableVariables());
    return all;
  }

  private static List<float[]> values(Workspace ws, List<Variable<TFloat32>> variables) {
    List<float[]> values = new ArrayList<>();
    for (Variable<TFloat32> variable : variables) {
      values.add(ws.run(ws.tf().identity(variable), java.util.Map.of()));
    }
    return values;
  }

  private static void assertSame(String what, List<float[]> before, List<float[]> after) {
    assertEquals(before.size(), after.size());
    for (int i = 0; i < before.size(); i++) {
      assertTrue(Arrays.equals(before.get(i), after.get(i)), what + " variable " + i + " changed");
    }
  }

  private static void assertChanged(String what, List<float[]> before, List<float[]> after) {
    assertFalse(before.isEmpty(), what + " has no variables");
    for (int i = 0; i < before.size(); i++) {
      assertFalse(
          Arrays.equals(before.get(i), after.get(i)), what + " variable " + i + " did not change");
    }
  }

  private static Operand<TFloat32> column(Ops tf, float... values) {
    return tf.constant(Shape.of(values.length, 1), DataBuffers.of(values, true, false));
  }
}
