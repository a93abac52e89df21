package io.github.homl.data;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a file so that no reader ever sees half of it: the content goes to a temporary file in the
 * target's directory, which is renamed atomically over the target only once it is complete; on any
 * failure the temporary file is deleted. Downloads, figures and training histories all use it;
 * checkpoints and SavedModels, written as folders, clear their temporary and replaced folders with
 * {@link #deleteTree}.
 */
public final class AtomicFiles {

  /** Writes the complete content of a file at {@code temp}, or throws. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Path temp) throws IOException;
  }

  private AtomicFiles() {}

  /** Writes {@code target} through {@code content}, replacing any previous file; returns it. */
  public static Path write(Path target, Content content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + "-", ".part");
    try {
      content.writeTo(temp);
      shareable(temp);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Gives a file mode {@code rw-r--r--} (a folder {@code rwxr-xr-x}), as a file created by {@code
   * new FileOutputStream} under the usual umask gets: temporary files and folders are created
   * private ({@code rw-------}), and an atomic rename keeps their mode. Does nothing on a file
   * system without POSIX permissions.
   */
  public static void shareable(Path path) throws IOException {
    if (!Files.getFileStore(path).supportsFileAttributeView(PosixFileAttributeView.class)) {
      return;
    }
    Files.setPosixFilePermissions(
        path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
  }

  /**
   * Why a file operation failed, in one line for a message: the operating system's reason and the
   * path where it gives them, else the exception's own first line.
   */
  public static String reason(Throwable e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory (" + e.getMessage() + ")";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied (" + e.getMessage() + ")";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason() + " (" + fs.getFile() + ")";
    }
    String message = e.getMessage();
    return message == null
        ? e.getClass().getSimpleName()
        : message.lines().findFirst().orElse("").trim();
  }

  /** Deletes {@code root} and everything under it; nothing happens if it does not exist. */
  public static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
