package io.github.homl.saving;

import static io.github.homl.layers.Activation.RELU;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.data.Images;
import io.github.homl.data.TensorValue;
import io.github.homl.data.Vectors;
import io.github.homl.layers.Dense;
import io.github.homl.layers.Flatten;
import io.github.homl.layers.Layer;
import io.github.homl.layers.Reshape;
import io.github.homl.layers.Sequential;
import io.github.homl.training.FitOptions;
import io.github.homl.training.Losses;
import io.github.homl.training.Nadam;
import io.github.homl.training.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Java export and reload: inference path only, named signatures, atomic writes, clear errors. */
class SavedModelsTest {

  @TempDir Path tmp;

  @Test
  void exportedDecoderReturnsWhatTheWorkspaceComputes() {
    float[] codings = gaussian(6 * 10, 1);
    Path dir = tmp.resolve("decoder");
    float[] expected;
    try (Workspace ws = Workspace.create(42)) {
      Sequential decoder = trainedAutoencoderDecoder(ws);
      expected = ws.predict(decoder, new Vectors(codings, 6, 10)).pixels();
      exportGenerator(ws, decoder, 10, dir);
    }
    try (LoadedModel model = SavedModels.load(dir)) {
      TensorValue images = model.predict(TensorValue.of(codings, 6, 10));
      assertArrayEquals(new long[] {6, 28, 28}, images.shape());
      assertArrayEquals(expected, images.floats(), 1e-6f);
    }
  }

