package io.github.homl.saving;

import io.github.homl.data.TensorValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Runs named signatures on {@link TensorValue}s: an open SavedModel ({@link LoadedModel}) or the
 * signatures a section is about to export, in its own live session ({@link #of}). Host code written
 * against it (a sampler, say) runs the same on a model just trained and on its SavedModel.
 */
@FunctionalInterface
public interface SignatureCalls {

  /** Runs signature {@code key} on {@code inputs} (by input name); every output by name. */
  Map<String, TensorValue> call(String key, Map<String, TensorValue> inputs);

  /**
   * The {@code signatures} (built in {@code session}'s graph) as calls in that session; an unknown
   * key is an error listing the keys.
   */
  static SignatureCalls of(Session session, List<Signature> signatures) {
    Map<String, Signature> byKey = new LinkedHashMap<>();
    signatures.forEach(signature -> byKey.put(signature.key(), signature));
    return (key, inputs) -> {
      Signature signature = byKey.get(key);
      if (signature == null) {
        throw new IllegalArgumentException(
            "no signature '" + key + "'; there are " + byKey.keySet());
      }
      return run(session, signature, inputs);
    };
  }

  /** One {@code Session.run} of {@code signature}: its inputs fed, every output fetched. */
  static Map<String, TensorValue> run(
      Session session, Signature signature, Map<String, TensorValue> inputs) {
    List<Tensor> fed = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      for (var input : signature.getInputs().entrySet()) {
        TensorValue value = inputs.get(input.getKey());
        if (value == null) {
          throw new IllegalArgumentException(
              "missing input '" + input.getKey() + "' of signature '" + signature.key() + "'");
        }
        Tensor tensor = toTensor(value);
        fed.add(tensor);
        runner.feed(input.getValue().name, tensor);
      }
      List<String> outputNames = new ArrayList<>(signature.getOutputs().keySet());
      outputNames.forEach(name -> runner.fetch(signature.getOutputs().get(name).name));
      try (Result result = runner.run()) {
        Map<String, TensorValue> outputs = new LinkedHashMap<>();
        for (int i = 0; i < outputNames.size(); i++) {
          outputs.put(
              outputNames.get(i),
              fromTensor(
                  result.get(i),
                  "output '" + outputNames.get(i) + "' of signature '" + signature.key() + "'"));
        }
        return outputs;
      }
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  /** A new tensor holding a copy of {@code value}; the caller closes it. */
  private static Tensor toTensor(TensorValue value) {
    Shape shape = Shape.of(value.shape());
    return switch (value.dtype()) {
      case FLOAT32 -> TFloat32.tensorOf(shape, DataBuffers.of(value.floats(), true, false));
      case INT32 -> TInt32.tensorOf(shape, DataBuffers.of(value.ints(), true, false));
      case INT64 -> TInt64.tensorOf(shape, DataBuffers.of(value.longs(), true, false));
    };
  }

  /** A copy of a float32, int32 or int64 tensor; {@code what} names it in other types' errors. */
  private static TensorValue fromTensor(Tensor tensor, String what) {
    long[] dims = tensor.shape().asArray();
    int size = (int) tensor.shape().size();
    if (tensor instanceof TFloat32) {
      float[] values = new float[size];
      tensor.asRawTensor().data().asFloats().read(values);
      return TensorValue.of(values, dims);
    }
    if (tensor instanceof TInt32) {
      int[] values = new int[size];
      tensor.asRawTensor().data().asInts().read(values);
      return TensorValue.ofInts(values, dims);
    }
    if (tensor instanceof TInt64) {
      long[] values = new long[size];
      tensor.asRawTensor().data().asLongs().read(values);
      return TensorValue.ofLongs(values, dims);
    }
    throw new IllegalArgumentException(
        what
            + " is "
            + TensorSpec.dtypeName(tensor.dataType())
            + "; only float32, int32 and int64 values can be read");
  }
}
