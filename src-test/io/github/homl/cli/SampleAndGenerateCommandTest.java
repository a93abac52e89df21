package io.github.homl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.data.Npy;
import io.github.homl.data.TensorValue;
import io.github.homl.figures.ImageGrid;
import io.github.homl.saving.SavedModels;
import io.github.homl.training.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
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
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * {@code sample} on any denoiser and {@code generate} on conditional and multi-input generators,
 * with the committed Keras 3 and tf_keras fixtures; and every bad input gives one clear message,
 * exit code 2 and no file.
 */
class SampleAndGenerateCommandTest {

  @RegisterExtension final StandardStreams streams = new StandardStreams();

  static final Path FIXTURES = Path.of("savedmodels", "python");
  static final Path DENOISER = FIXTURES.resolve("keras3_denoiser");
  static final Path CGAN = FIXTURES.resolve("keras3_cgan_generator");

  @TempDir Path tmp;

  @Test
  void sampleDdpmAndDdimOnTheKeras3DenoiserGiveThePythonReferenceImages() throws IOException {
    for (String sampler : new String[] {"ddpm", "ddim"}) {
      Path png = tmp.resolve(sampler + ".png");
      Path samples = tmp.resolve(sampler + ".npy");
      assertEquals(
          0,
          Main.execute(
              "sample",
              "--model",
              DENOISER.resolve("model").toString(),
              "--sampler",
              sampler,
              "--T",
              "30",
              "--steps",
              sampler.equals("ddim") ? "10" : "29",
              "--noise",
              DENOISER.resolve("reference/noise.npy").toString(),
              "--out",
              png.toString(),
              "--samples",
              samples.toString()));
      TensorValue want = Npy.read(DENOISER.resolve("reference/" + sampler + "_samples.npy"));
      TensorValue got = Npy.read(samples);
      assertArrayEquals(want.shape(), got.shape());
      assertArrayEquals(want.floats(), got.floats(), 1e-5f, sampler);
      assertEquals(ImageGrid.gridWidth(4, 8), ImageIO.read(png.toFile()).getWidth());
    }
  }

  @Test
  void sampleScheduleLinearRunsTheDdpmLinearScheduleAndCosineIsTheDefault() throws IOException {
    java.util.Map<String, float[]> images = new java.util.HashMap<>();
    for (String schedule : new String[] {"default", "cosine", "linear"}) {
      Path samples = tmp.resolve(schedule + ".npy");
      List<String> args = new ArrayList<>(List.of("--samples", samples.toString()));
      if (!schedule.equals("default")) {
        args.addAll(List.of("--schedule", schedule));
      }
      String[] more = args.toArray(new String[0]);
      assertEquals(
          0,
          Main.execute(ddim10(DENOISER.resolve("reference/noise.npy"), schedule + ".png", more)),
          streams.stderr());
      images.put(schedule, Npy.read(samples).floats());
    }
    assertArrayEquals(images.get("default"), images.get("cosine"));
    assertFalse(java.util.Arrays.equals(images.get("cosine"), images.get("linear")));
    assertTrue(streams.stdout().contains("(linear schedule, T = 30,"), streams.stdout());

    assertEquals(
        2,
        Main.execute(
            "sample", "--model", DENOISER.resolve("model").toString(), "--schedule", "sigmoid"));
    assertTrue(
        streams.stderr().contains("--schedule must be cosine or linear, got 'sigmoid'"),
        streams.stderr());
  }

  @Test
  void sampleRunsTheNotebookUnetAtTheBooksT() throws IOException {
    Path png = tmp.resolve("unet.png");
    assertEquals(
        0,
        Main.execute(
            "sample",
            "--model",
            FIXTURES.resolve("notebook_unet/model").toString(),
            "--sampler",
            "ddim",
            "--steps",
            "3",
            "--n",
            "2",
            "--out",
            png.toString()));
    assertEquals(ImageGrid.gridWidth(2, 28), ImageIO.read(png.toFile()).getWidth());
  }

