"""Call a SavedModel exported by TensorFlow Java with NumPy arrays, as a Keras 3 export takes them.

    import java_export
    signatures = java_export.load("target/vae_decoder")
    images = signatures["serving_default"](codings=np.random.randn(8, 10).astype("float32"))["images"]

Why a helper: TensorFlow Java 1.1.0 writes a TF1-style SavedModel, a MetaGraphDef with named
SignatureDefs and no TF2 object graph (it has no API for the object graph or the function library a
TF2 SavedModel carries). ``tf.saved_model.load`` reads such a model through its TF1 compatibility
path, which builds each signature as a pruned function without a function type. Called by keyword,
that function binds only ``tf.Tensor`` arguments, so a NumPy array fails with ``TypeError: Binding
inputs to tf.function failed due to `got an unexpected keyword argument 'codings'` ``, while
``tf.constant(array)`` works. A Keras 3 ``model.export`` writes a TF2 SavedModel, whose functions
convert NumPy themselves. ``load`` wraps each signature to convert its keyword arguments to tensors
of the dtype the signature declares; everything else is TensorFlow's own loading and calling.
"""
import numpy as np
import tensorflow as tf


class Signature:
    """One signature of a loaded SavedModel, callable by keyword with NumPy arrays or tensors."""

    def __init__(self, function, model):
        self._function = function
        self._model = model  # keeps the variables alive as long as the signature is used
        self.inputs = dict(function.structured_input_signature[1])

    def __call__(self, **inputs):
        unknown = sorted(set(inputs) - set(self.inputs))
        missing = sorted(set(self.inputs) - set(inputs))
        if unknown or missing:
            raise TypeError(f"this signature takes {sorted(self.inputs)}; "
                            f"unknown: {unknown}, missing: {missing}")
        return self._function(**{name: value if tf.is_tensor(value)
                                 else tf.constant(np.asarray(value), dtype=self.inputs[name].dtype)
                                 for name, value in inputs.items()})


def load(path):
    """The SavedModel's signatures by key, each a :class:`Signature`."""
    model = tf.saved_model.load(str(path))
    return {key: Signature(function, model) for key, function in model.signatures.items()}
