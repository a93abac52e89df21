package io.github.homl.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a section's run produced: the training history of each model it trained (by the notebook's
 * model name), named measurements (e.g. the mean coding activation), and the figures it wrote.
 */
public record RunReport(
    Map<String, History> histories, Map<String, Double> measures, List<Path> figures) {

  public RunReport {
    histories = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(histories));
    measures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(measures));
    figures = List.copyOf(figures);
  }

  /** This report with {@code figure} added after its figures. */
  public RunReport withFigure(Path figure) {
    List<Path> all = new ArrayList<>(figures);
    all.add(figure);
    return new RunReport(histories, measures, all);
  }

  /** A summary: one line per model (its last epoch's logs), then one per measure and figure. */
  public String summary() {
    StringBuilder text =
        new StringBuilder(
            String.format(
                Locale.ROOT, "%-28s %7s %9s  %s%n", "model", "epochs", "s/epoch", "last epoch"));
    histories.forEach(
        (name, h) ->
            text.append(
                String.format(
                    Locale.ROOT,
                    "%-28s %7d %9.1f  %s%n",
                    name,
                    h.size(),
                    h.secondsPerEpoch(),
                    h.last().lossValues())));
    measures.forEach(
        (name, value) -> text.append(String.format(Locale.ROOT, "%s: %.4f%n", name, value)));
    figures.forEach(path -> text.append("figure: ").append(path).append('\n'));
    return text.toString();
  }
}
