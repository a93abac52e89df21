package io.github.homl.training;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Saves and restores every variable of a graph in TensorFlow's checkpoint format, each under its op
 * name (as {@code Session.save} and {@code Session.restore} do). Those two build their saver once,
 * on first use, for the variables that exist then: a section that checkpoints one model and then
 * builds a second one in the same graph (latent diffusion: the autoencoder, then the U-Net) would
 * save and restore the first model's variables only. {@link Workspace#saver()} rebuilds this saver
 * whenever the graph has gained variables.
 */
final class VariableSaver {

  private final int variableCount;
  private final Placeholder<TString> prefix;
  private final Op save;
  private final Op restore;

  private VariableSaver(Ops tf, List<Output<?>> variables) {
    Ops scoped = tf.withSubScope("checkpoint");
    variableCount = variables.size();
    prefix = scoped.withName("prefix").placeholder(TString.class);
    if (variables.isEmpty()) { // nothing to save: a graph without weights
      save = scoped.noOp();
      restore = scoped.noOp();
      return;
    }
    String[] names = new String[variables.size()];
    String[] slices = new String[variables.size()];
    List<Operand<?>> values = new ArrayList<>();
    List<Class<? extends TType>> types = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      Output<?> variable = variables.get(i);
      names[i] = variable.op().name();
      slices[i] = "";
      values.add(variable);
      types.add(variable.type());
    }
    Operand<TString> tensorNames = scoped.constant(NdArrays.vectorOfObjects(names));
    Operand<TString> shapesAndSlices = scoped.constant(NdArrays.vectorOfObjects(slices));
    save = scoped.train.save(prefix, tensorNames, shapesAndSlices, values);
    Restore restored = scoped.train.restore(prefix, tensorNames, shapesAndSlices, types);
    List<Op> assigns = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      assigns.add(assign(scoped, variables.get(i), restored.tensors().get(i)));
    }
    restore = scoped.withControlDependencies(assigns).noOp();
  }

  /** A saver of exactly {@code variables}, each under its op name. */
  static VariableSaver of(Ops tf, List<Output<?>> variables) {
    return new VariableSaver(tf, variables);
  }

  /** A saver of the graph's variables, or {@code current} if no variable was added since. */
  static VariableSaver upToDate(Ops tf, VariableSaver current) {
    List<Output<?>> variables = new ArrayList<>();
    Iterator<GraphOperation> operations = ((org.tensorflow.Graph) tf.scope().env()).operations();
    while (operations.hasNext()) {
      GraphOperation op = operations.next();
      if (op.type().equals("VariableV2")) {
        variables.add(op.output(0));
      }
    }
    if (current != null && current.variableCount == variables.size()) {
      return current;
    }
    return new VariableSaver(tf, variables);
  }

  /** Writes every variable to the checkpoint files {@code prefix}. */
  void save(Session session, String path) {
    run(session, save, path);
  }

  /** Sets every variable to its value in the checkpoint files {@code prefix}. */
  void restore(Session session, String path) {
    run(session, restore, path);
  }

  private void run(Session session, Op target, String path) {
    try (TString value = TString.scalarOf(path)) {
      session.runner().feed(prefix, value).addTarget(target).run();
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Op assign(Ops tf, Output<?> variable, Output<?> value) {
    return tf.assign((Operand) variable, (Operand) value);
  }
}
