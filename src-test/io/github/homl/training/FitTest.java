package io.github.homl.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.data.Batches;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one training loop: progress inside an epoch, the stop on a non-finite loss, resume rules, and
 * checkpoints of earlier versions. (Resume equality with real models: {@code
 * AutoencoderResumeTest}, {@code GanStepTest}, {@code DiffusionStepTest}.)
 */
class FitTest {

  @TempDir Path dir;

  private static final List<String> GAN_LOSSES = List.of("d_loss", "g_loss");

  /** A step without a graph: its losses are a function of the epoch and step, it sleeps a bit. */
  private static final class CountingStep implements TrainingStep {
    private final long sleepMillis;
    private final float nanAtStep;

    CountingStep(long sleepMillis, float nanAtStep) {
      this.sleepMillis = sleepMillis;
      this.nanAtStep = nanAtStep;
    }

    @Override
    public LossValues trainStep(Batch batch) {
      try {
        Thread.sleep(sleepMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      float loss = batch.step() == nanAtStep ? Float.NaN : 1f / (1 + batch.step());
      return LossValues.of(GAN_LOSSES, loss, 2 * loss);
    }

    @Override
    public LossValues testStep(Batch batch) {
      return LossValues.of(GAN_LOSSES, 0.5f, 0.25f);
    }
  }

  @Test
  void aLongEpochPrintsProgressLinesWhenTheOutputIsNotATerminal() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Workspace ws = Workspace.create(42)) {
      Fit.of(ws, new CountingStep(10, -1), Batches.of(400, 1))
          .printingTo(new PrintStream(bytes, true, StandardCharsets.UTF_8), false)
          .progressEvery(1.0)
          .run(1);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    List<String> progress = out.lines().filter(l -> l.startsWith("  step ")).toList();
    assertTrue(progress.size() >= 2, out);
    assertTrue(
        progress
            .get(0)
            .matches(
                "  step \\d+/400 - [0-9.]+ steps/s - ETA: \\d+s"
                    + " - d_loss: [0-9.]+ - g_loss: [0-9.]+"),
        progress.get(0));
    assertTrue(out.contains("400/400 - "), out);
  }

  @Test
  void aNonFiniteLossStopsNamingTheLossTheEpochAndTheKeptCheckpoint() {
    try (Workspace ws = Workspace.create(42)) {
      Checkpoints checkpoints = Checkpoints.in(dir.resolve("run"));
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  Fit.of(ws, new CountingStep(0, 13), Batches.of(10, 2))
                      .checkpoints(checkpoints, false)
                      .quiet()
                      .run(5));

      assertTrue(
          e.getMessage().startsWith("d_loss became NaN at epoch 3, step 4/5"), e.getMessage());
      assertTrue(
          e.getMessage().contains("(epoch 2) is kept in " + checkpoints.dir()), e.getMessage());
      assertTrue(Files.isRegularFile(checkpoints.dir().resolve("latest")));
    }
  }

