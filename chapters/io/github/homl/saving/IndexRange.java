package io.github.homl.saving;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;

/**
 * How many values an integer input (a class label) can take, read from a SavedModel's graph: the
 * depth of the {@code OneHot} that encodes it (the Java conditional GAN, a tf_keras {@code
 * tf.one_hot}), or the number of rows of the table a {@code Gather} looks it up in (a Keras {@code
 * Embedding}). The search follows the input's values forward through the graph and into the
 * functions that Keras exports call ({@code StatefulPartitionedCall}), and resolves a table that a
 * function receives as an argument to the variable its caller passes.
 *
 * <p>It finds the first such op on the input's path; a model that does something else with its
 * label (arithmetic, a lookup in a hash table) has no range here, and the caller says so.
 */
final class IndexRange {

  private static final Set<String> CALLS = Set.of("StatefulPartitionedCall", "PartitionedCall");
  private static final Set<String> GATHERS = Set.of("GatherV2", "Gather", "ResourceGather");
  private static final Set<String> PASS_THROUGH = Set.of("ReadVariableOp", "Identity", "Cast");

  /**
   * Nodes of the graph or of one call of a function, and where that call came from. Scopes compare
   * by identity: each call is its own scope (and comparing node lists would be slow).
   */
  private record Scope(List<NodeDef> nodes, FunctionDef function, Scope caller, NodeDef call) {

    @Override
    public boolean equals(Object other) {
      return this == other;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }

    /** The node that produces {@code ref} ({@code name}, {@code name:0}, {@code name:out:0}). */
    NodeDef node(String ref) {
      String name = producer(ref);
      return nodes.stream().filter(n -> n.getName().equals(name)).findFirst().orElse(null);
    }

    /** The position of argument {@code ref} in this function's signature, or -1. */
    int argument(String ref) {
      if (function == null) {
        return -1;
      }
      String name = producer(ref);
      var args = function.getSignature().getInputArgList();
      for (int i = 0; i < args.size(); i++) {
        if (args.get(i).getName().equals(name)) {
          return i;
        }
      }
      return -1;
    }
  }

  private record Value(Scope scope, String name) {}

  private final Map<String, FunctionDef> functions = new HashMap<>();
  private final Scope graph;

  private IndexRange(GraphDef graphDef) {
    graphDef
        .getLibrary()
        .getFunctionList()
        .forEach(f -> functions.put(f.getSignature().getName(), f));
    this.graph = new Scope(graphDef.getNodeList(), null, null, null);
  }

  /**
   * The number of values input tensor {@code tensorName} (as a signature names it, {@code
   * serving_default_label:0}) can take, or empty when the graph does not say.
   */
  static OptionalInt of(GraphDef graphDef, String tensorName) {
    return new IndexRange(graphDef).search(producer(tensorName));
  }

  private OptionalInt search(String input) {
    Deque<Value> queue = new ArrayDeque<>(List.of(new Value(graph, input)));
    Set<Value> seen = new HashSet<>();
    while (!queue.isEmpty()) {
      Value value = queue.poll();
      if (!seen.add(value)) {
        continue;
      }
      Scope scope = value.scope();
      for (NodeDef node : scope.nodes()) {
        for (int i = 0; i < node.getInputCount(); i++) {
          String ref = node.getInput(i);
          if (ref.startsWith("^") || !producer(ref).equals(value.name())) {
            continue;
          }
          OptionalInt found = inspect(scope, node, i, queue);
          if (found.isPresent()) {
            return found;
          }
        }
      }
      if (scope.function() != null && returns(scope.function(), value.name())) {
        queue.add(new Value(scope.caller(), scope.call().getName()));
      }
    }
    return OptionalInt.empty();
  }

  /** What {@code node} does with the value at its input {@code i}: a range, or more to follow. */
  private OptionalInt inspect(Scope scope, NodeDef node, int i, Deque<Value> queue) {
    String op = node.getOp();
    if (op.equals("OneHot") && i == 0) {
      return constant(scope, node.getInput(1));
    }
    if (GATHERS.contains(op) && i == 1) {
      return rows(scope, node.getInput(0));
    }
    if (CALLS.contains(op)) {
      FunctionDef function = functions.get(node.getAttrOrThrow("f").getFunc().getName());
      if (function != null && i < function.getSignature().getInputArgCount()) {
        Scope body = new Scope(function.getNodeDefList(), function, scope, node);
        queue.add(new Value(body, function.getSignature().getInputArg(i).getName()));
      }
      return OptionalInt.empty();
    }
    queue.add(new Value(scope, node.getName()));
    return OptionalInt.empty();
  }

  /** The first dimension of the table {@code ref}: a variable's or a constant's. */
  private OptionalInt rows(Scope scope, String ref) {
    int arg = scope.argument(ref);
    if (arg >= 0) {
      return rows(scope.caller(), scope.call().getInput(arg));
    }
    NodeDef node = scope.node(ref);
    if (node == null) {
      return OptionalInt.empty();
    }
    if (PASS_THROUGH.contains(node.getOp())) {
      return rows(scope, node.getInput(0));
    }
    AttrValue shape = node.getAttrMap().get(node.getOp().equals("Const") ? "value" : "shape");
    if (shape == null) {
      return OptionalInt.empty();
    }
    var dims =
        shape.hasTensor()
            ? shape.getTensor().getTensorShape().getDimList()
            : shape.getShape().getDimList();
    return dims.isEmpty() || dims.get(0).getSize() < 1
        ? OptionalInt.empty()
        : OptionalInt.of((int) dims.get(0).getSize());
  }

  /** The integer scalar constant {@code ref} (a OneHot's depth). */
  private OptionalInt constant(Scope scope, String ref) {
    int arg = scope.argument(ref);
    if (arg >= 0) {
      return constant(scope.caller(), scope.call().getInput(arg));
    }
    NodeDef node = scope.node(ref);
    if (node == null || !node.getOp().equals("Const")) {
      return OptionalInt.empty();
    }
    TensorProto tensor = node.getAttrOrThrow("value").getTensor();
    if (tensor.getDtype() != DataType.DT_INT32) {
      return OptionalInt.empty();
    }
    if (tensor.getIntValCount() > 0) {
      return OptionalInt.of(tensor.getIntVal(0));
    }
    ByteBuffer content = tensor.getTensorContent().asReadOnlyByteBuffer();
    return content.remaining() >= 4
        ? OptionalInt.of(content.order(ByteOrder.LITTLE_ENDIAN).getInt(0))
        : OptionalInt.empty();
  }

  private static boolean returns(FunctionDef function, String name) {
    return function.getRetMap().values().stream().anyMatch(ref -> producer(ref).equals(name));
  }

  /** The node or argument name in a tensor reference: {@code ^name}, {@code name:0}, ... */
  private static String producer(String ref) {
    String name = ref.startsWith("^") ? ref.substring(1) : ref;
    int colon = name.indexOf(':');
    return colon < 0 ? name : name.substring(0, colon);
  }
}
