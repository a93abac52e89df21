package io.github.homl.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The processor a measurement ran on: its model name and the vector extensions oneDNN chooses its
 * kernels by (AVX2, AVX-512 and its bf16 part, AMX), from {@code /proc/cpuinfo}. Speed ratios
 * between Java and Keras differ between processors (the DCGAN's: 0.53 on an AVX2 Zen 3 against
 * Keras as installed, which runs TensorFlow's own kernels there, 0.98 on an AVX-512 Zen 4), so
 * every figure {@code bench} prints names it; and {@link Precision#BF16} runs only where the CPU
 * computes in bfloat16 ({@link #hasBfloat16}). A virtual machine may report only "AMD EPYC"; the
 * family and model numbers then tell the generations apart (an EPYC of family 23 is a Zen or Zen 2;
 * of family 25, model 1 a Zen 3, models 17 and 160 a Zen 4; of family 26 a Zen 5).
 */
public record Cpu(String model, String generation, int cores, List<String> extensions) {

  /** The flags that matter to oneDNN's kernels, in this order, under the names people use. */
  private static final List<String[]> EXTENSIONS =
      List.of(
          new String[] {"avx2", "AVX2"},
          new String[] {"fma", "FMA"},
          new String[] {"avx512f", "AVX-512"},
          new String[] {"avx512_bf16", "AVX512-BF16"},
          new String[] {"avx512_vnni", "AVX512-VNNI"},
          new String[] {"amx_tile", "AMX"});

  /** This machine's processor, or an unknown one where {@code /proc/cpuinfo} cannot be read. */
  public static Cpu current() {
    try {
      return parse(Files.readAllLines(Path.of("/proc/cpuinfo")));
    } catch (IOException e) {
      return new Cpu(
          System.getProperty("os.arch"), "", Runtime.getRuntime().availableProcessors(), List.of());
    }
  }

  public static Cpu parse(List<String> cpuinfo) {
    String model = "unknown CPU";
    String family = "";
    String number = "";
    Set<String> flags = Set.of();
    int cores = 0;
    for (String line : cpuinfo) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (key.equals("processor")) {
        cores++;
      } else if (key.equals("model name")) {
        model = value;
      } else if (key.equals("cpu family")) {
        family = value;
      } else if (key.equals("model")) {
        number = value;
      } else if (key.equals("flags")) {
        flags = Set.of(value.split("\\s+"));
      }
    }
    List<String> found = new ArrayList<>();
    for (String[] extension : EXTENSIONS) {
      if (flags.contains(extension[0])) {
        found.add(extension[1]);
      }
    }
    String generation = family.isEmpty() ? "" : "family " + family + ", model " + number;
    return new Cpu(model, generation, cores, found);
  }

  /** {@code AMD EPYC (family 25, model 1), 2 cores, AVX2 FMA (no AVX-512)}. */
  public String describe() {
    return model
        + (generation.isEmpty() ? "" : " (" + generation + ")")
        + ", "
        + cores
        + " cores, "
        + (extensions.isEmpty() ? "no AVX2" : String.join(" ", extensions))
        + (extensions.contains("AVX-512") ? "" : " (no AVX-512)");
  }

  /**
   * Whether the CPU has bfloat16 instructions oneDNN's kernels use (AVX512-BF16, or AMX, whose CPUs
   * have both). Elsewhere TensorFlow's bfloat16 kernels fall back to software: on an AVX2 Zen 3 the
   * DCGAN's step ran 14 times slower (docs/performance.md).
   */
  public boolean hasBfloat16() {
    return extensions.contains("AVX512-BF16") || extensions.contains("AMX");
  }
}
