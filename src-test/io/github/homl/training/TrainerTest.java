package io.github.homl.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.data.Images;
import io.github.homl.layers.Activation;
import io.github.homl.layers.Dense;
import io.github.homl.layers.Dropout;
import io.github.homl.layers.Flatten;
import io.github.homl.layers.Reshape;
import io.github.homl.layers.Sequential;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

  private static final int EPOCHS = 3;
  private static final int BATCH = 16;

  /** Keras's fit defaults but for batches of {@link #BATCH}. */
  private static final FitOptions<Images> BATCHES = FitOptions.<Images>defaults().batchSize(BATCH);

  /** Random 4x4 images with pixels in [0, 1). */
  private static Images images(int count, long seed) {
    Random random = new Random(seed);
    float[] pixels = new float[count * 16];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextFloat();
    }
    return new Images(pixels, count, 4, 4);
  }

  /** A 16-8-16 dense autoencoder on 4x4 images. */
  private static Sequential autoencoder() {
    return Sequential.of(
        new Flatten(),
        new Dense(8, Activation.RELU),
        new Dense(16, Activation.SIGMOID),
        new Reshape(4, 4));
  }

  @Test
  void fitReturnsOneFiniteDecreasingLossPerEpoch() {
    Images x = images(64, 1);
    try (Workspace ws = Workspace.create(42)) {
      History history =
          ws.compile(autoencoder(), Losses.MSE, Nadam::new)
              .fit(x, x, EPOCHS, BATCHES.validation(x, x));

      assertEquals(EPOCHS, history.size());
      List<History.Epoch> epochs = history.epochs();
      for (int e = 0; e < EPOCHS; e++) {
        History.Epoch epoch = epochs.get(e);
        assertEquals(e + 1, epoch.epoch());
        assertEquals(64 / BATCH, epoch.steps());
        assertTrue(Double.isFinite(epoch.loss()) && Double.isFinite(epoch.valLoss()), "" + epoch);
        if (e > 0) {
          assertTrue(epoch.loss() < epochs.get(e - 1).loss(), "loss did not decrease: " + epochs);
          assertTrue(epoch.valLoss() < epochs.get(e - 1).valLoss(), "val_loss: " + epochs);
        }
      }
    }
  }

  @Test
  void evaluateEqualsTheMeanSquaredErrorOfThePredictions() {
    Images x = images(60, 2); // batches of 16, 16, 16 and 12: evaluate must weight by size
    try (Workspace ws = Workspace.create(42)) {
      // with Dropout, a predict or evaluate that ran the training path would not agree
      Sequential model =
          Sequential.of(
              new Flatten(),
              new Dropout(0.3f),
              new Dense(8, Activation.RELU),
              new Dense(16, Activation.SIGMOID),
              new Reshape(4, 4));
      Trainer trainer = ws.compile(model, Losses.MSE, Nadam::new);
      trainer.fit(x, x, 1, BATCHES);

      double evaluated = trainer.evaluate(x, x, BATCH);
      Images predicted = ws.predict(model, x);

      assertEquals(x.count(), predicted.count());
      assertEquals(16, predicted.pixelsPerImage());
      double sum = 0;
      for (int i = 0; i < x.pixels().length; i++) {
        double error = predicted.pixels()[i] - x.pixels()[i];
        sum += error * error;
      }
      assertEquals(sum / x.pixels().length, evaluated, 1e-5);
    }
  }

  @Test
  void aNanLossStopsTrainingWithAnErrorNamingTheEpoch() {
    Images x = images(64, 3);
    float[] pixels = x.pixels().clone();
    Arrays.fill(pixels, 0, 16 * 64, Float.NaN);
    Images nan = new Images(pixels, 64, 4, 4);
    try (Workspace ws = Workspace.create(42)) {
      Trainer trainer = ws.compile(autoencoder(), Losses.MSE, Nadam::new);

      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> trainer.fit(nan, nan, EPOCHS, BATCHES));

      assertTrue(e.getMessage().contains("epoch 1"), e.getMessage());
    }
  }

  @Test
  void fitRejectsDifferentImageCountsForXAndY() {
    try (Workspace ws = Workspace.create(42)) {
      Trainer trainer = ws.compile(autoencoder(), Losses.MSE, Nadam::new);

      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> trainer.fit(images(64, 4), images(32, 5), EPOCHS, BATCHES));

      assertTrue(e.getMessage().contains("64") && e.getMessage().contains("32"), e.getMessage());
    }
  }

  @Test
  void withoutValidationDataValLossIsNaN() {
    Images x = images(32, 6);
    try (Workspace ws = Workspace.create(42)) {
      History history = ws.compile(autoencoder(), Losses.MSE, Nadam::new).fit(x, x, 1, BATCHES);

      assertTrue(Double.isNaN(history.last().valLoss()));
      assertTrue(Double.isFinite(history.last().loss()));
    }
  }

  @Test
  void fitWithoutOptionsTrainsInBatchesOf32WithoutValidationAsKerasDoes() {
    Images x = images(80, 8); // batches of 32, 32 and 16
    try (Workspace ws = Workspace.create(42)) {
      History history = ws.compile(autoencoder(), Losses.MSE, Nadam::new).fit(x, x, 1);

      assertEquals(3, history.last().steps());
      assertEquals(List.of("loss"), history.names());
    }
  }

  @Test
  void theProfilerTracesTheLastEpochsStepsAfterTenUntracedOnes() {
    Images x = images(16 * BATCH, 9); // 16 steps: 10 untraced, then 3 traced
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Workspace ws = Workspace.create(42)) {
      ws.compile(autoencoder(), Losses.MSE, Nadam::new)
          .fit(
              x,
              x,
              2,
              BATCHES
                  .quiet()
                  .listeners(
                      List.of(
                          RunTrace.profiler(
                              3, new PrintStream(bytes, true, StandardCharsets.UTF_8)))));
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.startsWith("3 traced runs: "), out);
    assertEquals(1, out.lines().filter(l -> l.contains("traced runs")).count(), out);
    assertTrue(out.contains("MatMul"), out);
  }

  @Test
  void resumingAfterOneEpochEqualsTwoEpochsInOneGo(@TempDir Path dir) {
    Images x = images(64, 7);
    ResumeEquality.assertResumeEqualsUninterrupted(
        dir,
        (ws, checkpoints, resume, epochs) ->
            ws.compile(
                    Sequential.of(
                        new Flatten(),
                        new Dropout(0.3f), // the random key must give the same masks after a resume
                        new Dense(8, Activation.RELU),
                        new Dense(16, Activation.SIGMOID),
                        new Reshape(4, 4)),
                    Losses.MSE,
                    Nadam::legacy)
                .withCheckpoints(checkpoints, resume)
                .fit(x, x, epochs, BATCHES.validation(x, x)));
  }
}
