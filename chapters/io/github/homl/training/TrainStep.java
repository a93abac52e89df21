package io.github.homl.training;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * One built update of an explicit variable list: the graph-mode equivalent of a {@code
 * tf.GradientTape} step. Build it once with {@link Workspace#trainStep}, then {@link #run} it per
 * batch; each run applies one update and returns the loss measured before it.
 */
public final class TrainStep {

  private final Workspace ws;
  private final Op train;
  private final Operand<TFloat32> loss;

  TrainStep(Workspace ws, Op train, Operand<TFloat32> loss) {
    this.ws = ws;
    this.train = train;
    this.loss = loss;
  }

  /** The loss this step minimizes (fetch it alone for a held-out loss: no update runs). */
  public Operand<TFloat32> loss() {
    return loss;
  }

  /** Runs one update feeding {@code feeds} and returns the loss. */
  public float run(Feeds feeds) {
    return ws.run(List.of(loss), train, feeds).get(0)[0];
  }
}
