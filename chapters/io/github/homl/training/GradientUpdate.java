package io.github.homl.training;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * One built update of an explicit variable list: the graph-mode equivalent of a {@code
 * tf.GradientTape} step. Build it once with {@link Workspace#gradientUpdate}, then {@link #run} it
 * per batch; each run applies one update and returns the loss measured before it.
 */
public final class GradientUpdate {

  private final Workspace ws;
  private final Op train;
  private final Operand<TFloat32> loss;

  GradientUpdate(Workspace ws, Op train, Operand<TFloat32> loss) {
    this.ws = ws;
    this.train = train;
    this.loss = loss;
  }

  /** The loss this step minimizes (fetch it alone for a held-out loss: no update runs). */
  public Operand<TFloat32> loss() {
    return loss;
  }

  /** The op that applies the update (and computes the gradients before it). */
  public Op update() {
    return train;
  }

  /**
   * This step with {@code next} as the op each run runs: {@code next} must have been built to run
   * after {@link #update()} (with a control dependency on it), such as the update of a moving
   * average of the weights just trained, so that one run does both.
   */
  public GradientUpdate followedBy(Op next) {
    return new GradientUpdate(ws, next, loss);
  }

  /**
   * Runs this step's update, then {@code next}'s, in one {@code Session.run}, and returns both
   * losses. {@code next} must have been built to follow this step (its forward pass in {@link
   * Workspace#training(Op) ws.training(update())}), so it sees this step's update.
   */
  public float[] runThen(GradientUpdate next, Feeds feeds) {
    List<float[]> losses = ws.run(List.of(loss, next.loss), next.train, feeds);
    return new float[] {losses.get(0)[0], losses.get(1)[0]};
  }

  /** Runs one update feeding {@code feeds} and returns the loss. */
  public float run(Feeds feeds) {
    return ws.run(List.of(loss), train, feeds).get(0)[0];
  }
}
