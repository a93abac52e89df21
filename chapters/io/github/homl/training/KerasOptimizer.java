package io.github.homl.training;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The shared frame of our Keras-exact optimizers: gradients of a loss with respect to an explicit
 * variable list (never every variable in the graph, as {@code Optimizer.minimize} does), one update
 * per variable, then the step counter advanced after every update has run.
 *
 * <p>We do not use {@code tensorflow-framework}'s optimizers: its Nadam freezes the step count at
 * build time, its Adam races on the beta powers, and its RMSProp starts the accumulator at 1 (see
 * {@code docs/tensorflow-java-facts.md}, sections 1, 3 and 4).
 */
public abstract class KerasOptimizer {

  private final String name;
  protected final float learningRate;

  protected KerasOptimizer(String name, float learningRate) {
    if (!(learningRate > 0f)) {
      throw new IllegalArgumentException("learning_rate must be positive, got " + learningRate);
    }
    this.name = name;
    this.learningRate = learningRate;
  }

  public float learningRate() {
    return learningRate;
  }

  /**
   * Builds {@code d loss / d variables} and the update op; variables off the loss path are an
   * error.
   */
  public final Op minimize(Ops tf, Operand<TFloat32> loss, List<Variable<TFloat32>> variables) {
    if (variables.isEmpty()) {
      throw new IllegalArgumentException(name + ": no variables to train");
    }
    Graph graph = (Graph) tf.scope().env();
    Output<?>[] xs = variables.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
    Output<?>[] grads = graph.addGradients(loss.asOutput(), xs);
    List<Operand<TFloat32>> gradients = new ArrayList<>();
    for (int i = 0; i < grads.length; i++) {
      if (grads[i] == null || grads[i].isClosed()) {
        throw new IllegalArgumentException(
            name
                + ": no gradient flows from the loss to variable "
                + variables.get(i).op().name()
                + "; remove it from the list");
      }
      gradients.add(grads[i].expect(TFloat32.class));
    }
    return applyGradients(tf, variables, gradients);
  }

  /** One update of each variable by its gradient, then {@code iterations += 1}. */
  public final Op applyGradients(
      Ops tf, List<Variable<TFloat32>> variables, List<Operand<TFloat32>> gradients) {
    Ops scoped = tf.withSubScope(name);
    // Gate: every gradient is computed before any variable changes. Variable reads alias the
    // variable's buffer and the updates are in place, so without this gate an update could land
    // before another gradient op (say d loss / d inputs of a MatMul) has read the old weights.
    // One NoOp after all gradients, which every update waits for (one op, not one per gradient).
    Op gate = scoped.withControlDependencies(new ArrayList<>(gradients)).withName("gate").noOp();
    Ops afterGradients = scoped.withControlDependencies(List.of(gate));
    Variable<TFloat32> iterations =
        scoped.withName("iterations").variable(scoped.withInitScope().constant(0f));
    // Keras: local_step = iterations + 1
    Operand<TFloat32> step = scoped.math.add(scoped.identity(iterations), scoped.constant(1f));
    prepare(scoped, step);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      updates.add(
          update(
              afterGradients.withSubScope("update_" + i),
              variables.get(i),
              gradients.get(i),
              step));
    }
    Ops after = scoped.withControlDependencies(updates);
    List<Op> finish = new ArrayList<>(finish(after));
    finish.add(after.assignAdd(iterations, after.constant(1f)));
    return scoped.withControlDependencies(finish).withName("train").noOp();
  }

  /**
   * Computes values shared by every variable's update at this step (e.g. Nadam's momentum cache).
   */
  protected void prepare(Ops tf, Operand<TFloat32> step) {}

  /** The update of one variable by its gradient at {@code step} (1 for the first update). */
  protected abstract Op update(
      Ops tf, Variable<TFloat32> variable, Operand<TFloat32> gradient, Operand<TFloat32> step);

  /** Ops that run after every update of the step, before the step counter moves. */
  protected List<Op> finish(Ops tf) {
    return List.of();
  }

  /** A zero-initialised slot shaped like {@code variable} (momentum, velocity, ...). */
  protected static Variable<TFloat32> slot(Ops tf, String slotName, Variable<TFloat32> variable) {
    Ops init = tf.withInitScope();
    return tf.withName(slotName)
        .variable(init.zeros(init.constant(variable.shape()), TFloat32.class));
  }
}
