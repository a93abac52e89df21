package io.github.homl.saving;

import io.github.homl.data.AtomicFiles;
import io.github.homl.layers.Layer;
import io.github.homl.training.TensorFlowEnvironment;
import io.github.homl.training.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Exports a trained model's inference path as a SavedModel and loads any SavedModel back: the Java
 * stand-in for the notebook's {@code ModelCheckpoint("my_diffusion_model")} and for {@code
 * tf.saved_model.load}.
 *
 * <p>An export is a TF1-style SavedModel (tag {@code serve}) that Python reads with {@code
 * tf.saved_model.load(dir).signatures["serving_default"](codings=...)}. It holds only the ops the
 * signatures need and the variables they read, never the loss, gradients or optimizer slots, and it
 * appears atomically: it is written to a temporary directory beside {@code dir}, then renamed.
 *
 * <p>Generators and decoders use {@code codings} → {@code images} ({@link #GENERATOR_INPUT}, {@link
 * #GENERATOR_OUTPUT}); a model with several inputs (the diffusion model's {@code x_noisy} and
 * {@code time} → {@code noise}) builds its {@link Signature} in the workspace and calls {@link
 * #export(Workspace, Path, Signature...)}.
 */
public final class SavedModels {

  static {
    TensorFlowEnvironment.prepare(); // before TensorFlow loads, when a loaded model comes first
  }

  public static final String GENERATOR_INPUT = "codings";
  public static final String GENERATOR_OUTPUT = "images";

  private static final Pattern UNKNOWN_OP = Pattern.compile("Op type not registered '([^']+)'");
  private static final Pattern UNKNOWN_ATTR =
      Pattern.compile("NodeDef mentions attr '([^']+)' not in Op<name=([^;>]+)");

  private SavedModels() {}

  /**
   * Exports {@code model} in inference mode as {@code serving_default}: a float input {@code
   * inputName} of shape {@code inputShape} (-1 for the batch) → output {@code outputName}.
   *
   * @return {@code dir}
   */
  public static Path export(
      Workspace ws, Layer model, Shape inputShape, Path dir, String inputName, String outputName) {
    return export(
        ws,
        dir,
        inferenceSignature(ws, Signature.DEFAULT_KEY, model, inputShape, inputName, outputName));
  }

  /** A float32 input placeholder named {@code name} (made unique) of shape {@code dims}. */
  public static Placeholder<TFloat32> floatInput(Workspace ws, String name, long... dims) {
    return ws.tf()
        .withName(unique(ws.graph(), name))
        .placeholder(TFloat32.class, Placeholder.shape(Shape.of(dims)));
  }

  /** An int32 input placeholder named {@code name} (made unique) of shape {@code dims}. */
  public static Placeholder<TInt32> intInput(Workspace ws, String name, long... dims) {
    return ws.tf()
        .withName(unique(ws.graph(), name))
        .placeholder(TInt32.class, Placeholder.shape(Shape.of(dims)));
  }

  /**
   * A signature {@code key}: the named {@code inputs} → one output named {@code outputName}, the
   * value {@code output}.
   */
  public static Signature signature(
      Workspace ws,
      String key,
      Map<String, ? extends Operand<?>> inputs,
      String outputName,
      Operand<TFloat32> output) {
    Signature.Builder signature = Signature.builder().key(key);
    inputs.forEach(signature::input);
    return signature.output(outputName, output(ws, outputName, output)).build();
  }

  /** {@code value} under the name {@code name} (made unique): a signature's output. */
  public static Operand<TFloat32> output(Workspace ws, String name, Operand<TFloat32> value) {
    return ws.tf().withName(unique(ws.graph(), name)).identity(value);
  }

  /**
   * An autoencoder's signatures: {@code serving_default} decodes ({@code codings [-1, k]} → {@code
   * images}) and {@code encode} encodes ({@code images [-1, 28, 28]} → {@code codings}), k being
   * the encoder's output size.
   */
  public static List<Signature> autoencoder(Workspace ws, Layer encoder, Layer decoder) {
    Placeholder<TFloat32> images = floatInput(ws, GENERATOR_OUTPUT, -1, 28, 28);
    Operand<TFloat32> codings = output(ws, GENERATOR_INPUT, encoder.apply(ws.inference(), images));
    Signature encode =
        Signature.builder()
            .key("encode")
            .input(GENERATOR_OUTPUT, images)
            .output(GENERATOR_INPUT, codings)
            .build();
    long size = codings.shape().get(1);
    return List.of(
        inferenceSignature(
            ws,
            Signature.DEFAULT_KEY,
            decoder,
            Shape.of(-1, size),
            GENERATOR_INPUT,
            GENERATOR_OUTPUT),
        encode);
  }

  /**
   * Adds the inference path of {@code model} to the workspace graph, with a placeholder named after
   * the input and an identity named after the output, and returns its signature.
   */
  public static Signature inferenceSignature(
      Workspace ws,
      String key,
      Layer model,
      Shape inputShape,
      String inputName,
      String outputName) {
    Ops tf = ws.tf();
    Placeholder<TFloat32> input =
        tf.withName(unique(ws.graph(), inputName))
            .placeholder(TFloat32.class, Placeholder.shape(inputShape));
    Operand<TFloat32> output =
        tf.withName(unique(ws.graph(), outputName)).identity(model.apply(ws.inference(), input));
    return Signature.builder().key(key).input(inputName, input).output(outputName, output).build();
  }

  /**
   * Exports the part of the workspace graph that {@code signatures} need, with the current values
   * of the variables it reads, to {@code dir}. An existing SavedModel in {@code dir} is replaced;
   * any other non-empty directory is left alone and is an error.
   *
   * @return {@code dir}
   */
  public static Path export(Workspace ws, Path dir, Signature... signatures) {
    return export(ws.session(), dir, List.of(signatures));
  }

  /** {@link #export(Workspace, Path, Signature...)} for a bare session and its graph. */
  public static Path export(org.tensorflow.Session session, Path dir, List<Signature> signatures) {
    if (signatures.isEmpty()) {
      throw new IllegalArgumentException("export needs at least one signature");
    }
    Path target = dir.toAbsolutePath().normalize();
    Path temp = null;
    Path scratch = null;
    try {
      refuseToClobber(target);
      Files.createDirectories(target.getParent());
      temp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + "-");
      scratch = Files.createTempDirectory(target.getParent(), ".export-values-");
      Path model = temp.resolve("model");
      InferenceGraph.export(session, signatures, model, scratch);
      replace(model, target, temp);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export a SavedModel to " + dir + ": " + e, e);
    } finally {
      deleteTree(temp);
      deleteTree(scratch);
    }
  }

  /**
   * Opens the SavedModel in {@code dir} (tag {@code serve}), written by Java or by Python.
   *
   * @throws IllegalArgumentException if {@code dir} does not exist, is not a SavedModel, or cannot
   *     be loaded; the message says which
   */
  public static LoadedModel load(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("no SavedModel at " + dir + ": no such directory");
    }
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))
        && !Files.isRegularFile(dir.resolve("saved_model.pbtxt"))) {
      throw new IllegalArgumentException(
          dir
              + " is not a SavedModel: it has no saved_model.pb"
              + " (a Keras .keras/.h5 file must be exported with tf.saved_model.save or "
              + "model.export)");
    }
    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG);
    } catch (TensorFlowException | TFInvalidArgumentException e) {
      throw new IllegalArgumentException(loadError(dir, e.getMessage()), e);
    }
    String missing = missingVariables(dir, bundle.graph());
    if (missing != null) {
      bundle.close();
      throw new IllegalArgumentException(
          "cannot load the SavedModel in "
              + dir
              + ": its graph has variables but "
              + missing
              + " (copy the whole folder, variables/ included)");
    }
    return new LoadedModel(dir, bundle);
  }

  /**
   * What is missing of the variables folder of a model whose graph has variables, or null. Python
   * refuses such a model at load; TensorFlow's C++ loader skips the restore without a word when
   * {@code variables/variables.index} is absent, and the model then fails at its first call with
   * "Could not find variable".
   */
  static String missingVariables(Path dir, Graph graph) {
    boolean hasVariables = false;
    for (java.util.Iterator<org.tensorflow.GraphOperation> it = graph.operations();
        it.hasNext() && !hasVariables; ) {
      String type = it.next().type();
      hasVariables = type.equals("VariableV2") || type.equals("VarHandleOp");
    }
    if (!hasVariables) {
      return null;
    }
    Path variables = dir.resolve("variables");
    if (!Files.isDirectory(variables)) {
      return "it has no variables/ folder";
    }
    if (!Files.isRegularFile(variables.resolve("variables.index"))) {
      return "variables/variables.index is missing";
    }
    try (Stream<Path> files = Files.list(variables)) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      Matcher shard =
          Pattern.compile("variables\\.data-\\d+-of-(\\d+)")
              .matcher(
                  names.stream()
                      .filter(n -> n.startsWith("variables.data-"))
                      .findFirst()
                      .orElse(""));
      if (!shard.matches()) {
        return "variables/ has no variables.data-* file";
      }
      int shards = Integer.parseInt(shard.group(1));
      long present = names.stream().filter(n -> n.startsWith("variables.data-")).count();
      return present < shards
          ? "variables/ holds " + present + " of its " + shards + " variables.data-* files"
          : null;
    } catch (IOException e) {
      return "variables/ cannot be read: " + e.getMessage();
    }
  }

  /**
   * What went wrong when TensorFlow could not load {@code dir}: an op or an op attribute that
   * TensorFlow 2.18 does not know (the model was exported by a newer TensorFlow) is said in words,
   * anything else is TensorFlow's own message.
   */
  static String loadError(Path dir, String tensorflowMessage) {
    String message = String.valueOf(tensorflowMessage);
    String newer =
        ", which TensorFlow 2.18 does not know (TensorFlow Java 1.1.0 runs TensorFlow "
            + "2.18.0): export the model with TensorFlow 2.18 or older (savedmodels/keras/setup.sh "
            + "installs tensorflow-cpu 2.18)";
    String cannot = "cannot load the SavedModel in " + dir;
    Matcher op = UNKNOWN_OP.matcher(message);
    if (op.find()) {
      return cannot + ": it uses the op '" + op.group(1) + "'" + newer;
    }
    Matcher attr = UNKNOWN_ATTR.matcher(message);
    if (attr.find()) {
      return cannot
          + ": it sets the attribute '"
          + attr.group(1)
          + "' of the op '"
          + attr.group(2)
          + "'"
          + newer;
    }
    return cannot + " with tag '" + SavedModelBundle.DEFAULT_TAG + "': " + message;
  }

  /** {@code name}, or {@code name_1}, {@code name_2}, ... when the graph already has that op. */
  private static String unique(Graph graph, String name) {
    String candidate = name;
    for (int i = 1; graph.operation(candidate) != null; i++) {
      candidate = name + "_" + i;
    }
    return candidate;
  }

  private static void refuseToClobber(Path target) throws IOException {
    if (Files.isDirectory(target) && !Files.isRegularFile(target.resolve("saved_model.pb"))) {
      try (Stream<Path> entries = Files.list(target)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException(
              "will not export into "
                  + target
                  + ": it is a non-empty directory that is not a SavedModel");
        }
      }
    } else if (Files.exists(target) && !Files.isDirectory(target)) {
      throw new IllegalArgumentException("will not export to " + target + ": it is a file");
    }
  }

  /** Renames {@code model} to {@code target}; an old target is first moved into {@code temp}. */
  private static void replace(Path model, Path target, Path temp) throws IOException {
    if (Files.exists(target)) {
      Files.move(target, temp.resolve("previous"), StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(model, target, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void deleteTree(Path root) {
    try {
      AtomicFiles.deleteTree(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root + ": " + e.getMessage(), e);
    }
  }
}
