package io.github.homl.saving;

import io.github.homl.data.TensorValue;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.Signature.TensorDescription;

/**
 * An open SavedModel, exported by Java or by Python/Keras: it lists its signatures and calls one by
 * name on {@link TensorValue}s. Every call checks the inputs first, so a wrong signature, input
 * name, dtype or shape is an {@link IllegalArgumentException} that says what the model accepts,
 * never an error from inside TensorFlow. Close it to free the graph and session.
 *
 * @see SavedModels#load(Path)
 */
public final class LoadedModel implements SignatureCalls, AutoCloseable {

  private final Path dir;
  private final SavedModelBundle bundle;
  private final Map<String, Signature> signatures = new TreeMap<>();
  private final Map<String, SignatureInfo> infos = new TreeMap<>();

  LoadedModel(Path dir, SavedModelBundle bundle) {
    this.dir = dir;
    this.bundle = bundle;
    for (Signature signature : bundle.signatures()) {
      signatures.put(signature.key(), signature);
      infos.put(
          signature.key(),
          new SignatureInfo(
              signature.key(), specs(signature.getInputs()), specs(signature.getOutputs())));
    }
  }

  public Path dir() {
    return dir;
  }

  /** Every signature, sorted by key. */
  public List<SignatureInfo> signatures() {
    return List.copyOf(infos.values());
  }

  /** The signature called {@code key}, or an error listing the model's signatures. */
  public SignatureInfo signature(String key) {
    SignatureInfo info = infos.get(key);
    if (info == null) {
      throw new IllegalArgumentException(
          "no signature '" + key + "' in the SavedModel " + dir + "; it has:\n" + describe());
    }
    return info;
  }

  /** One line per signature, as {@link SignatureInfo#toString()} writes it. */
  public String describe() {
    return infos.values().stream().map(info -> "  " + info).collect(Collectors.joining("\n"));
  }

  /**
   * Runs signature {@code key} on {@code inputs} (by input name) and returns every output by name.
   *
   * @throws IllegalArgumentException if the signature does not exist, an input is missing, unknown,
   *     or of the wrong dtype or shape; the message lists what the signature accepts
   */
  @Override
  public Map<String, TensorValue> call(String key, Map<String, TensorValue> inputs) {
    SignatureInfo info = signature(key);
    check(info, inputs);
    return SignatureCalls.run(bundle.session(), signatures.get(key), inputs);
  }

  /**
   * Runs {@code serving_default}, which must have exactly one input and one output, on {@code
   * input}: {@code model.predict(x)}.
   */
  public TensorValue predict(TensorValue input) {
    SignatureInfo info = signature(Signature.DEFAULT_KEY);
    if (info.inputs().size() != 1 || info.outputs().size() != 1) {
      throw new IllegalArgumentException(
          "predict needs a serving_default with one input and one "
              + "output; use call(key, inputs) for "
              + info);
    }
    return call(info.key(), Map.of(info.inputs().get(0).name(), input)).values().iterator().next();
  }

  /**
   * How many values the integer input {@code input} of signature {@code key} can take, as the graph
   * tells it (see {@link IndexRange}), or empty.
   */
  OptionalInt indexRange(String key, String input) {
    signature(key);
    TensorDescription description = signatures.get(key).getInputs().get(input);
    if (description == null) {
      throw new IllegalArgumentException("signature '" + key + "' has no input '" + input + "'");
    }
    return IndexRange.of(bundle.metaGraphDef().getGraphDef(), description.name);
  }

  private void check(SignatureInfo info, Map<String, TensorValue> inputs) {
    String accepts =
        "; signature '"
            + info.key()
            + "' of "
            + dir
            + " accepts: "
            + info.inputs().stream().map(TensorSpec::toString).collect(Collectors.joining(", "));
    for (String name : inputs.keySet()) {
      if (info.input(name) == null) {
        throw new IllegalArgumentException("unknown input '" + name + "'" + accepts);
      }
    }
    for (TensorSpec spec : info.inputs()) {
      TensorValue value = inputs.get(spec.name());
      if (value == null) {
        throw new IllegalArgumentException("missing input '" + spec.name() + "'" + accepts);
      }
      spec.checkValue(value, accepts, accepts);
    }
  }

  private static List<TensorSpec> specs(Map<String, TensorDescription> descriptions) {
    return descriptions.entrySet().stream()
        .map(
            e ->
                new TensorSpec(
                    e.getKey(), TensorSpec.dtypeName(e.getValue().dataType), e.getValue().shape))
        .sorted(Comparator.comparing(TensorSpec::name))
        .toList();
  }

  @Override
  public void close() {
    bundle.close();
  }
}
