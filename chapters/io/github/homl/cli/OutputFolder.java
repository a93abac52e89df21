package io.github.homl.cli;

import io.github.homl.data.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The {@code --out} folder of a run, checked before any training and held for the run alone: it
 * must be a folder (or creatable as one) and writable, and a lock on {@code .homl17.lock} inside it
 * keeps a second run from writing into the same folder, whose checkpoints and figures the two would
 * otherwise overwrite under each other. The lock is the operating system's ({@link
 * FileChannel#tryLock}): it goes with the process, also when the process is killed.
 */
final class OutputFolder implements AutoCloseable {

  static final String LOCK_FILE = ".homl17.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private OutputFolder(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Checks {@code dir} ({@code option} names it in messages) and locks it for this run.
   *
   * @throws IllegalArgumentException naming the folder and the reason when it is a file, cannot be
   *     created or written, or another run holds it
   */
  static OutputFolder claim(String option, Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException(option + " " + dir + " is a file, not a folder");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          option + " " + dir + " cannot be created: " + AtomicFiles.reason(e), e);
    }
    Path lockFile = dir.resolve(LOCK_FILE);
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              lockFile,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          option + " " + dir + " is not writable: " + AtomicFiles.reason(e), e);
    }
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        lock = null; // this process holds it already (two runs in one JVM)
      }
      if (lock == null) {
        String pid = holder(channel);
        channel.close();
        throw new IllegalArgumentException(
            option
                + " "
                + dir
                + " is in use by another run"
                + (pid.isEmpty() ? "" : " (pid " + pid + ")")
                + ": wait for it, or give another "
                + option);
      }
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
          0);
      return new OutputFolder(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException(
          option + " " + dir + ": cannot lock it: " + AtomicFiles.reason(e), e);
    }
  }

  /** The pid the holder wrote into the lock file, or "" if it cannot be read. */
  private static String holder(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(32);
    channel.read(buffer, 0);
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // the lock's own error is the one to report
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release the lock of the output folder", e);
    }
  }
}
