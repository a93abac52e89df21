package io.github.homl.training;

import java.util.Locale;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * The arithmetic a section's session trains in ({@code --precision}): the book's float32, or
 * TensorFlow's oneDNN bfloat16 rewrite, an opt-in for speed on CPUs that compute in bfloat16.
 *
 * <p>{@link #BF16} switches on Grappler's {@code auto_mixed_precision_onednn_bfloat16} pass for the
 * section's session: before the graph first runs, TensorFlow converts the ops it lists as safe in
 * bfloat16 (the convolutions and matrix products and their gradients, and the element-wise ops it
 * can carry along) and casts at the edges. Variables and optimizer slots stay float32, so
 * checkpoints and SavedModels are the same as a float32 run's, and the graph this project builds
 * does not change. Where the CPU has no bfloat16 instructions oneDNN falls back to software kernels
 * (the DCGAN's step 14 times slower on a Zen 3), so {@link #parse} refuses it there. Its speed and
 * its effect on losses and scores are in docs/performance.md.
 */
public enum Precision {
  /** float32 throughout: the book's, and the default. */
  FLOAT32("float32"),
  /** bfloat16 where TensorFlow's oneDNN rewrite deems it safe, float32 elsewhere. */
  BF16("bf16");

  private final String id;

  Precision(String id) {
    this.id = id;
  }

  /** Its name on the command line: {@code float32} or {@code bf16}. */
  public String id() {
    return id;
  }

  /**
   * The precision {@code value} names, checked against {@code cpu}.
   *
   * @throws IllegalArgumentException naming {@code option} when the value is neither {@code
   *     float32} nor {@code bf16}, or when it is {@code bf16} and {@code cpu} has neither
   *     AVX512-BF16 nor AMX
   */
  public static Precision parse(String option, String value, Cpu cpu) {
    String wanted = value.strip().toLowerCase(Locale.ROOT);
    for (Precision precision : values()) {
      if (precision.id.equals(wanted)) {
        if (precision == BF16 && !cpu.hasBfloat16()) {
          throw new IllegalArgumentException(
              option
                  + " bf16 needs a CPU with AVX512-BF16 or AMX, and this one has neither ("
                  + cpu.describe()
                  + "): TensorFlow would run bfloat16 in software, many times slower than"
                  + " float32. Leave "
                  + option
                  + " out to train in float32");
        }
        return precision;
      }
    }
    throw new IllegalArgumentException(option + " must be float32 or bf16, got '" + value + "'");
  }

  /** {@code config} with this precision's graph rewrite (float32: {@code config} unchanged). */
  public ConfigProto apply(ConfigProto config) {
    if (this == FLOAT32) {
      return config;
    }
    GraphOptions.Builder graph = config.getGraphOptions().toBuilder();
    graph.getRewriteOptionsBuilder().setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON);
    return config.toBuilder().setGraphOptions(graph).build();
  }
}
