package io.github.homl.saving;

import io.github.homl.data.Npy;
import io.github.homl.data.TensorValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Case directories, the exchange format between the two sides: {@code case.json} (signature key and
 * SavedModel directory name), {@code inputs/<name>.npy} and {@code expected/<name>.npy}. Written by
 * {@code savedmodels/keras/make_fixtures.py} and {@code train.py}, and by the Java → Python test;
 * checked by {@code savedmodels/keras/check_cases.py} and by {@link PythonFixturesTest}.
 */
record Cases(Path dir, String signature, String model) {

  private static final Pattern FIELD =
      Pattern.compile("\"(signature|model)\"\\s*:\\s*\"([^\"]*)\"");

  static Cases read(Path dir) {
    try {
      String json = Files.readString(dir.resolve("case.json"));
      Map<String, String> fields = new TreeMap<>();
      Matcher matcher = FIELD.matcher(json);
      while (matcher.find()) {
        fields.put(matcher.group(1), matcher.group(2));
      }
      return new Cases(dir, fields.get("signature"), fields.get("model"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(
      Path dir,
      String signature,
      Map<String, TensorValue> inputs,
      Map<String, TensorValue> expected) {
    write(dir, "model", signature, inputs, expected);
  }

  /** A case whose SavedModel is {@code model}, a path relative to {@code dir}. */
  static void write(
      Path dir,
      String model,
      String signature,
      Map<String, TensorValue> inputs,
      Map<String, TensorValue> expected) {
    try {
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve("case.json"),
          "{\"signature\": \"" + signature + "\", \"model\": \"" + model + "\"}\n");
      inputs.forEach(
          (name, value) -> Npy.write(dir.resolve("inputs").resolve(name + ".npy"), value));
      expected.forEach(
          (name, value) -> Npy.write(dir.resolve("expected").resolve(name + ".npy"), value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path modelDir() {
    return dir.resolve(model);
  }

  Map<String, TensorValue> inputs() {
    return arrays("inputs");
  }

  Map<String, TensorValue> expected() {
    return arrays("expected");
  }

  private Map<String, TensorValue> arrays(String sub) {
    Map<String, TensorValue> arrays = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir.resolve(sub))) {
      files
          .filter(p -> p.toString().endsWith(".npy"))
          .forEach(
              p -> arrays.put(p.getFileName().toString().replaceFirst("\\.npy$", ""), Npy.read(p)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return arrays;
  }
}
