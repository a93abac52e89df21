package io.github.homl.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
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
