package io.github.homl.training;

import io.github.homl.data.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Per-epoch checkpoints of a workspace, so a long run loses at most one epoch and {@code --resume}
 * continues it. Each save writes every variable of the graph (weights, optimizer slots and step
 * counters, BatchNormalization statistics) and the history so far into a fresh folder, renames it
 * atomically to {@code epoch-NNNN}, then atomically points {@code latest} at it and deletes older
 * folders: a crash at any moment leaves the previous checkpoint intact.
 *
 * <p>Not saved: the state of stateful random ops and of the data shuffling, so a resumed run
 * continues with different (equally random) batches and noise than an uninterrupted one.
 */
public final class Checkpoints {

  private static final String LATEST = "latest";
  private static final String VARIABLES = "variables";
  private static final String HISTORY = "history.csv";

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
      ws.session().save(temp.resolve(VARIABLES).toString());
      history.writeCsv(temp.resolve(HISTORY));
      String name = String.format("epoch-%04d", history.size());
      Path target = dir.resolve(name);
      deleteTree(target);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      AtomicFiles.write(dir.resolve(LATEST),
          file -> Files.writeString(file, name, StandardCharsets.UTF_8));
      try (Stream<Path> old = Files.list(dir)) {
        for (Path p : old.filter(p -> !p.equals(target) && isCheckpointOrTemp(p)).toList()) {
          deleteTree(p);
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
      throw new IllegalStateException("no checkpoint to resume from in " + dir
          + " (run without --resume first)");
    }
    try {
      Path latest = dir.resolve(Files.readString(dir.resolve(LATEST), StandardCharsets.UTF_8)
          .trim());
      ws.session().restore(latest.resolve(VARIABLES).toString());
      History history = History.readCsv(latest.resolve(HISTORY));
      System.out.println("Resuming from " + latest + " (epoch " + history.size() + ")");
      return history;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint in " + dir + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot restore the checkpoint in " + dir
          + " into this graph (was it saved by another model or settings?): " + e.getMessage(), e);
    }
  }

  private static boolean isCheckpointOrTemp(Path p) {
    String name = p.getFileName().toString();
    return name.startsWith("epoch-") || name.startsWith(".saving-");
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
