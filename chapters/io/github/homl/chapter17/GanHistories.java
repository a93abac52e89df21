package io.github.homl.chapter17;

import io.github.homl.figures.LinePlot;
import io.github.homl.training.Checkpoints;
import io.github.homl.training.History;
import io.github.homl.training.Workspace;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What {@code train_gan} measured per epoch, as one {@link History} per network so that each column
 * means what its name says: {@code discriminator} holds loss = mean d_loss over the epoch's phase-1
 * steps and valLoss = the same loss in inference mode on held-out data (fresh fakes + validation
 * images); {@code generator} holds loss = mean g_loss of phase 2 and valLoss = g_loss in inference
 * mode on fresh noise.
 */
record GanHistories(History discriminator, History generator) {

  static final Color TAB_BLUE = new Color(0x1f77b4);
  static final Color TAB_ORANGE = new Color(0xff7f0e);

  /** The generator's history sits beside the checkpoint, which stores the discriminator's. */
  private static final String GENERATOR_HISTORY = "generator_history.csv";

  GanHistories {
    if (discriminator.size() != generator.size()) {
      throw new IllegalArgumentException("the discriminator's history has "
          + discriminator.size() + " epochs, the generator's " + generator.size());
    }
  }

  static GanHistories empty() {
    return new GanHistories(new History(), new History());
  }

  int size() {
    return discriminator.size();
  }

  /** {@code <gan>_discriminator} and {@code <gan>_generator}, for a {@code RunReport}. */
  Map<String, History> named(String gan) {
    Map<String, History> named = new LinkedHashMap<>();
    named.put(gan + "_discriminator", discriminator);
    named.put(gan + "_generator", generator);
    return named;
  }

  /** Both networks' losses per epoch on one plot (the book never shows them). */
  BufferedImage plotLosses(String title) {
    LinePlot plot = addLosses(new LinePlot(title, "epoch", "loss"), "", TAB_BLUE, TAB_ORANGE);
    return addHeldOutLosses(plot, "", TAB_BLUE, TAB_ORANGE).render();
  }

  /** Adds the mean d_loss and g_loss per epoch to {@code plot} as solid lines. */
  LinePlot addLosses(LinePlot plot, String prefix, Color dColor, Color gColor) {
    return plot
        .series(prefix + "d_loss", epochs(), column(discriminator, History.Epoch::loss), dColor,
            LinePlot.Style.SOLID)
        .series(prefix + "g_loss", epochs(), column(generator, History.Epoch::loss), gColor,
            LinePlot.Style.SOLID);
  }

  /** Adds the held-out (inference-mode) d_loss and g_loss per epoch as dashed lines. */
  LinePlot addHeldOutLosses(LinePlot plot, String prefix, Color dColor, Color gColor) {
    return plot
        .series(prefix + "held-out d_loss", epochs(),
            column(discriminator, History.Epoch::valLoss), dColor, LinePlot.Style.DASHED)
        .series(prefix + "held-out g_loss", epochs(),
            column(generator, History.Epoch::valLoss), gColor, LinePlot.Style.DASHED);
  }

  /**
   * Checkpoints every variable with both histories. The generator's history is written first:
   * after a crash it may be one epoch ahead of the checkpoint, never behind, and {@link #restore}
   * cuts it back.
   */
  void save(Checkpoints checkpoints, Workspace ws) {
    generator.writeCsv(checkpoints.dir().resolve(GENERATOR_HISTORY));
    checkpoints.save(ws, discriminator);
  }

  /** Restores every variable from the latest checkpoint and returns both histories up to it. */
  static GanHistories restore(Checkpoints checkpoints, Workspace ws) {
    History discriminator = checkpoints.restore(ws);
    Path file = checkpoints.dir().resolve(GENERATOR_HISTORY);
    History generator = new History();
    try {
      List<History.Epoch> saved = History.readCsv(file).epochs();
      saved.subList(0, Math.min(saved.size(), discriminator.size())).forEach(generator::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return new GanHistories(discriminator, generator);
  }

  private double[] epochs() {
    return column(discriminator, History.Epoch::epoch);
  }

  private static double[] column(History history, ToDoubleFunction<History.Epoch> value) {
    return history.epochs().stream().mapToDouble(value).toArray();
  }
}
