package io.github.homl.training;

import io.github.homl.data.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Per-epoch checkpoints of a workspace, so a long run loses at most one epoch and {@code --resume}
 * continues it. Each save writes every variable of the graph (weights, optimizer slots and step
 * counters, BatchNormalization statistics) and the history so far into a fresh folder, renames it
 * atomically to {@code epoch-NNNN}, then atomically points {@code latest} at it and deletes older
 * folders: a crash at any moment leaves the previous checkpoint intact.
 *
 * <p>Nothing else needs saving for a resumed run to equal an uninterrupted one: {@link Fit} draws
 * each epoch's shuffle and each step's random key from the seed, the epoch and the step.
 */
public final class Checkpoints {

  private static final String LATEST = "latest";
  private static final String VARIABLES = "variables";
  private static final String HISTORY = "history.csv";
  private static final String LEGACY_GENERATOR_HISTORY = "generator_history.csv";

  private final Path dir;

  private Checkpoints(Path dir) {
    this.dir = dir;
  }

  public static Checkpoints in(Path dir) {
    return new Checkpoints(dir);
  }

  public Path dir() {
    return dir;
  }

  /** Whether a complete checkpoint exists to resume from. */
  public boolean exists() {
    return Files.isRegularFile(dir.resolve(LATEST));
  }

  /** Saves every variable and {@code history} as the checkpoint of epoch {@code history.size()}. */
  public void save(Workspace ws, History history) {
    try {
      Files.createDirectories(dir);
      Path temp = Files.createTempDirectory(dir, ".saving-");
      ws.saver().save(ws.session(), temp.resolve(VARIABLES).toString());
      history.writeCsv(temp.resolve(HISTORY));
      String name = String.format("epoch-%04d", history.size());
      Path target = dir.resolve(name);
      AtomicFiles.deleteTree(target);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      AtomicFiles.write(
          dir.resolve(LATEST), file -> Files.writeString(file, name, StandardCharsets.UTF_8));
      try (Stream<Path> old = Files.list(dir)) {
        for (Path p : old.filter(p -> !p.equals(target) && isCheckpointOrTemp(p)).toList()) {
          AtomicFiles.deleteTree(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save checkpoint in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Restores every variable from the latest checkpoint and returns the history it was saved with.
   * Call it after the whole graph (model, loss, optimizer) is built.
   */
  public History restore(Workspace ws) {
    if (!exists()) {
      throw new IllegalStateException(
          "no checkpoint to resume from in " + dir + " (run without --resume first)");
    }
    try {
      Path latest =
          dir.resolve(Files.readString(dir.resolve(LATEST), StandardCharsets.UTF_8).trim());
      ws.saver().restore(ws.session(), latest.resolve(VARIABLES).toString());
      History history = History.readCsv(latest.resolve(HISTORY));
      Path generatorHistory = dir.resolve(LEGACY_GENERATOR_HISTORY);
      if (!history.names().contains("d_loss") && Files.isRegularFile(generatorHistory)) {
        history = legacyGan(history, History.readCsv(generatorHistory));
      }
      System.out.println("Resuming from " + latest + " (epoch " + history.size() + ")");
      return history;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint in " + dir + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot restore the checkpoint in "
              + dir
              + " into this graph (was it saved by another model or settings?): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * A GAN history as checkpoints before the one training loop kept it: the discriminator's losses
   * in the checkpoint, the generator's in {@code generator_history.csv} beside it.
   */
  private static History legacyGan(History discriminator, History generator) {
    History merged = new History();
    for (int i = 0; i < discriminator.size(); i++) {
      History.Epoch d = discriminator.epochs().get(i);
      History.Epoch g = generator.epochs().get(i);
      Map<String, Double> logs = new LinkedHashMap<>();
      logs.put("d_loss", d.loss());
      logs.put("g_loss", g.loss());
      logs.put("val_d_loss", d.valLoss());
      logs.put("val_g_loss", g.valLoss());
      merged.add(new History.Epoch(d.epoch(), logs, d.seconds(), d.steps()));
    }
    return merged;
  }

  private static boolean isCheckpointOrTemp(Path p) {
    String name = p.getFileName().toString();
    return name.startsWith("epoch-") || name.startsWith(".saving-");
  }
}