  @Test
  void exportHoldsTheDecoderVariablesButNoLossOrOptimizerState() {
    Path dir = tmp.resolve("decoder");
    try (Workspace ws = Workspace.create(42)) {
      exportGenerator(ws, trainedAutoencoderDecoder(ws), 10, dir);
    }
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve")) {
      var nodes = bundle.metaGraphDef().getGraphDef().getNodeList();
      long variables = nodes.stream().filter(n -> n.getOp().equals("VariableV2")).count();
      assertEquals(6, variables, "3 Dense layers: a kernel and a bias each");
      assertTrue(
          nodes.stream()
              .noneMatch(
                  n ->
                      n.getName().startsWith("gradients")
                          || n.getOp().startsWith("Apply")
                          || n.getOp().equals("SquaredDifference")),
          "training ops were exported");
    }
  }

  @Test
  void signatureListsNamesDtypesAndShapes() {
    Path dir = tmp.resolve("decoder");
    try (Workspace ws = Workspace.create(42)) {
      exportGenerator(ws, trainedAutoencoderDecoder(ws), 10, dir);
    }
    try (LoadedModel model = SavedModels.load(dir)) {
      assertEquals(
          "serving_default(codings: float32 [-1, 10]) -> (images: float32 [-1, 28, 28])",
          model.signature("serving_default").toString());
    }
  }

  @Test
  void twoInputModelTakesFloatAndIntInputsByName() {
    Path dir = tmp.resolve("denoiser");
    float[] x = gaussian(3 * 4, 2);
    int[] time = {0, 2, 1};
    try (Workspace ws = Workspace.create(42)) {
      twoInputExport(ws, dir);
    }
    try (LoadedModel model = SavedModels.load(dir)) {
      Map<String, TensorValue> out =
          model.call(
              "serving_default",
              Map.of("x_noisy", TensorValue.of(x, 3, 4), "time", TensorValue.ofInts(time, 3)));
      float[] noise = out.get("noise").floats();
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 4; j++) {
          // noise = 2 x + table[time], table[t][j] = t + j / 10
          assertEquals(2 * x[i * 4 + j] + time[i] + j / 10f, noise[i * 4 + j], 1e-6f);
        }
      }
      assertEquals(
          "serving_default(time: int32 [-1], x_noisy: float32 [-1, 4]) -> "
              + "(noise: float32 [-1, 4])",
          model.signature("serving_default").toString());
    }
  }

  @Test
  void wrongSignatureNameListsTheSignatures() {
    try (LoadedModel model = exportedTwoInputModel()) {
      var error =
          assertThrows(IllegalArgumentException.class, () -> model.call("decode", Map.of()));
      assertTrue(error.getMessage().contains("no signature 'decode'"), error.getMessage());
      assertTrue(
          error.getMessage().contains("serving_default(time: int32 [-1], x_noisy"),
          error.getMessage());
    }
  }

  @Test
  void unknownInputNameListsTheInputs() {
    try (LoadedModel model = exportedTwoInputModel()) {
      var error =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  model.call(
                      "serving_default",
                      Map.of(
                          "x",
                          TensorValue.of(new float[4], 1, 4),
                          "time",
                          TensorValue.ofInts(new int[1], 1))));
      assertEquals(
          "unknown input 'x'; signature 'serving_default' of "
              + model.dir()
              + " accepts: time: int32 [-1], x_noisy: float32 [-1, 4]",
          error.getMessage());
    }
  }

  @Test
  void missingInputIsNamed() {
    try (LoadedModel model = exportedTwoInputModel()) {
      var error =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  model.call(
                      "serving_default", Map.of("x_noisy", TensorValue.of(new float[4], 1, 4))));
      assertTrue(error.getMessage().startsWith("missing input 'time'"), error.getMessage());
    }
  }

  @Test
  void wrongDtypeSaysWhichIsExpected() {
    try (LoadedModel model = exportedTwoInputModel()) {
      var error =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  model.call(
                      "serving_default",
                      Map.of(
                          "x_noisy",
                          TensorValue.of(new float[4], 1, 4),
                          "time",
                          TensorValue.of(new float[1], 1))));
      assertTrue(
          error.getMessage().startsWith("input 'time' must be int32, got float32;"),
          error.getMessage());
    }
  }

  @Test
  void wrongShapeSaysWhichIsExpected() {
    try (LoadedModel model = exportedTwoInputModel()) {
      var error =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  model.call(
                      "serving_default",
                      Map.of(
                          "x_noisy",
                          TensorValue.of(new float[6], 2, 3),
                          "time",
                          TensorValue.ofInts(new int[2], 2))));
      assertTrue(
          error.getMessage().startsWith("input 'x_noisy' must have shape [-1, 4], got [2, 3];"),
          error.getMessage());
    }
  }

  @Test
  void missingDirectoryIsAClearError() {
    var error =
        assertThrows(
            IllegalArgumentException.class, () -> SavedModels.load(tmp.resolve("nowhere")));
    assertEquals(
        "no SavedModel at " + tmp.resolve("nowhere") + ": no such directory", error.getMessage());
  }

  @Test
  void directoryWithoutSavedModelIsAClearError() throws IOException {
    Files.writeString(tmp.resolve("notes.txt"), "not a model");
    var error = assertThrows(IllegalArgumentException.class, () -> SavedModels.load(tmp));
    assertTrue(
        error.getMessage().startsWith(tmp + " is not a SavedModel: it has no " + "saved_model.pb"),
        error.getMessage());
  }

  @Test
  void exportReplacesAnOlderSavedModelAndLeavesNoTemporaryFiles() throws IOException {
    Path dir = tmp.resolve("model");
    try (Workspace ws = Workspace.create(42)) {
      twoInputExport(ws, dir);
      twoInputExport(ws, dir);
    }
    try (var entries = Files.list(tmp)) {
      assertEquals(List.of(dir), entries.toList());
    }
    try (LoadedModel model = SavedModels.load(dir)) {
      assertEquals(1, model.signatures().size());
    }
  }

  @Test
  void exportRefusesToOverwriteADirectoryThatIsNotASavedModel() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("photos"));
    Files.writeString(dir.resolve("cat.png"), "meow");
    try (Workspace ws = Workspace.create(42)) {
      var error = assertThrows(IllegalArgumentException.class, () -> twoInputExport(ws, dir));
      assertTrue(error.getMessage().contains("not a SavedModel"), error.getMessage());
    }
    assertTrue(Files.exists(dir.resolve("cat.png")));
  }

  @Test
  void exportRejectsAPlaceholderThatIsNotASignatureInput() {
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> hidden = ws.placeholder(-1, 4);
      Placeholder<TFloat32> x = ws.placeholder(-1, 4);
      Signature signature =
          Signature.builder().input("x", x).output("y", ws.tf().math.add(x, hidden)).build();
      var error =
          assertThrows(
              IllegalArgumentException.class,
              () -> SavedModels.export(ws, tmp.resolve("m"), signature));
      assertTrue(error.getMessage().contains("not a signature input"), error.getMessage());
    }
    assertFalse(Files.exists(tmp.resolve("m")));
  }

  /** The VAE decoder's stack, trained one epoch inside an autoencoder (with Nadam slots). */
  /** A generator or decoder, {@code codings [-1, codingsSize]} → {@code images}. */
  static Path exportGenerator(Workspace ws, Layer generator, long codingsSize, Path dir) {
    return SavedModels.export(
        ws,
        generator,
        Shape.of(-1, codingsSize),
        dir,
        SavedModels.GENERATOR_INPUT,
        SavedModels.GENERATOR_OUTPUT);
  }

  static Sequential trainedAutoencoderDecoder(Workspace ws) {
    Sequential encoder = Sequential.of(new Flatten(), new Dense(100, RELU), new Dense(10));
    Sequential decoder =
        Sequential.of(
            new Dense(100, RELU), new Dense(150, RELU), new Dense(28 * 28), new Reshape(28, 28));
    Images images = new Images(gaussian(64 * 28 * 28, 3), 64, 28, 28);
    ws.compile(Sequential.of(encoder, decoder), Losses.MSE, Nadam::new)
        .fit(images, images, 1, FitOptions.defaults().validation(images, images));
    return decoder;
  }

  /** noise = 2 · x_noisy + table[time], with a variable table[t][j] = t + j / 10. */
  static void twoInputExport(Workspace ws, Path dir) {
    Ops tf = ws.tf();
    float[][] table = new float[3][4];
    for (int t = 0; t < 3; t++) {
      for (int j = 0; j < 4; j++) {
        table[t][j] = t + j / 10f;
      }
    }
    Variable<TFloat32> weights = tf.withInitScope().variable(tf.withInitScope().constant(table));
    Placeholder<TFloat32> xNoisy = ws.placeholder(-1, 4);
    Placeholder<TInt32> time = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    var noise =
        tf.math.add(
            tf.math.mul(xNoisy, tf.constant(2f)),
            tf.gather(tf.identity(weights), time, tf.constant(0)));
    SavedModels.export(
        ws,
        dir,
        Signature.builder()
            .key("serving_default")
            .input("x_noisy", xNoisy)
            .input("time", time)
            .output("noise", noise)
            .build());
  }

  private LoadedModel exportedTwoInputModel() {
    Path dir = tmp.resolve("two-inputs");
    try (Workspace ws = Workspace.create(42)) {
      twoInputExport(ws, dir);
    }
    return SavedModels.load(dir);
  }

  static float[] gaussian(int n, long seed) {
    Random random = new Random(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }
}
