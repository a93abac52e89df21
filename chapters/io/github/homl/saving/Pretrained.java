package io.github.homl.saving;

import io.github.homl.data.AtomicFiles;
import io.github.homl.layers.Layer;
import io.github.homl.layers.Sequential;
import io.github.homl.training.History;
import io.github.homl.training.Workspace;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The trained inference models committed under {@code savedmodels/pretrained/<section>/<model>/}: a
 * SavedModel, the {@code history.csv} of its training and a {@code pretrained.properties} that says
 * which section and model it is, its epochs, seed, date and codings size. {@code run SECTION
 * --pretrained} draws the section's figures from it in seconds; {@code export SECTION
 * --to-pretrained} writes it.
 */
public final class Pretrained {

  /** Where the pretrained models live, relative to the project root. */
  public static final Path ROOT = Path.of("savedmodels", "pretrained");

  private static final String PROPERTIES = "pretrained.properties";
  private static final String HISTORY = "history.csv";

  private Pretrained() {}

  /** The folder of {@code section}'s model {@code model}. */
  public static Path dir(String section, String model) {
    return ROOT.resolve(section).resolve(model);
  }

  /**
   * Opens the pretrained generator {@code model} of {@code section}, checking that it was exported
   * by that section and takes codings of {@code codingsSize}.
   *
   * @throws IllegalArgumentException naming the folder when it is missing, was exported by another
   *     section or model, or its generator does not fit this section's architecture
   */
  public static SavedGenerator generator(String section, String model, int codingsSize) {
    Path dir = checked(section, model);
    SavedGenerator generator = SavedGenerator.open(dir, null);
    if (generator.codingsSize() != codingsSize) {
      generator.close();
      throw new IllegalArgumentException(
          "the pretrained model in "
              + dir
              + " takes "
              + generator.codingsSize()
              + " codings but section "
              + section
              + "'s generator takes "
              + codingsSize
              + ": it was exported from a different architecture; export it again with: export "
              + section
              + " --to-pretrained");
    }
    return generator;
  }

  /**
   * Opens section {@code section}'s pretrained model {@code model}, checking that it was exported
   * by that section; the caller checks its signatures.
   *
   * @throws IllegalArgumentException naming the folder when it is missing or was exported by
   *     another section or model
   */
  public static LoadedModel model(String section, String model) {
    return SavedModels.load(checked(section, model));
  }

  /**
   * Opens the pretrained denoiser {@code model} of {@code section} ({@code [n, h, w, c]} images and
   * time steps to the predicted noise), checking that it was exported by that section.
   *
   * @throws IllegalArgumentException naming the folder when it is missing, was exported by another
   *     section or model, or holds no denoiser signature
   */
  public static SavedDenoiser denoiser(String section, String model) {
    return SavedDenoiser.open(checked(section, model), null);
  }

  /**
   * Sets the variables of {@code layers}, just built in {@code ws}, to the values of section {@code
   * section}'s pretrained model {@code model}, matched by variable name: a notebook builds the
   * model in view of the reader, then fills it with the committed weights instead of training it.
   * The names match when the layers are built as the section builds them, in a fresh workspace (the
   * SavedModel keeps the names of the graph it was exported from).
   *
   * @throws IllegalArgumentException naming the folder when it is missing or belongs to another
   *     section, or when one of the variables is not in it (built differently, or built twice)
   */
  public static void restore(Workspace ws, String section, String model, Layer... layers) {
    Path dir = checked(section, model);
    List<Variable<TFloat32>> variables = variablesOf(layers);
    if (variables.isEmpty()) {
      throw new IllegalArgumentException(
          "the model has no weights yet: apply it to an input once before restoring " + model);
    }
    try {
      ws.restore(variables, dir.resolve("variables").resolve("variables").toString());
    } catch (TensorFlowException e) {
      throw new IllegalArgumentException(
          "cannot restore the pretrained model in "
              + dir
              + " into the model just built (build it as section "
              + section
              + " does, once, in a fresh workspace): "
              + e.getMessage().lines().findFirst().orElse(""),
          e);
    }
    System.out.println(
        "Restored "
            + variables.size()
            + " variables of "
            + model
            + " from "
            + dir.resolve("variables"));
  }

  /** Every variable of {@code layers}, each once, as a {@code Sequential} of them lists them. */
  private static List<Variable<TFloat32>> variablesOf(Layer... layers) {
    Sequential all = Sequential.of(layers);
    List<Variable<TFloat32>> variables = new ArrayList<>(all.trainableVariables());
    variables.addAll(all.nonTrainableVariables());
    return variables;
  }

  /** The training history saved with {@code section}'s model {@code model}. */
  public static History history(String section, String model) {
    Path file = dir(section, model).resolve(HISTORY);
    try {
      return History.readCsv(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes the history and the description of a model just exported to {@code dir(section, model)}
   * by {@code command} (the export's arguments, to be quoted in the description).
   */
  public static void describe(
      String section, String model, History history, long seed, String command) {
    Path dir = dir(section, model);
    history.writeCsv(dir.resolve(HISTORY));
    Properties properties = new Properties();
    properties.setProperty("section", section);
    properties.setProperty("model", model);
    properties.setProperty("epochs", String.valueOf(history.size()));
    properties.setProperty("seed", String.valueOf(seed));
    properties.setProperty("exported", LocalDate.now().toString());
    properties.setProperty("command", command);
    try {
      AtomicFiles.write(
          dir.resolve(PROPERTIES),
          temp -> {
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
              properties.store(out, "a pretrained model of section " + section);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(PROPERTIES), e);
    }
  }

  /** The folder of the model, once checked to belong to this section and model; says it is used. */
  private static Path checked(String section, String model) {
    properties(section, model);
    Path dir = dir(section, model);
    System.out.println("Pretrained: " + dir);
    return dir;
  }

  private static Properties properties(String section, String model) {
    Path file = dir(section, model).resolve(PROPERTIES);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "no pretrained model '"
              + model
              + "' of section "
              + section
              + " in "
              + file.getParent().toAbsolutePath()
              + " (run from the project root, or train it: run "
              + section
              + ", then export "
              + section
              + " --resume --epochs N --to-pretrained)");
    }
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (!section.equals(properties.getProperty("section"))
        || !model.equals(properties.getProperty("model"))) {
      throw new IllegalArgumentException(
          file
              + " describes model '"
              + properties.getProperty("model")
              + "' of section "
              + properties.getProperty("section")
              + ", not '"
              + model
              + "' of "
              + section);
    }
    return properties;
  }
}
