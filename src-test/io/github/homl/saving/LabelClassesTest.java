package io.github.homl.saving;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.homl.cli.Main;
import io.github.homl.cli.StandardStreams;
import io.github.homl.figures.ImageGrid;
import io.github.homl.training.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.function.BiFunction;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A conditional generator's number of classes is read from its graph: the depth of the label's
 * one-hot encoding (Java, tf_keras) or the rows of its embedding table (Keras 3), through the
 * functions a Keras export calls; a label beyond them is refused before the model runs.
 */
class LabelClassesTest {

  private static final Path FIXTURES = Path.of("savedmodels", "python");

  @RegisterExtension final StandardStreams streams = new StandardStreams();

  @TempDir Path tmp;

  @Test
  void keras3EmbeddingTellsTheRowsOfItsTable() {
    try (SavedGenerator generator =
        SavedGenerator.open(FIXTURES.resolve("keras3_cgan_generator/model"), null)) {
      assertEquals(OptionalInt.of(10), generator.labelCount());
    }
  }

  @Test
  void tfKerasOneHotTellsItsDepth() {
    try (SavedGenerator generator =
        SavedGenerator.open(FIXTURES.resolve("tf_keras_cgan_generator/model"), null)) {
      assertEquals(OptionalInt.of(10), generator.labelCount());
    }
  }

  @Test
  void javaOneHotTellsItsDepthAndALabelBeyondItIsRefused() {
    Path dir =
        conditionalExport((tf, label) -> tf.oneHot(label, tf.constant(7), ones(tf), zeros(tf)), 7);
    try (SavedGenerator generator = SavedGenerator.open(dir, null)) {
      assertEquals(OptionalInt.of(7), generator.labelCount());
      assertEquals(2, generator.generate(2, 1, Map.of(), new int[] {6, 0}).count());
      var error =
          assertThrows(
              IllegalArgumentException.class,
              () -> generator.generate(2, 1, Map.of(), new int[] {1, 7}));
      assertEquals(
          "label 7 is outside the range of the model's label input 'label': it has 7 classes, 0..6",
          error.getMessage());
    }
  }

  @Test
  void javaGatherTellsTheRowsOfTheVariableItReads() {
    Path dir = tmp.resolve("two_inputs");
    try (Workspace ws = Workspace.create(42)) {
      SavedModelsTest.twoInputExport(ws, dir);
    }
    try (LoadedModel model = SavedModels.load(dir)) {
      assertEquals(OptionalInt.of(3), model.indexRange("serving_default", "time"));
    }
  }

  @Test
  void aLabelUsedAsANumberHasNoClasses() {
    Path dir =
        conditionalExport(
            (tf, label) ->
                tf.math.mul(
                    tf.expandDims(tf.dtypes.cast(label, TFloat32.class), tf.constant(1)),
                    tf.ones(tf.constant(new int[] {1, 7}), TFloat32.class)),
            7);
    try (SavedGenerator generator = SavedGenerator.open(dir, null)) {
      assertEquals(OptionalInt.empty(), generator.labelCount());
    }
    Path png = tmp.resolve("rows.png");
    assertEquals(2, Main.execute("generate", "--model", dir.toString(), "--out", png.toString()));
    assertEquals(
        "error: the graph of the model has no one-hot encoding or embedding table for its label "
            + "input 'label', so its number of classes is unknown: give --classes N or --label K\n",
        streams.stderr());
    assertFalse(Files.exists(png), "written without a class count");
    assertEquals(
        0,
        Main.execute(
            "generate", "--model", dir.toString(), "--classes", "3", "--out", png.toString()));
    assertEquals(
        ImageGrid.gridHeight(3, 28),
        assertDoesNotThrow(() -> ImageIO.read(png.toFile())).getHeight());
  }

  /**
   * A Java conditional generator: codings [-1, 3] and label int32 [-1], the label turned into
   * {@code width} features by {@code encode}, concatenated, times a variable, as images [-1, 28,
   * 28].
   */
  private Path conditionalExport(
      BiFunction<Ops, Operand<TInt32>, Operand<TFloat32>> encode, int width) {
    Path dir = tmp.resolve("conditional");
    try (Workspace ws = Workspace.create(42)) {
      Ops tf = ws.tf();
      Placeholder<TFloat32> codings = ws.placeholder(-1, 3);
      Placeholder<TInt32> label = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      float[][] values = new float[3 + width][784];
      Random random = new Random(42);
      for (float[] row : values) {
        for (int j = 0; j < row.length; j++) {
          row[j] = (float) random.nextGaussian();
        }
      }
      Variable<TFloat32> kernel = tf.withInitScope().variable(tf.withInitScope().constant(values));
      Operand<TFloat32> features =
          tf.concat(List.of(codings, encode.apply(tf, label)), tf.constant(1));
      Operand<TFloat32> images =
          tf.reshape(
              tf.linalg.matMul(features, tf.identity(kernel)), tf.constant(new int[] {-1, 28, 28}));
      SavedModels.export(
          ws,
          dir,
          Signature.builder()
              .key("serving_default")
              .input("codings", codings)
              .input("label", label)
              .output("images", images)
              .build());
    }
    return dir;
  }

  private static Operand<TFloat32> ones(Ops tf) {
    return tf.constant(1f);
  }

  private static Operand<TFloat32> zeros(Ops tf) {
    return tf.constant(0f);
  }
}
