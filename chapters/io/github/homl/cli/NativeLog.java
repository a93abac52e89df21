package io.github.homl.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Keeps TensorFlow's native log lines off the terminal unless {@code --verbose} asks for them.
 *
 * <p>TensorFlow's C++ runtime writes INFO and WARNING lines to the process's standard error (file
 * descriptor 2) on every run: absl's "All log messages before absl::InitializeLog() is called are
 * written to STDERR", "MLIR V1 optimization pass is not enabled", the SavedModel loader's progress,
 * and on the convolutional GANs Grappler's {@code remapper failed: INVALID_ARGUMENT} (TF's own,
 * harmless: Keras prints it too). {@code TF_CPP_MIN_LOG_LEVEL} hides none of absl's lines. So the
 * filter works one level down: file descriptor 2 becomes a pipe, and a daemon thread copies what
 * arrives to the original standard error, line by line, leaving out TF's INFO and WARNING lines
 * (both of its formats, with their indented continuation lines) and the known-harmless remapper
 * line. Every other line, Java's own messages and TF's real errors among them, passes.
 */
final class NativeLog {

  /** absl's format ({@code I0000 00:00:... 123 file.cc:45] ...}) and TF's own dated format. */
  private static final Pattern INFO_OR_WARNING =
      Pattern.compile(
          "^(?:[IW]\\d{4} \\d\\d:\\d\\d:\\d+\\.\\d+\\s+\\d+ \\S+:\\d+\\]"
              + "|\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+: [IW] )");

  private static final Pattern HARMLESS =
      Pattern.compile(
          "^WARNING: All log messages before absl::InitializeLog\\(\\) is called are written to"
              + " STDERR"
              + "|^E\\d{4} .*meta_optimizer\\.cc:\\d+\\] remapper failed: INVALID_ARGUMENT"
              // the second line of cpu_feature_guard's INFO line
              + "|^To enable the following instructions: .*rebuild TensorFlow with the appropriate"
              + " compiler flags\\.$");

  /** The C library's file-descriptor calls. */
  interface LibC extends Library {
    int pipe(int[] fds);

    int dup(int fd);

    int dup2(int from, int to);

    int close(int fd);
  }

  private static Thread pump;
  private static LibC libc;
  private static int original;
  private static int pipeIn;

  private NativeLog() {}

  /** Whether a line of native standard error is left out when not verbose. */
  static boolean hidden(String line) {
    return INFO_OR_WARNING.matcher(line).find() || HARMLESS.matcher(line).find();
  }

  /**
   * Filters file descriptor 2 for the rest of this process (once; later calls do nothing). Without
   * a C library to call (not Linux, say), standard error stays as it is.
   */
  static synchronized void quiet() {
    if (pump != null) {
      return;
    }
    int[] fds = new int[2];
    try {
      libc = Native.load("c", LibC.class);
      original = libc.dup(2);
      if (original < 0 || libc.pipe(fds) != 0 || libc.dup2(fds[1], 2) < 0) {
        return;
      }
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return; // no libc to call: TensorFlow's lines stay
    }
    try {
      pipeIn = fds[1];
      FileInputStream in = new FileInputStream("/proc/self/fd/" + fds[0]);
      OutputStream out = new FileOutputStream("/proc/self/fd/" + original);
      // Java's own System.err writes to descriptor 2 as well, so it goes through the pipe too
      pump = new Thread(() -> copy(in, out), "native-log-filter");
      pump.setDaemon(true);
      pump.start();
      Runtime.getRuntime().addShutdownHook(new Thread(NativeLog::drain));
    } catch (IOException e) {
      // leave stderr as it is
    }
  }

  private static void copy(FileInputStream in, OutputStream out) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      boolean skipping = false;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        boolean continuation = !line.isEmpty() && Character.isWhitespace(line.charAt(0));
        skipping = hidden(line) || (skipping && continuation);
        if (!skipping) {
          out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
    } catch (IOException e) {
      // the process is ending
    }
  }

  /**
   * At exit: gives file descriptor 2 back to the original standard error and closes the pipe, so
   * the filter reaches the end of what was written and passes the last lines on.
   */
  private static void drain() {
    System.err.flush();
    libc.dup2(original, 2);
    libc.close(pipeIn);
    try {
      pump.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
