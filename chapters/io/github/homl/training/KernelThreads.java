package io.github.homl.training;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Gives every TensorFlow session the kernel threads its own options ask for. TensorFlow sizes one
 * process-wide pool for the threads inside kernels (intra-op) from the first session of the
 * process, and every later session shares that pool whatever its options say. A dense section's
 * one-thread session ({@link Workspace#forDenseModel}) would then leave every later section of the
 * same JVM (a notebook, {@code bench}, the tests) on one thread: the DCGAN's step 30% slower, and
 * its losses different from a run on its own, since the kernels split their sums differently.
 * TensorFlow's {@code TF_OVERRIDE_GLOBAL_THREADPOOL}, read once when the first session is made,
 * gives each session a pool of its own instead; this sets it in the process's environment.
 */
public final class KernelThreads {

  /** The C library's {@code setenv}, which TensorFlow's {@code getenv} reads. */
  interface LibC extends Library {
    int setenv(String name, String value, int overwrite);
  }

  private static boolean done;

  private KernelThreads() {}

  /** Before the process's first session: one pool of kernel threads per session. */
  public static synchronized void perSession() {
    if (done) {
      return;
    }
    done = true;
    try {
      LibC libc = Native.load("c", LibC.class);
      libc.setenv("TF_OVERRIDE_GLOBAL_THREADPOOL", "true", 0);
    } catch (UnsatisfiedLinkError e) {
      // no C library to call (not Linux or macOS): sessions share the first session's pool
    }
  }
}
