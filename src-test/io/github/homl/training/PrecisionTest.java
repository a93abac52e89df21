package io.github.homl.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TFloat32;

/** The CPU a run names, and {@code --precision}: what it asks of the CPU and of the session. */
class PrecisionTest {

  /** An AVX2 AMD EPYC of two cores (a Zen 3): no bfloat16 instructions. */
  static final Cpu ZEN3 =
      Cpu.parse(
          List.of(
              "processor : 0",
              "cpu family : 25",
              "model : 1",
              "model name : AMD EPYC",
              "flags : fpu sse avx fma avx2 bmi2",
              "processor : 1",
              "cpu family : 25",
              "model : 1",
              "model name : AMD EPYC",
              "flags : fpu sse avx fma avx2 bmi2"));

  static final Cpu SAPPHIRE_RAPIDS =
      Cpu.parse(
          List.of(
              "processor : 0",
              "model name : Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz",
              "flags : avx2 fma avx512f avx512_vnni avx512_bf16 amx_tile amx_bf16"));

  static final Cpu ZEN4 =
      Cpu.parse(
          List.of(
              "processor : 0",
              "cpu family : 25",
              "model : 17",
              "model name : AMD EPYC",
              "flags : avx2 fma avx512f avx512_bf16 avx512_vnni"));

  @Test
  void theCpuIsNamedWithTheExtensionsOneDnnChoosesKernelsBy() {
    assertEquals("AMD EPYC (family 25, model 1), 2 cores, AVX2 FMA (no AVX-512)", ZEN3.describe());
    assertEquals(
        "Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz, 1 cores, AVX2 FMA AVX-512 AVX512-BF16"
            + " AVX512-VNNI AMX",
        SAPPHIRE_RAPIDS.describe());
    assertFalse(ZEN3.hasBfloat16());
    assertTrue(ZEN4.hasBfloat16());
    assertTrue(SAPPHIRE_RAPIDS.hasBfloat16());
  }

  @Test
  void bf16IsRefusedWhereTheCpuWouldRunItInSoftware() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Precision.parse("--precision", "bf16", ZEN3));
    assertTrue(e.getMessage().startsWith("--precision bf16 needs a CPU with AVX512-BF16 or AMX"));
    assertTrue(e.getMessage().contains("AMD EPYC (family 25, model 1)"), e.getMessage());
    assertSame(Precision.BF16, Precision.parse("--precision", "BF16", ZEN4));
    assertSame(Precision.BF16, Precision.parse("--precision", "bf16", SAPPHIRE_RAPIDS));
    assertSame(Precision.FLOAT32, Precision.parse("--precision", "float32", ZEN3));
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class, () -> Precision.parse("--precision", "fp16", ZEN4));
    assertEquals("--precision must be float32 or bf16, got 'fp16'", unknown.getMessage());
  }

  @Test
  void bf16TurnsOnTheRewriteAndKeepsTheSessionsOtherOptions() {
    ConfigProto dense = Workspace.DENSE_MODEL_SESSION;
    assertSame(dense, Precision.FLOAT32.apply(dense));
    ConfigProto rewritten = Precision.BF16.apply(dense);
    assertEquals(1, rewritten.getIntraOpParallelismThreads());
    assertEquals(
        RewriterConfig.Toggle.ON,
        rewritten.getGraphOptions().getRewriteOptions().getAutoMixedPrecisionOnednnBfloat16());
  }

  /**
   * On a CPU with bfloat16 instructions the rewrite really runs: a dense layer of float32 inputs
   * gives a float32 tensor rounded as bfloat16 inputs would make it (about 3 significant digits,
   * not float32's 7). Skipped on other CPUs, where {@link Precision#parse} refuses bf16.
   */
  @Test
  void aBf16SessionComputesMatrixProductsInBfloat16() {
    assumeTrue(Cpu.current().hasBfloat16(), "this CPU has neither AVX512-BF16 nor AMX");
    float[] exact = product(Precision.FLOAT32);
    float[] bf16 = product(Precision.BF16);
    double worst = 0;
    for (int i = 0; i < exact.length; i++) {
      worst = Math.max(worst, Math.abs(bf16[i] - exact[i]) / Math.abs(exact[i]));
    }
    assertTrue(worst > 1e-5, "no bfloat16 rounding seen: " + worst);
    assertTrue(worst < 3e-2, "bfloat16 product too far from float32: " + worst);
  }

  /** relu(x · w + 1) for 32 × 64 and 64 × 16 fed values that bfloat16 cannot hold exactly. */
  private static float[] product(Precision precision) {
    float[] x = new float[32 * 64];
    float[] w = new float[64 * 16];
    for (int i = 0; i < x.length; i++) {
      x[i] = 1f + (float) Math.sin(i) / 3f + i * 1e-4f;
    }
    for (int i = 0; i < w.length; i++) {
      w[i] = 1f + (float) Math.cos(i) / 3f;
    }
    try (Workspace ws = Workspace.create(Seeds.of(1), precision);
        TFloat32 xs = TFloat32.tensorOf(StdArrays.ndCopyOf(reshape(x, 32, 64)));
        TFloat32 wt = TFloat32.tensorOf(StdArrays.ndCopyOf(reshape(w, 64, 16)))) {
      Ops tf = ws.tf();
      Placeholder<TFloat32> xp = tf.placeholder(TFloat32.class);
      Placeholder<TFloat32> wp = tf.placeholder(TFloat32.class);
      // a dense layer, relu(x · w + 1): Grappler leaves graphs of fewer than four nodes alone
      Operand<TFloat32> y = tf.nn.relu(tf.math.add(tf.linalg.matMul(xp, wp), tf.constant(1f)));
      try (Result result = ws.session().runner().feed(xp, xs).feed(wp, wt).fetch(y).run()) {
        TFloat32 values = (TFloat32) result.get(0);
        assertEquals(Shape.of(32, 16), values.shape());
        float[] out = new float[32 * 16];
        values.asRawTensor().data().asFloats().read(out);
        return out;
      }
    }
  }

  private static float[][] reshape(float[] flat, int rows, int columns) {
    float[][] matrix = new float[rows][columns];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(flat, r * columns, matrix[r], 0, columns);
    }
    return matrix;
  }
}
