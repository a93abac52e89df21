package io.github.homl.training;

import io.github.homl.data.AtomicFiles;
import io.github.homl.figures.Figures;
import io.github.homl.figures.LinePlot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code fit} returns: per epoch, the training loss (mean over the epoch's batches, as Keras
 * reports it), the validation loss, and the seconds the epoch took.
 */
public final class History {

  /** One epoch's numbers; {@code valLoss} is NaN when there was no validation set. */
  public record Epoch(int epoch, double loss, double valLoss, double seconds, int steps) {}

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

  /** Mean seconds per epoch, skipping the first (graph warm-up) when there are several. */
  public double secondsPerEpoch() {
    List<Epoch> timed = epochs.size() > 1 ? epochs.subList(1, epochs.size()) : epochs;
    return timed.stream().mapToDouble(Epoch::seconds).average().orElse(Double.NaN);
  }

  /** Writes {@code epoch,loss,val_loss,seconds,steps} rows, atomically. */
  public Path writeCsv(Path file) {
    StringBuilder csv = new StringBuilder("epoch,loss,val_loss,seconds,steps\n");
    for (Epoch e : epochs) {
      csv.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.3f,%d%n",
          e.epoch(), e.loss(), e.valLoss(), e.seconds(), e.steps()));
    }
    try {
      return AtomicFiles.write(file, temp -> Files.writeString(temp, csv, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write history " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads a history written by {@link #writeCsv}. */
  public static History readCsv(Path file) throws IOException {
    History history = new History();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      if (f.length != 5) {
        throw new IOException(file + ": expected 5 columns, got '" + line + "'");
      }
      history.add(new Epoch(Integer.parseInt(f[0]), Double.parseDouble(f[1]),
          Double.parseDouble(f[2]), Double.parseDouble(f[3]), Integer.parseInt(f[4])));
    }
    return history;
  }

  /** The loss curves (loss and val_loss per epoch) as {@code outDir/<id>.png}, plus the CSV beside it. */
  public Path saveLossPlot(Path outDir, String id) {
    double[] x = epochs.stream().mapToDouble(Epoch::epoch).toArray();
    LinePlot plot = new LinePlot(id, "epoch", "loss")
        .series("loss", x, epochs.stream().mapToDouble(Epoch::loss).toArray());
    if (epochs.stream().noneMatch(e -> Double.isNaN(e.valLoss()))) {
      plot = plot.series("val_loss", x, epochs.stream().mapToDouble(Epoch::valLoss).toArray());
    }
    writeCsv(outDir.resolve(id + ".csv"));
    return Figures.saveFig(plot.render(), outDir, id);
  }
}
