package io.github.homl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.homl.chapter17.DiffusionModel;
import io.github.homl.data.AtomicFiles;
import io.github.homl.diffusion.DiffusionUnet;
import io.github.homl.saving.SavedDenoiser;
import io.github.homl.saving.SavedGenerator;
import io.github.homl.saving.SavedModels;
import io.github.homl.training.Workspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The command line under misuse, as a new user meets it: help everywhere, options that cannot
 * apply, two runs on one folder, a bad {@code --out}, broken or unusual SavedModels, TensorFlow's
 * log noise, and the modes of the files written.
 */
class MisuseTest {

  @RegisterExtension final StandardStreams streams = new StandardStreams();

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"list", "run", "generate", "export", "evaluate", "bench", "sample"})
  void everySubcommandTakesHelpAndExitsZero(String command) {
    assertEquals(0, Main.execute(command, "--help"), streams.stderr());
    assertTrue(streams.stdout().contains("Usage: homl17 " + command), streams.stdout());
  }

  @Test
  void helpNamesACommandAndDashVPrintsTheVersions() {
    assertEquals(0, Main.execute("help", "run"), streams.stderr());
    assertTrue(streams.stdout().contains("Usage: homl17 run"), streams.stdout());
    assertEquals(0, Main.execute("-V"), streams.stderr());
    assertTrue(streams.stdout().contains("homl17 "), streams.stdout());
    assertTrue(streams.stdout().contains("TensorFlow runtime 2.18"), streams.stdout());
  }

  @Test
  void aBadValueGivesOneLineAndWhereTheHelpIs() {
    int code = Main.execute("generate", "--model", "x", "--label", "abc");

    List<String> lines = streams.stderr().lines().toList();
    assertEquals(2, code);
    assertEquals(2, lines.size(), streams.stderr());
    assertTrue(lines.get(0).contains("'abc' is not an int"), lines.get(0));
    assertEquals("see 'homl17 generate --help'", lines.get(1));
  }

  @Test
  void pretrainedOnASectionWithoutAModelIsAnErrorNamingThoseWithOne() {
    Optional<Section> without =
        java.util.Arrays.stream(Section.values()).filter(s -> !s.hasPretrained()).findFirst();
    assumeTrue(without.isPresent(), "every section has a pretrained model");

    int code = Main.execute("run", without.get().id(), "--pretrained", "--out", tmp.toString());

    assertEquals(2, code);
    assertTrue(streams.stderr().contains("has no pretrained model"), streams.stderr());
    for (Section s : Section.withPretrained()) {
      assertTrue(streams.stderr().contains(s.id()), streams.stderr());
    }
    assertFalse(streams.stdout().contains("Epoch"), streams.stdout());
  }

  @Test
  void optionsThatPretrainedIgnoresAreRefused() {
    assertEquals(2, Main.execute("run", "gan", "--pretrained", "--epochs", "3"));
    assertTrue(streams.stderr().contains("--epochs has no effect with --pretrained"));
  }

  @Test
  void anUnknownPrecisionIsRefusedBeforeAnythingIsWritten() {
    Path out = tmp.resolve("never");
    assertEquals(
        2, Main.execute("run", "gan", "--quick", "--precision", "fp16", "--out", out.toString()));
    assertEquals(2, Main.execute("bench", "gan", "--precision", "fp16"));
    assertTrue(
        streams.stderr().contains("--precision must be float32 or bf16, got 'fp16'"),
        streams.stderr());
    assertFalse(Files.exists(out));
  }

  @Test
  void aSecondRunOnTheSameOutStopsAtOnceNamingThePid() {
    try (OutputFolder first = OutputFolder.claim("--out", tmp)) {
      int code = Main.execute("run", "stacked", "--quick", "--out", tmp.toString());

      assertEquals(2, code);
      assertTrue(
          streams
              .stderr()
              .contains("is in use by another run (pid " + ProcessHandle.current().pid() + ")"),
          streams.stderr());
      assertFalse(streams.stdout().contains("Epoch"), streams.stdout());
    }
    try (OutputFolder again = OutputFolder.claim("--out", tmp)) {
      assertTrue(Files.isRegularFile(tmp.resolve(OutputFolder.LOCK_FILE)));
    }
  }

  @Test
  void anOutThatIsAFileOrCannotBeCreatedIsRefusedBeforeTraining() throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "x");

    assertEquals(2, Main.execute("run", "stacked", "--quick", "--out", file.toString()));
    assertEquals(
        2, Main.execute("run", "stacked", "--quick", "--out", file.resolve("sub").toString()));

    String stderr = streams.stderr();
    assertTrue(stderr.contains("--out " + file + " is a file, not a folder"), stderr);
    assertTrue(stderr.contains("cannot be created: "), stderr);
    assertFalse(streams.stdout().contains("Epoch"), streams.stdout());
  }

  @Test
  void aSavedModelWithoutItsVariablesIsRefusedAtLoad() throws IOException {
    Path dir = tmp.resolve("model");
    try (Workspace ws = Workspace.create(1)) {
      Ops tf = ws.tf();
      Variable<TFloat32> w = tf.withInitScope().variable(tf.withInitScope().constant(2f));
      Placeholder<TFloat32> x = ws.placeholder(-1, 3);
      Operand<TFloat32> y = tf.math.mul(x, tf.identity(w));
      SavedModels.export(
          ws, dir, Signature.builder().key("serving_default").input("x", x).output("y", y).build());
    }
    AtomicFiles.deleteTree(dir.resolve("variables"));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SavedModels.load(dir).close());

    assertTrue(
        e.getMessage().contains("its graph has variables but it has no variables/"),
        e.getMessage());
  }

  @Test
  void aGeneratorWithInt64CodingsIsDriven() {
    Path dir = tmp.resolve("int_codings");
    try (Workspace ws = Workspace.create(1)) {
      Ops tf = ws.tf();
      Placeholder<TInt64> codings =
          tf.withName("codings").placeholder(TInt64.class, Placeholder.shape(Shape.of(-1, 10)));
      Operand<TFloat32> x = tf.dtypes.cast(codings, TFloat32.class);
      Operand<TFloat32> mean = tf.math.mean(x, tf.constant(1), Mean.keepDims(true));
      Operand<TFloat32> images =
          tf.math.sigmoid(
              tf.tile(
                  tf.reshape(mean, tf.constant(new long[] {-1, 1, 1})),
                  tf.constant(new long[] {1, 28, 28})));
      SavedModels.export(
          ws,
          dir,
          Signature.builder()
              .key("serving_default")
              .input("codings", codings)
              .output("images", images)
              .build());
    }
    try (SavedGenerator generator = SavedGenerator.open(dir, null)) {
      assertEquals(10, generator.codingsSize());
      assertEquals(4, generator.generate(4, 7).count());
    }
  }

  @Test
  void sampleTakesTheModelsTFromItsGraph() {
    Path dir = tmp.resolve("denoiser");
    try (Workspace ws = Workspace.create(1)) {
      DiffusionUnet unet = DiffusionModel.buildDiffusionModel(40, true);
      SavedModels.export(ws, dir, unet.denoiseSignature(ws));
    }
    try (SavedDenoiser denoiser = SavedDenoiser.open(dir, null)) {
      assertEquals(40, denoiser.timeSteps().getAsInt());
    }

    int code =
        Main.execute(
            "sample",
            "--model",
            dir.toString(),
            "--sampler",
            "ddim",
            "--n",
            "2",
            "--out",
            tmp.resolve("s.png").toString());

    assertEquals(0, code, streams.stderr());
    assertTrue(streams.stdout().contains("T = 40, read from the model's time encoding"));
    assertTrue(streams.stdout().contains("T = 40, time int32"), streams.stdout());
  }

  @Test
  void tensorFlowsInfoAndWarningLinesAreHiddenUnlessVerbose() throws Exception {
    Path model = Path.of("savedmodels", "pretrained", "diffusion", "diffusion_model");
    assumeTrue(Files.isDirectory(model), "no pretrained diffusion model");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "sample",
                "--model",
                model.toString(),
                "--sampler",
                "ddim",
                "--steps",
                "2",
                "--n",
                "2",
                "--out",
                tmp.resolve("q.png").toString()));
    String quiet = stderrOf(command);
    command.add("--verbose");
    String verbose = stderrOf(command);

    assertFalse(quiet.contains("absl::InitializeLog"), quiet);
    assertFalse(quiet.contains("I0000"), quiet);
    assertFalse(quiet.contains("Reading SavedModel"), quiet);
    assertTrue(verbose.contains("Reading SavedModel from"), verbose);
  }

  @Test
  void tensorFlowsErrorsPassTheFilterAndItsInfoLinesDoNot() {
    assertTrue(
        NativeLog.hidden(
            "I0000 00:00:1796569310.364138   17836 mlir_graph_optimization_pass.cc:401] MLIR V1"
                + " optimization pass is not enabled"));
    assertTrue(
        NativeLog.hidden(
            "2026-12-06 15:03:22.090161: I tensorflow/cc/saved_model/reader.cc:83] Reading"
                + " SavedModel from: x"));
    assertTrue(
        NativeLog.hidden(
            "E0000 00:00:1796569310.364138   17836 meta_optimizer.cc:966] remapper failed:"
                + " INVALID_ARGUMENT: Mutation::Apply error: fanout 'x' exist for missing node"));
    assertFalse(
        NativeLog.hidden(
            "2026-12-06 15:03:22.090161: E tensorflow/core/framework/op_kernel.cc:1841]"
                + " OpKernel failed"));
    assertFalse(NativeLog.hidden("error: --out x is a file, not a folder"));
  }

  @Test
  void historiesScoresAndCheckpointFilesAreWrittenWithTheFiguresMode() throws IOException {
    Path file = AtomicFiles.write(tmp.resolve("history.csv"), f -> Files.writeString(f, "x"));

    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  private static String stderrOf(List<String> command) throws Exception {
    Process process =
        new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(3, TimeUnit.MINUTES), "the command timed out");
    assertEquals(0, process.exitValue(), stderr);
    return stderr;
  }
}
