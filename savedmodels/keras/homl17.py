"""Shared helpers for the Keras side: Fashion-MNIST from the IDX files, SavedModel export with named
signatures, and the "case" directories (a model plus reference inputs and expected outputs) that the
Java tests read.

Import this module before TensorFlow: it sets TF_USE_LEGACY_KERAS=1 so that ``tf.keras`` is tf_keras
(Keras 2), as the notebook does (Keras 3 breaks the VAE's ``add_loss``).
"""
import gzip
import json
import os
from pathlib import Path

os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras  # noqa: E402,F401  (the notebook's cell 9: forces Keras 2)

DATA_DIRS = [os.environ.get("FASHION_MNIST_DIR"), "data/fashion-mnist",
             "/usr/share/datasets/fashion-mnist"]
FILES = {"x_train": "train-images-idx3-ubyte", "y_train": "train-labels-idx1-ubyte",
         "x_test": "t10k-images-idx3-ubyte", "y_test": "t10k-labels-idx1-ubyte"}


def _read_idx(path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    if magic not in (2049, 2051):
        raise ValueError(f"{path}: bad IDX magic number {magic}")
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(magic & 0xFF)]
    offset = 4 + 4 * len(dims)
    return np.frombuffer(data, np.uint8, offset=offset).reshape(dims)


def _find(directory, name):
    for candidate in (Path(directory) / (name + ".gz"), Path(directory) / name):
        if candidate.is_file():
            return candidate
    return None


def load_fashion_mnist(data_dir=None):
    """The notebook's cell 28: [0, 1] float32, the last 5,000 training images are the validation set.

    Returns (X_train, y_train), (X_valid, y_valid), (X_test, y_test). Never downloads.
    """
    for directory in ([data_dir] if data_dir else [d for d in DATA_DIRS if d]):
        paths = {key: _find(directory, name) for key, name in FILES.items()}
        if all(paths.values()):
            break
    else:
        raise FileNotFoundError(
            "Fashion-MNIST not found: pass --data DIR, set FASHION_MNIST_DIR, or "
            "apt-get install dataset-fashion-mnist (files in /usr/share/datasets/fashion-mnist)")
    arrays = {key: _read_idx(path) for key, path in paths.items()}
    X_train_full = arrays["x_train"].astype(np.float32) / 255
    X_test = arrays["x_test"].astype(np.float32) / 255
    y_train_full, y_test = arrays["y_train"].astype(np.int64), arrays["y_test"].astype(np.int64)
    X_train, y_train = X_train_full[:-5000], y_train_full[:-5000]
    X_valid, y_valid = X_train_full[-5000:], y_train_full[-5000:]
    return (X_train, y_train), (X_valid, y_valid), (X_test, y_test)


def export_signatures(obj, path, signatures):
    """tf.saved_model.save with named signatures; `signatures` maps a key to a tf.function whose
    input_signature names the inputs and which returns a dict naming the outputs."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name("." + path.name + ".part")
    if tmp.exists():
        import shutil
        shutil.rmtree(tmp)
    tf.saved_model.save(obj, str(tmp), signatures=signatures)
    if path.exists():
        import shutil
        shutil.rmtree(path)
    tmp.rename(path)
    return path


def inference_module(**parts):
    """A tf.Module holding only what inference needs (e.g. encoder and decoder, not the compiled
    autoencoder with its optimizer slots), so the exported SavedModel stays small."""
    module = tf.Module()
    for name, part in parts.items():
        setattr(module, name, part)
    return module


def generator_signature(model, codings_size, output="images"):
    """serving_default for a generator or decoder: ``codings`` [batch, k] -> ``images``, inference
    mode (BatchNormalization uses its moving statistics)."""
    @tf.function(input_signature=[tf.TensorSpec([None, codings_size], tf.float32, name="codings")])
    def serve(codings):
        return {output: model(codings, training=False)}
    return serve


def write_case(case_dir, model_dir_name, inputs, outputs, signature="serving_default", meta=None):
    """A case directory as the Java tests read it: ``<case>/<model_dir_name>/`` (the SavedModel),
    ``inputs/<name>.npy``, ``expected/<name>.npy`` and ``case.json`` (signature key, model dir)."""
    case_dir = Path(case_dir)
    for sub, arrays in (("inputs", inputs), ("expected", outputs)):
        (case_dir / sub).mkdir(parents=True, exist_ok=True)
        for name, value in arrays.items():
            np.save(case_dir / sub / f"{name}.npy", np.ascontiguousarray(value))
    info = {"signature": signature, "model": model_dir_name}
    info.update(meta or {})
    (case_dir / "case.json").write_text(json.dumps(info, indent=2) + "\n")


def write_cases(case_dir, cases, meta=None):
    """One case per signature of the SavedModel in ``case_dir/model``: the first at ``case_dir``,
    each other one in ``case_dir/<signature>/`` (model ``../model``). ``cases`` maps a signature
    key to (inputs, the in-memory model's outputs or None); the reloaded SavedModel's outputs are
    the expected ones and must equal the in-memory model's to 1e-5."""
    case_dir = Path(case_dir)
    for i, (signature, (inputs, direct)) in enumerate(cases.items()):
        expected = call_signature(case_dir / "model", inputs, signature)
        for name, value in (direct or {}).items():
            diff = float(np.max(np.abs(expected[name] - np.asarray(value))))
            assert diff < 1e-5, f"{case_dir} {signature}: reloaded {name} differs by {diff}"
        sub, model = (case_dir, "model") if i == 0 else (case_dir / signature, "../model")
        write_case(sub, model, inputs, expected, signature, meta)


def call_signature(model_dir, inputs, signature="serving_default"):
    """Loads a SavedModel (ours, Keras's or Java's) and calls one signature on numpy inputs."""
    loaded = tf.saved_model.load(str(model_dir))
    fn = loaded.signatures[signature]
    result = fn(**{name: tf.constant(value) for name, value in inputs.items()})
    return {name: value.numpy() for name, value in result.items()}


def to_unit_range(images, value_range):
    """Generated images as [n, 28, 28] float32 in the data's [0, 1] scale (tanh outputs are mapped
    by (x + 1) / 2), for the Java ``evaluate`` command."""
    images = np.asarray(images, np.float32).reshape(-1, 28, 28)
    if value_range == (-1, 1):
        images = (images + 1) / 2
    return images
