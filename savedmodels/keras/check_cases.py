"""Loads each case's SavedModel with tf.saved_model.load, calls its signature on inputs/*.npy and
compares every output with expected/*.npy. Used by the Java tests for the Java -> Python direction
(and works on the Python fixtures too).

    .venv/bin/python check_cases.py CASE_DIR... [--atol 1e-5] [--tfsm]

With --tfsm each case is also loaded as a Keras 3 layer, keras.layers.TFSMLayer(model_dir,
call_endpoint=signature), and called on its input. TFSMLayer.call passes its input to the endpoint as
one positional argument, which a signature function accepts only when it has a single input
(generators, decoders, encoders, classifiers); a multi-input signature (the conditional generator,
the denoiser, the DDIM sampler, StyleGAN's mix) raises "too many positional arguments" for a dict,
a tuple or a tensor plus keywords alike. For those the check uses KeywordTFSMLayer, the subclass
with its own call() that TFSMLayer's docstring advises for "endpoints with multiple separate input
tensor arguments": it takes a dict and calls the endpoint with keywords.

A case directory holds case.json ({"signature": ..., "model": <SavedModel dir name>}), inputs/ and
expected/. Prints one line per case; exits 1 if any output differs by more than --atol.
"""
import argparse
import json
import sys
from pathlib import Path

import homl17
import numpy as np
import tensorflow as tf


def keyword_tfsm_layer():
    """TFSMLayer for a multi-input endpoint: called with a dict, it calls the endpoint with keyword
    arguments (TFSMLayer's own call passes one positional argument)."""
    import keras

    class KeywordTFSMLayer(keras.layers.TFSMLayer):
        def call(self, inputs, training=False):
            return self.call_endpoint_fn(**inputs)

    return KeywordTFSMLayer


def tfsm_outputs(model_dir, inputs, signature):
    """The case's signature run through Keras 3's TFSMLayer (import keras gives Keras 3 even with
    TF_USE_LEGACY_KERAS=1, which only redirects tf.keras); returns the outputs and the layer's kind."""
    import keras
    tensors = {name: tf.constant(value) for name, value in inputs.items()}
    if len(inputs) == 1:
        layer = keras.layers.TFSMLayer(str(model_dir), call_endpoint=signature)
        outputs = layer(next(iter(tensors.values())))
    else:
        layer = keyword_tfsm_layer()(str(model_dir), call_endpoint=signature)
        outputs = layer(tensors)
    return {name: np.asarray(value) for name, value in outputs.items()}, type(layer).__name__


def check(case_dir, atol, tfsm=False):
    case_dir = Path(case_dir)
    info = json.loads((case_dir / "case.json").read_text())
    inputs = {p.stem: np.load(p) for p in sorted((case_dir / "inputs").glob("*.npy"))}
    expected = {p.stem: np.load(p) for p in sorted((case_dir / "expected").glob("*.npy"))}
    outputs = homl17.call_signature(case_dir / info["model"], inputs, info["signature"])
    problems = []
    layer_kind = None
    if tfsm:
        layer_outputs, layer_kind = tfsm_outputs(case_dir / info["model"], inputs,
                                                 info["signature"])
        outputs.update({f"tfsm:{name}": value for name, value in layer_outputs.items()})
        expected = dict(expected, **{f"tfsm:{name}": value for name, value in expected.items()})
    if set(outputs) != set(expected):
        problems.append(f"outputs {sorted(outputs)} != expected {sorted(expected)}")
    worst = 0.0
    for name in sorted(set(outputs) & set(expected)):
        got, want = outputs[name], expected[name]
        if got.shape != want.shape:
            problems.append(f"{name}: shape {got.shape} != expected {want.shape}")
            continue
        diff = float(np.max(np.abs(got.astype(np.float64) - want))) if got.size else 0.0
        worst = max(worst, diff)
        if not diff <= atol:
            problems.append(f"{name}: max |diff| {diff:.3g} > {atol}")
    status = "FAIL" if problems else "OK"
    print(f"{status} {case_dir} signature={info['signature']}{' +' + layer_kind if tfsm else ''} "
          f"max|diff|={worst:.3g}"
          + "".join(f"\n    {p}" for p in problems), flush=True)
    return not problems


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", nargs="+")
    parser.add_argument("--atol", type=float, default=1e-5)
    parser.add_argument("--tfsm", action="store_true",
                        help="also load each model as keras.layers.TFSMLayer (Keras 3)")
    args = parser.parse_args()
    results = [check(case, args.atol, args.tfsm) for case in args.cases]
    print(f"check_cases: {sum(results)} of {len(results)} cases match", flush=True)
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
