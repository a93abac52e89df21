package io.github.homl.training;

import io.github.homl.data.Images;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
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

  /** Runs one update feeding {@code feeds} (placeholder to images) and returns the loss. */
  public float run(Map<Operand<TFloat32>, Images> feeds) {
    Map<Operand<TFloat32>, TFloat32> tensors = new java.util.IdentityHashMap<>();
    try {
      Session.Runner runner = ws.session().runner();
      for (var feed : feeds.entrySet()) {
        TFloat32 tensor = Workspace.tensorFor(feed.getKey(), feed.getValue());
        tensors.put(feed.getKey(), tensor);
        runner.feed(feed.getKey(), tensor);
      }
      try (Result result = runner.fetch(loss).addTarget(train).run()) {
        return ((TFloat32) result.get(0)).getFloat();
      }
    } finally {
      tensors.values().forEach(TFloat32::close);
    }
  }

  /** Runs one update of a step that needs no feeds (e.g. the GAN generator's phase). */
  public float run() {
    return run(Map.of());
  }

  /** Runs one update feeding a single placeholder. */
  public float run(Operand<TFloat32> placeholder, Images batch) {
    return run(Map.of(placeholder, batch));
  }
}
