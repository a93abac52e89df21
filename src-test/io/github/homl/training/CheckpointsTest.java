package io.github.homl.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.cli.StandardStreams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A checkpoint holds every variable the graph has when it is saved, also when a first model was
 * checkpointed before a second one was built (latent diffusion: the autoencoder, then the U-Net);
 * {@code Session.save} would keep saving the first model's variables only.
 */
class CheckpointsTest {

  @TempDir Path tmp;

  @RegisterExtension final StandardStreams streams = new StandardStreams();

  @Test
  void aModelBuiltAfterTheFirstCheckpointIsSavedAndRestoredToo() {
    float[] saved;
    try (Workspace ws = Workspace.create(1)) {
      Variable<TFloat32> first = variable(ws, 2f);
      Checkpoints.in(tmp.resolve("first")).save(ws, new History());
      Variable<TFloat32> second = variable(ws, 3f);
      assign(ws, first, 5f);
      assign(ws, second, 7f);
      Checkpoints.in(tmp.resolve("second")).save(ws, new History());
      saved = new float[] {read(ws, first), read(ws, second)};
    }
    try (Workspace ws = Workspace.create(2)) {
      Variable<TFloat32> first = variable(ws, 0f);
      Variable<TFloat32> second = variable(ws, 0f);

      Checkpoints.in(tmp.resolve("second")).restore(ws);

      assertArrayEquals(saved, new float[] {read(ws, first), read(ws, second)});
    }
  }

  @Test
  void restoringAnEarlierCheckpointThenALaterOneRestoresTheLaterModelsVariables() {
    try (Workspace ws = Workspace.create(1)) {
      Variable<TFloat32> first = variable(ws, 2f);
      Checkpoints.in(tmp.resolve("first")).save(ws, new History());
      Variable<TFloat32> second = variable(ws, 3f);
      Checkpoints.in(tmp.resolve("second")).save(ws, new History());
    }
    try (Workspace ws = Workspace.create(2)) {
      Variable<TFloat32> first = variable(ws, 0f);
      Checkpoints.in(tmp.resolve("first")).restore(ws);
      Variable<TFloat32> second = variable(ws, 0f);

      Checkpoints.in(tmp.resolve("second")).restore(ws);

      assertEquals(2f, read(ws, first));
      assertEquals(3f, read(ws, second));
    }
  }

  @Test
  void keepsTheNewestTwoAndEveryNthEpoch() {
    Checkpoints checkpoints = Checkpoints.in(tmp.resolve("kept")).keepingEvery(3);
    try (Workspace ws = Workspace.create(1)) {
      variable(ws, 2f);
      History history = new History();
      for (int epoch = 1; epoch <= 8; epoch++) {
        history.add(epoch(epoch));
        checkpoints.save(ws, history);
      }
    }
    assertEquals(List.of(3, 6, 7, 8), checkpoints.epochs());
  }

  @Test
  void aDamagedNewestCheckpointFallsBackToTheOneBeforeAndSaysSo() throws IOException {
    Checkpoints checkpoints = Checkpoints.in(tmp.resolve("damaged"));
    try (Workspace ws = Workspace.create(1)) {
      Variable<TFloat32> v = variable(ws, 2f);
      History history = new History();
      history.add(epoch(1));
      checkpoints.save(ws, history);
      assign(ws, v, 5f);
      history.add(epoch(2));
      checkpoints.save(ws, history);
    }
    Path data = tmp.resolve("damaged/epoch-0002/variables.data-00000-of-00001");
    Files.write(data, Arrays.copyOf(Files.readAllBytes(data), 2)); // truncated
    try (Workspace ws = Workspace.create(2)) {
      Variable<TFloat32> v = variable(ws, 0f);
      assertEquals(1, checkpoints.restore(ws).size());
      String printed = streams.stdout();

      assertEquals(2f, read(ws, v));
      assertTrue(printed.contains("epoch-0002 is damaged"), printed);
      assertTrue(printed.contains("trying the one before it"), printed);
    }
  }

  @Test
  void anIntactCheckpointOfAnotherModelIsNotCalledDamaged() {
    Checkpoints checkpoints = Checkpoints.in(tmp.resolve("other"));
    try (Workspace ws = Workspace.create(1)) {
      variable(ws, 2f);
      History history = new History();
      history.add(epoch(1));
      checkpoints.save(ws, history);
    }
    try (Workspace ws = Workspace.create(2)) {
      Ops tf = ws.tf();
      tf.withSubScope("w")
          .withName("value")
          .variable(tf.withInitScope().constant(new float[] {1f}));

      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> checkpoints.restore(ws));

      assertTrue(e.getMessage().contains("is intact but does not fit this graph"), e.getMessage());
      assertFalse(e.getMessage().contains("damaged"), e.getMessage());
    }
  }

  @Test
  void aSaveLeavesAnotherLiveRunsTemporaryFolderAlone() throws IOException {
    Path dir = tmp.resolve("shared");
    Path othersTemp = dir.resolve(".saving-" + ProcessHandle.current().pid() + "-other");
    Path deadTemp = dir.resolve(".saving-999999999-dead");
    Files.createDirectories(othersTemp);
    Files.createDirectories(deadTemp);
    try (Workspace ws = Workspace.create(1)) {
      variable(ws, 2f);
      History history = new History();
      history.add(epoch(1));
      Checkpoints.in(dir).save(ws, history);
    }
    assertTrue(Files.isDirectory(othersTemp), "a live process's folder was deleted");
    assertFalse(Files.isDirectory(deadTemp), "a dead process's folder was left behind");
  }

  @Test
  void fromEpochRestoresAKeptEarlierEpochAndNamesTheKeptOnesOtherwise() {
    Checkpoints checkpoints = Checkpoints.in(tmp.resolve("from")).keepingEvery(1);
    try (Workspace ws = Workspace.create(1)) {
      Variable<TFloat32> v = variable(ws, 0f);
      History history = new History();
      for (int epoch = 1; epoch <= 3; epoch++) {
        assign(ws, v, epoch);
        history.add(epoch(epoch));
        checkpoints.save(ws, history);
      }
    }
    try (Workspace ws = Workspace.create(2)) {
      Variable<TFloat32> v = variable(ws, 0f);
      assertEquals(2, checkpoints.restoringEpoch(2).restore(ws).size());
      assertEquals(2f, read(ws, v));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> checkpoints.restoringEpoch(9).restore(ws));
      assertTrue(e.getMessage().contains("kept: [1, 2, 3]"), e.getMessage());
    }
  }

  private static History.Epoch epoch(int epoch) {
    return new History.Epoch(epoch, Map.of("loss", 1.0 / epoch), 1, 1);
  }

  /** A scalar variable starting at {@code value}, named as the first of its kind in the graph. */
  private static Variable<TFloat32> variable(Workspace ws, float value) {
    Ops tf = ws.tf();
    Operand<TFloat32> init = tf.withInitScope().constant(value);
    return tf.withSubScope("v").withName("value").variable(init);
  }

  private static void assign(Workspace ws, Variable<TFloat32> variable, float value) {
    ws.session().runner().addTarget(ws.tf().assign(variable, ws.tf().constant(value))).run();
  }

  private static float read(Workspace ws, Variable<TFloat32> variable) {
    return ws.run(ws.tf().identity(variable), Feeds.of())[0];
  }
}