  @Test
  void resumeWithoutACheckpointFailsNamingTheFolder() {
    try (Workspace ws = Workspace.create(42)) {
      Checkpoints checkpoints = Checkpoints.in(dir.resolve("none"));
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  Fit.of(ws, new CountingStep(0, -1), Batches.of(10, 2))
                      .checkpoints(checkpoints, true)
                      .quiet()
                      .run(1));

      assertTrue(
          e.getMessage().contains("no checkpoint to resume from in " + checkpoints.dir()),
          e.getMessage());
    }
  }

  @Test
  void heldOutLossesAreLoggedAsValAndTheEpochLineShowsThem() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Workspace ws = Workspace.create(42)) {
      History history =
          Fit.of(ws, new CountingStep(0, -1), Batches.of(10, 2))
              .validation(Batches.of(4, 2))
              .printingTo(new PrintStream(bytes, true, StandardCharsets.UTF_8), false)
              .run(1);

      assertEquals(List.of("d_loss", "g_loss", "val_d_loss", "val_g_loss"), history.names());
      assertArrayEquals(new double[] {0.5}, history.column("val_d_loss"));
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(
        out.lines()
            .anyMatch(
                l ->
                    l.matches(
                        "5/5 - \\d+s - \\d+ms/step - d_loss: 0\\.4567 - g_loss: 0\\.9133"
                            + " - val_d_loss: 0\\.5000 - val_g_loss: 0\\.2500")),
        out);
  }

  @Test
  void listenersSeeEachStepsRunningMeansAndEachEpochAfterItsCheckpoint() {
    List<String> seen = new ArrayList<>();
    Checkpoints checkpoints = Checkpoints.in(dir.resolve("listened"));
    try (Workspace ws = Workspace.create(42)) {
      Fit.of(ws, new CountingStep(0, -1), Batches.of(6, 2))
          .checkpoints(checkpoints, false)
          .quiet()
          .listener(
              new Fit.Listener() {
                @Override
                public void onEpochBegin(Fit.Position at) {
                  seen.add(
                      "epoch " + at.epoch() + "/" + at.epochs() + ", " + at.steps() + " steps");
                }

                @Override
                public void onStepBegin(Fit.Position at, int step) {
                  seen.add("step " + step);
                }

                @Override
                public void onStepEnd(Fit.Position at, int step, LossValues means) {
                  seen.add(means.toString());
                }

                @Override
                public void onEpochEnd(Fit.Position at, History history) {
                  seen.add(
                      "end "
                          + history.last().epoch()
                          + ", checkpoint "
                          + Files.exists(checkpoints.dir().resolve("latest")));
                }
              })
          .run(1);
    }
    // losses 1/(1 + step): means 1, (1 + 1/2)/2 and (1 + 1/2 + 1/3)/3
    assertEquals(
        List.of(
            "epoch 1/1, 3 steps",
            "step 0",
            "d_loss: 1.0000 - g_loss: 2.0000",
            "step 1",
            "d_loss: 0.7500 - g_loss: 1.5000",
            "step 2",
            "d_loss: 0.6111 - g_loss: 1.2222",
            "end 1, checkpoint true"),
        seen);
  }

  @Test
  void aStepWhoseLossNamesChangeStopsNamingBoth() {
    TrainingStep changing =
        TrainingStep.of(
            batch -> batch.step() == 0 ? LossValues.of("loss", 1) : LossValues.of("mse", 1),
            batch -> LossValues.of("loss", 1));
    try (Workspace ws = Workspace.create(42)) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> Fit.of(ws, changing, Batches.of(4, 2)).quiet().run(1));

      assertTrue(e.getMessage().contains("[mse]"), e.getMessage());
      assertTrue(e.getMessage().contains("[loss]"), e.getMessage());
    }
  }

  @Test
  void aGanCheckpointOfTheEarlierLoopsResumesWithItsFourLogs() throws IOException {
    Path ckpt = dir.resolve("gan");
    Checkpoints checkpoints = Checkpoints.in(ckpt);
    try (Workspace ws = Workspace.create(42)) {
      ws.tf().variable(ws.tf().constant(1f)); // a graph with one variable to save
      History discriminator = new History();
      discriminator.add(new History.Epoch(1, 0.6, 0.5, 10, 5));
      checkpoints.save(ws, discriminator);
    }
    Files.writeString(
        ckpt.resolve("generator_history.csv"),
        "epoch,loss,val_loss,seconds,steps\n1,0.900000,0.800000,10.000,5\n");
    try (Workspace ws = Workspace.create(42)) {
      ws.tf().variable(ws.tf().constant(1f));
      History history = checkpoints.restore(ws);

      assertEquals(List.of("d_loss", "g_loss", "val_d_loss", "val_g_loss"), history.names());
      assertArrayEquals(new double[] {0.9}, history.column("g_loss"), 1e-9);
      assertArrayEquals(new double[] {0.5}, history.column("val_d_loss"), 1e-9);
    }
  }
}
