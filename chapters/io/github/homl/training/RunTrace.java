package io.github.homl.training;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.proto.StepStats;

/**
 * Where the time of traced {@code Session.run} calls goes, op type by op type: TensorFlow's step
 * statistics ({@code RunOptions.trace_level = FULL_TRACE}) summed over the traced runs, and the op
 * types of the graphs the runtime executed after Grappler's rewrites (fused convolutions or not).
 * Start one with {@link Workspace#trace}; every run of the workspace is then traced until {@link
 * Workspace#stopTrace}. {@link #profiler} does so for the steps of a fit.
 */
public final class RunTrace {

  /** What a traced run asks of TensorFlow: step statistics and the executed (partition) graphs. */
  static final RunOptions OPTIONS =
      RunOptions.newBuilder()
          .setTraceLevel(RunOptions.TraceLevel.FULL_TRACE)
          .setOutputPartitionGraphs(true)
          .build();

  private final Map<String, long[]> byType = new HashMap<>(); // op type -> {micros, count}
  private final Map<String, long[]> byNode = new HashMap<>(); // node name -> {micros, count}
  private final Map<String, Integer> executedOps = new TreeMap<>();
  private int runs;
  private long wallMicros;

  /** Steps a profiled epoch runs untraced first: the first steps are slower (warm-up). */
  private static final int UNTRACED_STEPS = 10;

  /**
   * A fit listener that traces {@code steps} steps of the last epoch of each fit it is given to,
   * after {@value #UNTRACED_STEPS} untraced, and prints to {@code out} where their time went
   * ({@link #table}): {@code bench --profile}.
   */
  public static Fit.Listener profiler(int steps, PrintStream out) {
    return new Fit.Listener() {
      private int traceFrom = -1;
      private RunTrace trace;

      @Override
      public void onEpochBegin(Fit.Position at) {
        traceFrom = at.epoch() == at.epochs() ? Math.min(UNTRACED_STEPS, at.steps() - 1) : -1;
      }

      @Override
      public void onStepBegin(Fit.Position at, int step) {
        if (step == traceFrom) {
          trace = at.ws().trace();
        }
      }

      @Override
      public void onStepEnd(Fit.Position at, int step, LossValues means) {
        if (trace != null && (step == traceFrom + steps - 1 || step == at.steps() - 1)) {
          at.ws().stopTrace();
          out.print(trace.table(25));
          trace = null;
        }
      }
    };
  }

  /** Adds one traced run that took {@code wallMicros} on the host. */
  void add(RunMetadata metadata, long wallMicros) {
    runs++;
    this.wallMicros += wallMicros;
    StepStats stats = metadata.getStepStats();
    Map<String, String> types = new HashMap<>();
    boolean firstGraphs = executedOps.isEmpty();
    for (GraphDef graph : metadata.getPartitionGraphsList()) {
      for (NodeDef node : graph.getNodeList()) {
        types.put(node.getName(), node.getOp());
        if (firstGraphs) {
          executedOps.merge(node.getOp(), 1, Integer::sum);
        }
      }
    }
    stats
        .getDevStatsList()
        .forEach(
            device ->
                device
                    .getNodeStatsList()
                    .forEach(
                        node -> {
                          String type =
                              types.getOrDefault(
                                  node.getNodeName(), opType(node.getTimelineLabel()));
                          long micros = node.getOpEndRelMicros() - node.getOpStartRelMicros();
                          long[] sum = byType.computeIfAbsent(type, k -> new long[2]);
                          sum[0] += micros;
                          sum[1]++;
                          long[] one =
                              byNode.computeIfAbsent(
                                  node.getNodeName() + " (" + type + ")", k -> new long[2]);
                          one[0] += micros;
                          one[1]++;
                        }));
  }

  /** The op type in a timeline label such as {@code "name = Conv2D(a, b)"}. */
  private static String opType(String label) {
    int eq = label.indexOf(" = ");
    int paren = label.indexOf('(', Math.max(eq, 0));
    return eq < 0 || paren < 0 ? "(unknown)" : label.substring(eq + 3, paren);
  }

  /** Op type → summed kernel microseconds per run, largest first. */
  private Map<String, Double> microsPerRun() {
    return byType.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                e -> e.getValue()[0] / (double) Math.max(runs, 1),
                (a, b) -> a,
                LinkedHashMap::new));
  }

  /**
   * A table of the {@code top} op types by kernel time, with the wall time per run, then the op
   * types the executed graphs hold after Grappler's rewrites (fused convolutions or not).
   */
  public String table(int top) {
    StringBuilder out = new StringBuilder();
    double total = byType.values().stream().mapToLong(v -> v[0]).sum() / (double) runs;
    out.append(
        String.format(
            Locale.ROOT,
            "%d traced runs: %.2f ms wall per run, %.2f ms summed kernel time%n",
            runs,
            wallMicros / 1000.0 / runs,
            total / 1000));
    out.append(
        String.format(
            Locale.ROOT, "%-34s %10s %7s %8s%n", "op type", "ms/run", "share", "ops/run"));
    List<Map.Entry<String, Double>> rows = List.copyOf(microsPerRun().entrySet());
    for (Map.Entry<String, Double> row : rows.subList(0, Math.min(top, rows.size()))) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-34s %10.3f %6.1f%% %8.1f%n",
              row.getKey(),
              row.getValue() / 1000,
              100 * row.getValue() / total,
              byType.get(row.getKey())[1] / (double) runs));
    }
    out.append(String.format(Locale.ROOT, "%-60s %10s%n", "slowest nodes", "ms/run"));
    byNode.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
        .limit(top / 2)
        .forEach(
            e ->
                out.append(
                    String.format(
                        Locale.ROOT,
                        "%-60s %10.3f%n",
                        e.getKey(),
                        e.getValue()[0] / 1000.0 / runs)));
    out.append("executed graphs hold: ").append(executedOps).append(System.lineSeparator());
    return out.toString();
  }
}
