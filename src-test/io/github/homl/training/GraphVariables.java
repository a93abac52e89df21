package io.github.homl.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The values of every float variable in a workspace's graph, by name. */
public final class GraphVariables {

  private GraphVariables() {}

  /** Every float {@code VariableV2} (weights, optimizer slots, step counters), read in one run. */
  public static SortedMap<String, float[]> read(Workspace ws) {
    List<String> names = new ArrayList<>();
    ws.graph()
        .operations()
        .forEachRemaining(
            op -> {
              if (op.type().equals("VariableV2")
                  && op.output(0).dataType().name().startsWith("DT_FLOAT")) {
                names.add(op.name());
              }
            });
    List<Operand<TFloat32>> reads = new ArrayList<>();
    for (String name : names) {
      reads.add(ws.tf().identity(ws.graph().operation(name).output(0).expect(TFloat32.class)));
    }
    List<float[]> values = ws.runAll(reads, Map.of());
    SortedMap<String, float[]> byName = new TreeMap<>();
    for (int i = 0; i < names.size(); i++) {
      byName.put(names.get(i), values.get(i));
    }
    return byName;
  }
}
