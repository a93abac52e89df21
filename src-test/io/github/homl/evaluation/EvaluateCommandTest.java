package io.github.homl.evaluation;

import static io.github.homl.layers.Activation.SIGMOID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.homl.cli.Main;
import io.github.homl.cli.StandardStreams;
import io.github.homl.data.FashionMnist;
import io.github.homl.data.Npy;
import io.github.homl.data.TensorValue;
import io.github.homl.layers.Dense;
import io.github.homl.layers.Reshape;
import io.github.homl.layers.Sequential;
import io.github.homl.saving.SavedModels;
import io.github.homl.training.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;

/** {@code evaluate} through {@link Main#execute}: clear errors for bad input; the happy paths. */
class EvaluateCommandTest {

  @RegisterExtension final StandardStreams streams = new StandardStreams();

  @TempDir Path dir;

  @Test
  void imagesOfTheWrongSizeAreRejectedWithTheirSize() {
    Path file = dir.resolve("big.npy");
    Npy.write(file, TensorValue.of(new float[4 * 32 * 32], 4, 32, 32));

    int code = Main.execute("evaluate", "--images", file.toString(), "--out", dir.toString());

    assertError(code, "[4, 32, 32]", "28x28");
  }

  @Test
  void aFileThatHoldsNoImagesIsRejectedWithWhatIsAccepted() throws IOException {
    Path file = dir.resolve("notes.txt");
    Files.writeString(file, "these are not images\n");

    int code = Main.execute("evaluate", "--images", file.toString(), "--out", dir.toString());

    assertError(code, "notes.txt is not an image file", "IDX", ".npy");
  }

  @Test
  void aModelWithoutACodingsInputIsRejectedWithItsSignatures() {
    // the evaluator itself is a SavedModel, but its input is images, not codings
    int code =
        Main.execute(
            "evaluate", "--model", Evaluator.DEFAULT_DIR.toString(), "--out", dir.toString());

    assertError(code, "no generator signature", "images: float32 [-1, 28, 28]");
  }

  @Test
  void aMissingModelDirectoryIsRejected() {
    int code = Main.execute("evaluate", "--model", dir.resolve("nothing").toString());

    assertError(code, "nothing", "no such directory");
  }

  @Test
  void imagesInMinusOneToOneAreDetectedRescaledAndScored() {
    assumeFashionMnist();
    Path file = dir.resolve("tanh_samples.npy");
    float[] pixels = FashionMnist.load(null).xTest().take(300).scaled(2, -1).pixels();
    Npy.write(file, TensorValue.of(pixels, 300, 28, 28));

    int code = Main.execute("evaluate", "--images", file.toString(), "--out", dir.toString());

    assertEquals(0, code, streams.stderr());
    String stdout = streams.stdout();
    assertTrue(stdout.contains("assumed pixels in [-1, 1]"), stdout);
    assertTrue(stdout.contains("FID-FMNIST"), stdout);
    assertTrue(Files.isRegularFile(dir.resolve("tanh_samples_scores.json")), stdout);
  }

  @Test
  void aGeneratorSavedModelIsSampledAndScoredToJson() throws IOException {
    assumeFashionMnist();
    Path model = dir.resolve("tiny_generator");
    try (Workspace ws = Workspace.create(1)) {
      Sequential generator = Sequential.of(new Dense(784, SIGMOID), new Reshape(28, 28));
      SavedModels.export(
          ws,
          generator,
          Shape.of(-1, 4),
          model,
          SavedModels.GENERATOR_INPUT,
          SavedModels.GENERATOR_OUTPUT);
    }

    int code =
        Main.execute("evaluate", "--model", model.toString(), "-n", "200", "--out", dir.toString());

    assertEquals(0, code, streams.stderr());
    String json = Files.readString(dir.resolve("tiny_generator_scores.json"));
    assertTrue(json.contains("\"count\": 200") && json.contains("\"fid_fmnist\": "), json);
  }

  private void assertError(int code, String... fragments) {
    String stderr = streams.stderr();
    assertEquals(2, code, "exit code; stderr: " + stderr);
    assertTrue(stderr.startsWith("error: "), stderr);
    for (String fragment : fragments) {
      assertTrue(stderr.contains(fragment), "'" + fragment + "' missing from: " + stderr);
    }
  }

  private static void assumeFashionMnist() {
    assumeTrue(
        Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            || System.getenv("FASHION_MNIST_DIR") != null,
        "Fashion-MNIST is not installed");
  }
}
