package io.github.homl.training;

import io.github.homl.data.AtomicFiles;
import io.github.homl.figures.Figures;
import io.github.homl.figures.LinePlot;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code fit} returns, as Keras's {@code History}: per epoch, the logs (each training loss as
 * the mean over the epoch's batches, each held-out loss as {@code val_<name>}), the seconds the
 * epoch took and its steps. An autoencoder logs {@code loss} and {@code val_loss}; a GAN {@code
 * d_loss}, {@code g_loss}, {@code val_d_loss} and {@code val_g_loss}.
 */
public final class History {

  /** matplotlib's first colours (tab:blue, tab:orange, tab:green, tab:red, ...). */
  public static final List<Color> TAB_COLORS =
      List.of(
          new Color(0x1f77b4),
          new Color(0xff7f0e),
          new Color(0x2ca02c),
          new Color(0xd62728),
          new Color(0x9467bd),
          new Color(0x8c564b));

  /** One epoch's logs; a log the epoch does not have reads as NaN. */
  public record Epoch(int epoch, Map<String, Double> logs, double seconds, int steps) {

    public Epoch {
      logs = Collections.unmodifiableMap(new LinkedHashMap<>(logs));
    }

    /** An epoch logging {@code loss} and (unless NaN) {@code val_loss}. */
    public Epoch(int epoch, double loss, double valLoss, double seconds, int steps) {
      this(epoch, lossLogs(loss, valLoss), seconds, steps);
    }

    public double get(String name) {
      return logs.getOrDefault(name, Double.NaN);
    }

    /** The logs as losses by name, in order ({@code loss: 0.0412 - val_loss: 0.0398} printed). */
    public LossValues lossValues() {
      return LossValues.of(logs);
    }

    public double loss() {
      return get("loss");
    }

    public double valLoss() {
      return get("val_loss");
    }

    private static Map<String, Double> lossLogs(double loss, double valLoss) {
      Map<String, Double> logs = new LinkedHashMap<>();
      logs.put("loss", loss);
      if (!Double.isNaN(valLoss)) {
        logs.put("val_loss", valLoss);
      }
      return logs;
    }
  }

  private final List<Epoch> epochs = new ArrayList<>();

  public void add(Epoch epoch) {
    epochs.add(epoch);
  }

  public List<Epoch> epochs() {
    return List.copyOf(epochs);
  }

  public int size() {
    return epochs.size();
  }

  public Epoch last() {
    if (epochs.isEmpty()) {
      throw new IllegalStateException("the history is empty: no epoch has run");
    }
    return epochs.get(epochs.size() - 1);
  }

  /** The names logged, in the order of the first epoch ({@code loss, val_loss} or more). */
  public List<String> names() {
    return epochs.isEmpty() ? List.of() : List.copyOf(epochs.get(0).logs().keySet());
  }

  /** One log over the epochs. */
  public double[] column(String name) {
    return epochs.stream().mapToDouble(e -> e.get(name)).toArray();
  }

  /** Mean seconds per epoch, skipping the first (graph warm-up) when there are several. */
  public double secondsPerEpoch() {
    List<Epoch> timed = epochs.size() > 1 ? epochs.subList(1, epochs.size()) : epochs;
    return timed.stream().mapToDouble(Epoch::seconds).average().orElse(Double.NaN);
  }

  /** Writes {@code epoch,<names>,seconds,steps} rows, atomically. */
  public Path writeCsv(Path file) {
    List<String> names = names();
    StringBuilder csv = new StringBuilder("epoch");
    names.forEach(name -> csv.append(',').append(name));
    csv.append(",seconds,steps\n");
    for (Epoch e : epochs) {
      csv.append(e.epoch());
      names.forEach(name -> csv.append(String.format(Locale.ROOT, ",%.6f", e.get(name))));
      csv.append(String.format(Locale.ROOT, ",%.3f,%d%n", e.seconds(), e.steps()));
    }
    try {
      return AtomicFiles.write(file, temp -> Files.writeString(temp, csv, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write history " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads a history written by {@link #writeCsv}. */
  public static History readCsv(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new IOException(file + ": empty, expected a header epoch,...,seconds,steps");
    }
    List<String> header = Arrays.asList(lines.get(0).split(","));
    int n = header.size();
    if (n < 3
        || !header.get(0).equals("epoch")
        || !header.get(n - 2).equals("seconds")
        || !header.get(n - 1).equals("steps")) {
      throw new IOException(
          file + ": expected a header epoch,...,seconds,steps, got '" + lines.get(0) + "'");
    }
    History history = new History();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      if (f.length != n) {
        throw new IOException(file + ": expected " + n + " columns, got '" + line + "'");
      }
      Map<String, Double> logs = new LinkedHashMap<>();
      for (int i = 1; i < n - 2; i++) {
        logs.put(header.get(i), Double.parseDouble(f[i]));
      }
      history.add(
          new Epoch(
              Integer.parseInt(f[0]),
              logs,
              Double.parseDouble(f[n - 2]),
              Integer.parseInt(f[n - 1])));
    }
    return history;
  }

  /**
   * The loss curves as {@code outDir/<id>.png} (each training log solid, its {@code val_} twin
   * dashed in the same colour), plus the CSV beside it.
   */
  public Path saveLossPlot(Path outDir, String id) {
    writeCsv(outDir.resolve(id + ".csv"));
    return Figures.saveFig(
        addTo(new LinePlot(id, "epoch", "loss"), "", 0, true).render(), outDir, id);
  }

  /**
   * Adds every log to {@code plot}, named {@code prefix + name}, in the tab colours from {@code
   * firstColor} on: training logs solid, and with {@code heldOut} their {@code val_} twins dashed.
   */
  public LinePlot addTo(LinePlot plot, String prefix, int firstColor, boolean heldOut) {
    double[] x = epochs.stream().mapToDouble(Epoch::epoch).toArray();
    List<String> trained = names().stream().filter(n -> !n.startsWith("val_")).toList();
    for (int i = 0; i < trained.size(); i++) {
      String name = trained.get(i);
      Color color = TAB_COLORS.get((firstColor + i) % TAB_COLORS.size());
      plot = plot.series(prefix + name, x, column(name), color, LinePlot.Style.SOLID);
      double[] held = column("val_" + name);
      if (heldOut && Arrays.stream(held).noneMatch(Double::isNaN)) {
        plot = plot.series(prefix + "val_" + name, x, held, color, LinePlot.Style.DASHED);
      }
    }
    return plot;
  }
}
