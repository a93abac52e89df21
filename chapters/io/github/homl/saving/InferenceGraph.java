package io.github.homl.saving;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * The part of a training graph that the signatures need, as a graph of its own: the ops reachable
 * backwards from the signature outputs (stopping at the signature inputs) and the variables they
 * read, with the variables' current values. Loss, gradients, optimizer slots and other models stay
 * behind, so the SavedModel holds only the inference path.
 */
final class InferenceGraph {

  private static final Set<String> RESOURCE_VARIABLES = Set.of("VarHandleOp", "VariableV2Handle");

  private InferenceGraph() {}

  /** Writes the pruned graph of {@code session} with {@code signatures} as the new {@code dir}. */
  static void export(Session session, List<Signature> signatures, Path dir, Path scratch)
      throws IOException {
    GraphDef pruned = prune(session.graph().toGraphDef(), signatures);
    List<String> variables =
        pruned.getNodeList().stream()
            .filter(node -> node.getOp().equals("VariableV2"))
            .map(NodeDef::getName)
            .toList();
    String checkpoint = scratch.resolve("variables").toString();
    // a staging graph receives the values, saves them, and is thrown away with its assign ops
    try (Graph staging = new Graph();
        Session stagingSession = new Session(staging)) {
      staging.importGraphDef(pruned);
      copyValues(session, stagingSession, variables);
      stagingSession.save(checkpoint);
    }
    try (Graph graph = new Graph();
        Session clean = new Session(graph)) {
      graph.importGraphDef(pruned);
      if (!variables.isEmpty()) {
        clean.restore(checkpoint);
      }
      SavedModelBundle.exporter(dir.toString())
          .withSession(clean)
          .withSignatures(signatures.toArray(Signature[]::new))
          .export();
    }
  }

  static GraphDef prune(GraphDef full, List<Signature> signatures) {
    Map<String, NodeDef> nodes = new HashMap<>();
    full.getNodeList().forEach(node -> nodes.put(node.getName(), node));
    Set<String> inputs = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    for (Signature signature : signatures) {
      signature.getInputs().values().forEach(d -> inputs.add(opName(d.name)));
      signature.getOutputs().values().forEach(d -> todo.add(opName(d.name)));
    }
    Set<String> keep = new HashSet<>();
    while (!todo.isEmpty()) {
      String name = todo.pop();
      NodeDef node = nodes.get(name);
      if (node == null) {
        throw new IllegalArgumentException("signature tensor '" + name + "' is not in the graph");
      }
      if (!keep.add(name) || inputs.contains(name)) {
        continue;
      }
      if (node.getOp().startsWith("Placeholder") && node.getInputCount() == 0) {
        throw new IllegalArgumentException(
            "the exported outputs depend on placeholder '"
                + name
                + "', which is not a signature input (inputs: "
                + inputs
                + ")");
      }
      if (RESOURCE_VARIABLES.contains(node.getOp())) {
        throw new IllegalArgumentException(
            "the exported outputs read resource variable '"
                + name
                + "'; SavedModel export from Java saves only VariableV2 variables");
      }
      node.getInputList().forEach(input -> todo.add(opName(input)));
    }
    GraphDef.Builder builder = full.toBuilder().clearNode();
    for (NodeDef node : full.getNodeList()) {
      if (keep.contains(node.getName())) {
        // colocation hints may name ops that stayed behind; they only matter for device placement
        builder.addNode(node.toBuilder().removeAttr("_class"));
      }
    }
    return builder.build();
  }

  private static void copyValues(Session from, Session to, List<String> variables) {
    if (variables.isEmpty()) {
      return;
    }
    Session.Runner fetch = from.runner();
    variables.forEach(fetch::fetch);
    try (Result values = fetch.run()) {
      Graph graph = to.graph();
      Session.Runner assign = to.runner();
      for (int i = 0; i < variables.size(); i++) {
        Tensor value = values.get(i);
        GraphOperation variable = graph.operation(variables.get(i));
        GraphOperation placeholder =
            graph
                .opBuilder("Placeholder", "export_value_" + i, graph.baseScope())
                .setAttr("dtype", value.dataType())
                .build();
        GraphOperation op =
            graph
                .opBuilder("Assign", "export_assign_" + i, graph.baseScope())
                .addInput(variable.output(0))
                .addInput(placeholder.output(0))
                .build();
        assign.feed(placeholder.output(0), value).addTarget(op);
      }
      assign.run().close();
    }
  }

  /** {@code "dense/kernel:0"} or {@code "^dense/kernel"} to {@code "dense/kernel"}. */
  private static String opName(String tensorName) {
    String name = tensorName.startsWith("^") ? tensorName.substring(1) : tensorName;
    int colon = name.lastIndexOf(':');
    return colon < 0 ? name : name.substring(0, colon);
  }
}
