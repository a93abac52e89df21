package io.github.homl.training;

import io.github.homl.data.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Per-epoch checkpoints of a workspace, so a long run loses at most one epoch and {@code --resume}
 * continues it. Each save writes every variable of the graph (weights, optimizer slots and step
 * counters, BatchNormalization statistics, moving averages of the weights) and the history so far
 * into a temporary folder of its own, with a {@code manifest.sha256} of the files, renames it
 * atomically to {@code epoch-NNNN}, then atomically points {@code latest} at it (a pointer for
 * people; {@link #restore} goes by the folders themselves).
 *
 * <p>The newest two checkpoints are kept, and every {@code keepEvery}-th epoch's ({@code
 * --keep-every N}), so that epochs can be compared after a run. {@link #restore} verifies the
 * checkpoint's files against its manifest first: a damaged newest checkpoint is reported as damaged
 * and the one before it is restored instead; a checkpoint whose files are intact but do not fit the
 * graph was saved by another model or settings, and says so. A crash at any moment leaves the
 * previous checkpoint intact, and a save never touches another process's temporary folder.
 *
 * <p>Nothing else needs saving for a resumed run to equal an uninterrupted one: {@link Fit} draws
 * each epoch's shuffle and each step's random key from the seed, the epoch and the step.
 */
public final class Checkpoints {

  private static final String LATEST = "latest";
  private static final String VARIABLES = "variables";
  private static final String HISTORY = "history.csv";
  private static final String MANIFEST = "manifest.sha256";
  private static final String LEGACY_GENERATOR_HISTORY = "generator_history.csv";
  private static final String TEMP_PREFIX = ".saving-";
  private static final int NEWEST_KEPT = 2;

  private final Path dir;
  private final int keepEvery;
  private final Integer fromEpoch;

  private Checkpoints(Path dir, int keepEvery, Integer fromEpoch) {
    if (keepEvery < 0) {
      throw new IllegalArgumentException("--keep-every must be 0 (off) or more, got " + keepEvery);
    }
    if (fromEpoch != null && fromEpoch < 1) {
      throw new IllegalArgumentException("--from-epoch must be at least 1, got " + fromEpoch);
    }
    this.dir = dir;
    this.keepEvery = keepEvery;
    this.fromEpoch = fromEpoch;
  }

  public static Checkpoints in(Path dir) {
    return new Checkpoints(dir, 0, null);
  }

  /** These checkpoints, also keeping every {@code n}-th epoch's (0: only the newest two). */
  public Checkpoints keepingEvery(int n) {
    return new Checkpoints(dir, n, fromEpoch);
  }

  /** These checkpoints, restoring epoch {@code epoch}'s instead of the newest ({@code null}). */
  public Checkpoints restoringEpoch(Integer epoch) {
    return new Checkpoints(dir, keepEvery, epoch);
  }

  public Path dir() {
    return dir;
  }

  /** Whether a complete checkpoint exists to resume from. */
  public boolean exists() {
    return !folders().isEmpty();
  }

  /** The epochs whose checkpoints are kept, oldest first. */
  public List<Integer> epochs() {
    return List.copyOf(folders().keySet());
  }

  /** Saves every variable and {@code history} as the checkpoint of epoch {@code history.size()}. */
  public void save(Workspace ws, History history) {
    Path temp = null;
    try {
      Files.createDirectories(dir);
      temp = Files.createTempDirectory(dir, TEMP_PREFIX + ProcessHandle.current().pid() + "-");
      AtomicFiles.shareable(temp);
      ws.saver().save(ws.session(), temp.resolve(VARIABLES).toString());
      history.writeCsv(temp.resolve(HISTORY));
      writeManifest(temp);
      try (Stream<Path> files = Files.list(temp)) {
        for (Path file : files.toList()) {
          AtomicFiles.shareable(file);
        }
      }
      String name = folderName(history.size());
      Path target = dir.resolve(name);
      AtomicFiles.deleteTree(target);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      temp = null;
      AtomicFiles.write(
          dir.resolve(LATEST), file -> Files.writeString(file, name, StandardCharsets.UTF_8));
      prune(history.size());
    } catch (IOException | RuntimeException e) {
      deleteQuietly(temp);
      throw new UncheckedIOException(
          "cannot save the checkpoint in " + dir + ": " + reason(e),
          e instanceof IOException io ? io : new IOException(e));
    }
  }

  /**
   * Restores every variable from the newest checkpoint (or {@code --from-epoch}'s) and returns the
   * history it was saved with. A damaged newest checkpoint falls back to the one before it, and
   * says so. Call it after the whole graph (model, loss, optimizer) is built.
   */
  public History restore(Workspace ws) {
    TreeMap<Integer, Path> folders = folders();
    if (folders.isEmpty()) {
      throw new IllegalStateException(
          "no checkpoint to resume from in " + dir + " (run without --resume first)");
    }
    List<Path> candidates = new ArrayList<>();
    if (fromEpoch != null) {
      Path chosen = folders.get(fromEpoch);
      if (chosen == null) {
        throw new IllegalArgumentException(
            "--from-epoch "
                + fromEpoch
                + ": no checkpoint of that epoch in "
                + dir
                + "; kept: "
                + folders.keySet()
                + " (keep more with --keep-every N)");
      }
      candidates.add(chosen);
    } else {
      candidates.addAll(folders.descendingMap().values());
    }
    List<String> damaged = new ArrayList<>();
    for (Path folder : candidates) {
      Optional<String> problem = verify(folder);
      if (problem.isPresent()) {
        damaged.add(folder.getFileName() + " (" + problem.get() + ")");
        System.out.println(
            "warning: the checkpoint "
                + folder
                + " is damaged: "
                + problem.get()
                + (fromEpoch == null ? "; trying the one before it" : ""));
        continue;
      }
      return restoreFrom(ws, folder);
    }
    throw new IllegalStateException(
        "every checkpoint in " + dir + " is damaged: " + String.join(", ", damaged));
  }

  private History restoreFrom(Workspace ws, Path folder) {
    try {
      ws.saver().restore(ws.session(), folder.resolve(VARIABLES).toString());
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "the checkpoint "
              + folder
              + " is intact but does not fit this graph: it was saved by another model or other"
              + " settings (--quick, a different section?): "
              + firstLine(e.getMessage()),
          e);
    }
    try {
      History history = History.readCsv(folder.resolve(HISTORY));
      Path generatorHistory = dir.resolve(LEGACY_GENERATOR_HISTORY);
      if (!history.names().contains("d_loss") && Files.isRegularFile(generatorHistory)) {
        history = legacyGan(history, History.readCsv(generatorHistory));
      }
      System.out.println("Resuming from " + folder + " (epoch " + history.size() + ")");
      return history;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the history in " + folder + ": " + reason(e), e);
    }
  }

  /** What is wrong with a checkpoint folder's files, or nothing when they match its manifest. */
  static Optional<String> verify(Path folder) {
    Path manifest = folder.resolve(MANIFEST);
    try {
      if (!Files.isRegularFile(manifest)) {
        // checkpoints written before manifests existed: only look for the files TF needs
        return Files.isRegularFile(folder.resolve(VARIABLES + ".index"))
            ? Optional.empty()
            : Optional.of("no " + VARIABLES + ".index");
      }
      for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        String expected = line.substring(0, line.indexOf(' '));
        String file = line.substring(line.indexOf(' ') + 2);
        Path path = folder.resolve(file);
        if (!Files.isRegularFile(path)) {
          return Optional.of(file + " is missing");
        }
        if (!expected.equals(sha256(path))) {
          return Optional.of(file + " does not match its checksum (truncated or overwritten)");
        }
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.of("cannot read it: " + reason(e));
    }
  }

  private static void writeManifest(Path folder) throws IOException {
    StringBuilder lines = new StringBuilder();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.sorted().toList()) {
        lines.append(sha256(file)).append("  ").append(file.getFileName()).append('\n');
      }
    }
    Files.writeString(folder.resolve(MANIFEST), lines, StandardCharsets.UTF_8);
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes the checkpoints no longer kept and the temporary folders of dead processes. */
  private void prune(int newest) throws IOException {
    TreeMap<Integer, Path> folders = folders();
    List<Integer> kept = new ArrayList<>(folders.descendingKeySet());
    kept = kept.subList(0, Math.min(NEWEST_KEPT, kept.size()));
    for (Map.Entry<Integer, Path> e : folders.entrySet()) {
      int epoch = e.getKey();
      boolean keep = kept.contains(epoch) || (keepEvery > 0 && epoch % keepEvery == 0);
      if (!keep || epoch > newest) {
        AtomicFiles.deleteTree(e.getValue());
      }
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.filter(Checkpoints::isAbandonedTemp).toList()) {
        AtomicFiles.deleteTree(p);
      }
    }
  }

  /** A temporary folder whose writing process is gone (killed while saving). */
  private static boolean isAbandonedTemp(Path p) {
    String name = p.getFileName().toString();
    if (!name.startsWith(TEMP_PREFIX)) {
      return false;
    }
    String rest = name.substring(TEMP_PREFIX.length());
    int dash = rest.indexOf('-');
    try {
      long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
      return ProcessHandle.of(pid).isEmpty();
    } catch (NumberFormatException e) {
      return false; // an older name without the pid: it may belong to a run of another version
    }
  }

  /** The complete checkpoint folders by epoch. */
  private TreeMap<Integer, Path> folders() {
    TreeMap<Integer, Path> folders = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return folders;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      entries
          .filter(Files::isDirectory)
          .forEach(
              p -> {
                String name = p.getFileName().toString();
                if (name.matches("epoch-\\d+")) {
                  folders.put(Integer.parseInt(name.substring("epoch-".length())), p);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the checkpoints in " + dir, e);
    }
    return folders;
  }

  private static String folderName(int epoch) {
    return String.format("epoch-%04d", epoch);
  }

  private static void deleteQuietly(Path temp) {
    try {
      AtomicFiles.deleteTree(temp);
    } catch (IOException ignored) {
      // the save's own error is the one to report
    }
  }

  /** An exception's reason in one line, with TF's hint about allocated tensors dropped. */
  static String reason(Throwable e) {
    return firstLine(AtomicFiles.reason(e));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int hint = message.indexOf("Hint: If you want to see a list of allocated tensors");
    String cut = hint < 0 ? message : message.substring(0, hint);
    int newline = cut.indexOf('\n');
    return (newline < 0 ? cut : cut.substring(0, newline)).trim();
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
}