  /** A 4×4 denoiser with an int64 time input: noise = 0.9 x + 1e-4 t. */
  private Path int64Denoiser() {
    Path model = tmp.resolve("int64_denoiser");
    try (Workspace ws = Workspace.create(42)) {
      Ops tf = ws.tf();
      Placeholder<TFloat32> x =
          tf.withName("x_noisy")
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4, 4, 1)));
      Placeholder<TInt64> time =
          tf.withName("time").placeholder(TInt64.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> t =
          tf.reshape(
              tf.dtypes.cast(time, TFloat32.class),
              tf.constant(new int[] {-1, 1, 1, 1})); // [n, 1, 1, 1]
      Operand<TFloat32> noise =
          tf.withName("noise")
              .identity(
                  tf.math.add(
                      tf.math.mul(x, tf.constant(0.9f)), tf.math.mul(t, tf.constant(1e-4f))));
      SavedModels.export(
          ws,
          model,
          Signature.builder()
              .key(Signature.DEFAULT_KEY)
              .input("x_noisy", x)
              .input("time", time)
              .output("noise", noise)
              .build());
    }
    return model;
  }

  /** {@code sample} DDIM in 5 steps (T = 50) of {@code n} images to {@code tmp/<name>.png/.npy}. */
  private String ddimOfTheInt64Denoiser(Path model, int n, String name) {
    return stdoutOf(
        0,
        "sample",
        "--model",
        model.toString(),
        "--sampler",
        "ddim",
        "--T",
        "50",
        "--steps",
        "5",
        "--n",
        String.valueOf(n),
        "--out",
        tmp.resolve(name + ".png").toString(),
        "--samples",
        tmp.resolve(name + ".npy").toString());
  }

  @Test
  void sampleReadsAnInt64TimeInputFromTheSignature() throws IOException {
    Path model = int64Denoiser();
    String out = ddimOfTheInt64Denoiser(model, 3, "s");
    assertTrue(out.contains("time int64"), out);
    assertArrayEquals(new long[] {3, 4, 4}, Npy.read(tmp.resolve("s.npy")).shape());
  }

  @Test
  void manySamplesAreDrawn500AtATimeFromOneSeededSequence() throws IOException {
    Path model = int64Denoiser();
    Map<Integer, float[]> samples = new HashMap<>();
    for (int n : new int[] {500, 1001}) {
      ddimOfTheInt64Denoiser(model, n, "s" + n);
      TensorValue value = Npy.read(tmp.resolve("s" + n + ".npy"));
      assertArrayEquals(new long[] {n, 4, 4}, value.shape());
      samples.put(n, value.floats());
    }

    // the first batch of the batched run is the 500-image run: the same seeded noise, in order
    assertArrayEquals(samples.get(500), Arrays.copyOf(samples.get(1001), 500 * 16));
  }

  @Test
  void conditionalGeneratorDrawsTheRequestedClass() throws IOException {
    Path png = tmp.resolve("class3.png");
    assertEquals(
        0,
        Main.execute(
            "generate",
            "--model",
            CGAN.resolve("model").toString(),
            "--label",
            "3",
            "--n",
            "5",
            "--out",
            png.toString()));
    assertEquals(ImageGrid.gridWidth(5, 28), ImageIO.read(png.toFile()).getWidth());
  }

  /** The number of classes comes from the graph: an Embedding (Keras 3) or a one-hot (tf_keras). */
  @ParameterizedTest
  @ValueSource(strings = {"keras3_cgan_generator", "tf_keras_cgan_generator"})
  void conditionalGeneratorWithoutALabelDrawsOneRowPerClass(String fixture) throws IOException {
    Path png = tmp.resolve("classes.png");
    Path samples = tmp.resolve("classes.npy");
    assertEquals(
        0,
        Main.execute(
            "generate",
            "--model",
            FIXTURES.resolve(fixture).resolve("model").toString(),
            "--cols",
            "4",
            "--out",
            png.toString(),
            "--samples",
            samples.toString()));
    assertEquals(ImageGrid.gridHeight(10, 28), ImageIO.read(png.toFile()).getHeight());
    assertEquals(ImageGrid.gridWidth(4, 28), ImageIO.read(png.toFile()).getWidth());
    assertArrayEquals(new long[] {40, 28, 28}, Npy.read(samples).shape());
  }

  @Test
  void everyInputFromFilesGivesPythonsOutputs() {
    Path samples = tmp.resolve("cgan.npy");
    assertEquals(
        0,
        Main.execute(
            "generate",
            "--model",
            CGAN.resolve("model").toString(),
            "--input",
            "z=" + CGAN.resolve("inputs/z.npy"),
            "--input",
            "label=" + CGAN.resolve("inputs/label.npy"),
            "--out",
            tmp.resolve("cgan.png").toString(),
            "--samples",
            samples.toString()));
    assertArrayEquals(
        Npy.read(CGAN.resolve("expected/output_0.npy")).floats(),
        Npy.read(samples).floats(),
        1e-5f);
  }

  @Test
  void wrongInputNameIsRefused() {
    assertGenerateFails(
        "error: unknown input 'w': signature 'serving_default' of "
            + CGAN.resolve("model")
            + " accepts [label: int32 [-1, 1], z: float32 [-1, 10]]",
        "--input",
        "w=" + CGAN.resolve("inputs/z.npy"));
  }

  @Test
  void wrongInputDtypeIsRefused() {
    assertGenerateFails(
        "error: input 'label' must be int32, got float32 (label: int32 [-1, 1])",
        "--input",
        "label=" + CGAN.resolve("inputs/z.npy"));
  }

  @Test
  void wrongInputRankIsRefused() {
    Path file = tmp.resolve("z_rank1.npy");
    Npy.write(file, TensorValue.of(new float[10], 10));
    assertGenerateFails(
        "error: input 'z' must have shape [-1, 10], got [10] (rank 1 instead " + "of 2)",
        "--input",
        "z=" + file,
        "--label",
        "1");
  }

  @Test
  void wrongInputShapeIsRefused() {
    Path file = tmp.resolve("z_7.npy");
    Npy.write(file, TensorValue.of(new float[14], 2, 7));
    assertGenerateFails(
        "error: input 'z' must have shape [-1, 10], got [2, 7]",
        "--input",
        "z=" + file,
        "--label",
        "1");
  }

  @Test
  void labelOutsideTheModelsClassesIsRefused() {
    assertGenerateFails(
        "error: label 12 is outside the range of the model's label input "
            + "'label': it has 10 classes, 0..9",
        "--label",
        "12");
  }

  @Test
  void aDenoiserIsNotAGenerator() {
    String err =
        failure(
            "generate",
            "--model",
            DENOISER.resolve("model").toString(),
            "--out",
            tmp.resolve("x.png").toString());
    assertTrue(
        err.startsWith(
            "error: no generator signature in "
                + DENOISER.resolve("model")
                + " (choose one with --signature); a generator signature has one float32 input"),
        err);
    assertNothingWritten();
  }

  @Test
  void aGeneratorIsNotADenoiser() {
    Path model = FIXTURES.resolve("keras3_dense_decoder/model");
    String err =
        failure("sample", "--model", model.toString(), "--out", tmp.resolve("x.png").toString());
    assertTrue(
        err.startsWith(
            "error: no denoiser signature in "
                + model
                + " (choose one with "
                + "--signature); a denoiser signature has two inputs, a float32 image [-1, h, "
                + "w, c] and "
                + "an int32 or int64 time step [-1]"),
        err);
    assertTrue(
        err.contains("serving_default(codings: float32 [-1, 4]) -> (output_0: float32"), err);
    assertNothingWritten();
  }

  @Test
  void aTimeStepBeyondTheModelsTIsRefused() {
    String err =
        failure(
            "sample",
            "--model",
            FIXTURES.resolve("notebook_unet/model").toString(),
            "--T",
            "5000",
            "--sampler",
            "ddim",
            "--steps",
            "1",
            "--n",
            "1",
            "--out",
            tmp.resolve("x.png").toString());
    assertEquals(
        "error: time step 4999 is outside the range of the model's time input 'time', "
            + "0..4000: its T is 4000; give that with --T\n",
        err);
    assertNothingWritten();
  }

  @Test
  void noiseOfTheWrongShapeIsRefused() {
    Path noise = tmp.resolve("noise.npy");
    Npy.write(noise, TensorValue.of(new float[2 * 28 * 28], 1, 2, 28, 28, 1));
    String err =
        failure(
            "sample",
            "--model",
            DENOISER.resolve("model").toString(),
            "--noise",
            noise.toString(),
            "--T",
            "30",
            "--out",
            tmp.resolve("x.png").toString());
    assertEquals(
        "error: --noise "
            + noise
            + " holds float32 [1, 2, 28, 28, 1]; the denoiser's "
            + "images need float32 [k, n, 8, 8, 1]\n",
        err);
  }

  @Test
  void tooFewNoiseSlabsForDdpmAreRefused() {
    Path noise = tmp.resolve("noise.npy");
    Npy.write(noise, TensorValue.of(new float[3 * 64], 3, 1, 8, 8, 1));
    String err =
        failure(
            "sample",
            "--model",
            DENOISER.resolve("model").toString(),
            "--noise",
            noise.toString(),
            "--T",
            "30",
            "--out",
            tmp.resolve("x.png").toString());
    assertEquals(
        "error: --noise "
            + noise
            + " holds 3 slabs; ddpm with T = 30 needs 29 (x_T, "
            + "then z for t = T - 1 .. 2)\n",
        err);
  }

  @Test
  void ddimWithEtaTakesAZPerStepFromTheNoiseFileAndRefusesTooFew() {
    Path noise = DENOISER.resolve("reference/noise.npy"); // 29 slabs
    Path samples = tmp.resolve("eta.npy");
    assertEquals(
        0,
        Main.execute(ddim10(noise, "eta.png", "--eta", "1", "--samples", samples.toString())),
        streams.stderr());
    assertTrue(streams.stdout().contains("ddim (eta = 1.0) with 10 denoiser calls"));
    float[] deterministic = Npy.read(DENOISER.resolve("reference/ddim_samples.npy")).floats();
    assertFalse(Arrays.equals(deterministic, Npy.read(samples).floats()), "eta = 1 adds noise");

    Path two = tmp.resolve("two.npy");
    Npy.write(two, TensorValue.of(new float[2 * 64], 2, 1, 8, 8, 1));
    assertEquals(
        "error: --noise "
            + two
            + " holds 2 slabs; ddim with T = 30 needs 10 (x_T, then z for each step but the"
            + " last)\n",
        failure(ddim10(two, "x.png", "--eta", "0.5")));
    assertNothingWritten();
  }

  /** {@code sample} of the Keras 3 denoiser: DDIM, T = 30, 10 steps from {@code noise}, + more. */
  private String[] ddim10(Path noise, String png, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "sample",
                "--model",
                DENOISER.resolve("model").toString(),
                "--sampler",
                "ddim",
                "--T",
                "30",
                "--steps",
                "10",
                "--noise",
                noise.toString(),
                "--out",
                tmp.resolve(png).toString()));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  @Test
  void etaOutsideZeroToOneOrWithDdpmIsRefused() {
    String model = DENOISER.resolve("model").toString();
    assertEquals(
        "error: --eta must be between 0 and 1, got 1.5\n",
        failure("sample", "--model", model, "--sampler", "ddim", "--eta", "1.5"));
    assertEquals(
        "error: --eta is DDIM's; DDPM's steps add their noise already (use --sampler ddim)\n",
        failure("sample", "--model", model, "--eta", "1"));
  }

  @Test
  void aSavedModelWithAnOpNewerThanTf218IsRefusedNamingTheOp() throws IOException {
    Path model = copyOf(FIXTURES.resolve("keras3_dense_decoder/model"), tmp.resolve("future"));
    Path pb = model.resolve("saved_model.pb");
    SavedModel saved = SavedModel.parseFrom(Files.readAllBytes(pb));
    MetaGraphDef meta = saved.getMetaGraphs(0);
    GraphDef.Builder graph = meta.getGraphDef().toBuilder();
    for (int i = 0; i < graph.getNodeCount(); i++) {
      NodeDef node = graph.getNode(i);
      if (node.getOp().equals("StatefulPartitionedCall")) {
        graph.setNode(i, node.toBuilder().setOp("FutureMatMulV9")); // an op TF 2.18 lacks
        break;
      }
    }
    Files.write(
        pb,
        saved.toBuilder()
            .setMetaGraphs(0, meta.toBuilder().setGraphDef(graph))
            .build()
            .toByteArray());
    for (String command : new String[] {"generate", "sample"}) {
      String err =
          failure(command, "--model", model.toString(), "--out", tmp.resolve("x.png").toString());
      assertEquals(
          "error: cannot load the SavedModel in "
              + model
              + ": it uses the op "
              + "'FutureMatMulV9', which TensorFlow 2.18 does not know (TensorFlow Java 1.1.0 runs "
              + "TensorFlow 2.18.0): export the model with TensorFlow 2.18 or older "
              + "(savedmodels/keras/setup.sh installs tensorflow-cpu 2.18)\n",
          err);
    }
    assertNothingWritten();
  }

  private void assertGenerateFails(String message, String... options) {
    String[] args =
        Stream.concat(
                Stream.of(
                    "generate",
                    "--model",
                    CGAN.resolve("model").toString(),
                    "--out",
                    tmp.resolve("x.png").toString(),
                    "--samples",
                    tmp.resolve("x.npy").toString()),
                Stream.of(options))
            .toArray(String[]::new);
    assertEquals(message + "\n", failure(args));
    assertNothingWritten();
  }

  private void assertNothingWritten() {
    assertFalse(Files.exists(tmp.resolve("x.png")), "x.png was written");
    assertFalse(Files.exists(tmp.resolve("x.npy")), "x.npy was written");
  }

  private static Path copyOf(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
    return to;
  }

  /** Runs the CLI, expects exit code 2, and returns what it printed on stderr. */
  private String failure(String... args) {
    int before = streams.stderr().length();
    assertEquals(2, Main.execute(args));
    return streams.stderr().substring(before);
  }

  /** Runs the CLI, expects exit code {@code code}, and returns what it printed on stdout. */
  private String stdoutOf(int code, String... args) {
    int before = streams.stdout().length();
    assertEquals(code, Main.execute(args));
    return streams.stdout().substring(before);
  }
}
