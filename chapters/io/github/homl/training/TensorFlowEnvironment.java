package io.github.homl.training;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Locale;

/**
 * The settings TensorFlow reads from the process's environment once, set through the C library's
 * {@code setenv} (which TensorFlow's {@code getenv} reads) before TensorFlow's native library
 * loads: the oneDNN setting is read as it loads, the threads one at the first session. So {@link
 * #prepare} runs at the command line's start and when {@link Workspace} or {@code
 * saving.SavedModels}, the two ways this project's code reaches TensorFlow, is first used. A value
 * already in the environment stays: the user's choice wins.
 *
 * <ul>
 *   <li>{@code TF_OVERRIDE_GLOBAL_THREADPOOL=true}: every session gets the kernel threads its own
 *       options ask for. TensorFlow otherwise sizes one process-wide pool for the threads inside
 *       kernels (intra-op) from the first session, and every later session shares it whatever its
 *       options say. A dense section's one-thread session ({@link Workspace#forDenseModel}) would
 *       then leave every later section of the same JVM (a notebook, {@code bench}, the tests) on
 *       one thread: the DCGAN's step 30% slower, and its losses different from a run on its own,
 *       since the kernels split their sums differently.
 *   <li>{@code TF_ENABLE_ONEDNN_OPTS=1} on x86-64: TensorFlow's oneDNN kernels for convolutions,
 *       matrix products and batch norm, which its Linux builds use by default only on CPUs with
 *       AVX512-VNNI, AVX512-BF16, AVX-VNNI or AMX. On a CPU without them (an AVX2 AMD EPYC, a Zen
 *       3) they make the DCGAN's step about a third faster and the diffusion U-Net's a quarter, and
 *       they are the kernels every AVX-512 machine of this project trained with. {@code
 *       TF_ENABLE_ONEDNN_OPTS=0} keeps TensorFlow's own kernels.
 * </ul>
 */
public final class TensorFlowEnvironment {

  /** The C library's {@code setenv}. */
  interface LibC extends Library {
    int setenv(String name, String value, int overwrite);
  }

  private static boolean done;

  private TensorFlowEnvironment() {}

  /** Before TensorFlow loads: the settings above, where the user set none (once per process). */
  public static synchronized void prepare() {
    if (done) {
      return;
    }
    done = true;
    try {
      LibC libc = Native.load("c", LibC.class);
      libc.setenv("TF_OVERRIDE_GLOBAL_THREADPOOL", "true", 0);
      if (isX86()) {
        libc.setenv("TF_ENABLE_ONEDNN_OPTS", "1", 0);
      }
    } catch (UnsatisfiedLinkError e) {
      // no C library to call (not Linux or macOS): TensorFlow's defaults stay
    }
  }

  /**
   * Which kernels TensorFlow runs in this process, for {@code bench}'s CPU line: "oneDNN kernels
   * on", "oneDNN kernels off (TF_ENABLE_ONEDNN_OPTS=0)", or TensorFlow's default (off x86-64, or
   * for a value TensorFlow does not read as a boolean). Java's view of the environment keeps the
   * user's value; the one {@link #prepare} sets is "1".
   */
  public static String oneDnn() {
    String users = System.getenv("TF_ENABLE_ONEDNN_OPTS");
    if (users == null) {
      return isX86() ? "oneDNN kernels on" : "TensorFlow's default kernels";
    }
    String value = users.strip().toLowerCase(Locale.ROOT);
    String state =
        value.equals("1") || value.equals("true")
            ? "oneDNN kernels on"
            : value.equals("0") || value.equals("false")
                ? "oneDNN kernels off"
                : "TensorFlow's default kernels";
    return state + " (TF_ENABLE_ONEDNN_OPTS=" + users + ")";
  }

  private static boolean isX86() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return arch.equals("amd64") || arch.equals("x86_64");
  }
}
