"""Writes the Keras 3 fixtures under savedmodels/python/: one small model per family exported with
Keras 3's `model.export(dir)` (endpoints `serve` and `serving_default`, inputs named after the Keras
inputs, output `output_0`), with seeded reference inputs and the outputs TensorFlow Python computes
for them, so the Java tests check the Python -> Java direction without Python.

    .venv/bin/python keras3_fixtures.py [--only NAME...]

Unlike the rest of this folder, this script uses Keras 3 (`import keras`), which comes with
tensorflow-cpu 2.18; the weights are untrained (seed 42): the fixtures test plumbing and numbers.

  keras3_dense_decoder     codings float32 [-1, 4] -> output_0 [-1, 28, 28]
  keras3_conv_generator    codings float32 [-1, 8] -> Dense, BatchNormalization and two strided
                           Conv2DTranspose (the DCGAN generator's shape) -> output_0 [-1, 28, 28, 1]
  keras3_cgan_generator    z float32 [-1, 10] and label int32 [-1, 1] (Embedding(10, 10), so labels
                           0..9) -> output_0 [-1, 28, 28]
  keras3_denoiser          X_noisy float32 [-1, 8, 8, 1] and time int32 [-1] -> output_0 (noise)
                           [-1, 8, 8, 1]; also reference/: noise.npy and the DDPM and DDIM samples
                           of samplers.py for T = 30 (DDIM: 10 steps), which `sample` must match
  keras3_autoencoder       an encoder Dense(16, relu), Dense(4, relu) and a decoder, exported with
                           keras.export.ExportArchive: endpoints `serve` (also `serving_default`;
                           the decoder, codings [-1, 4] -> output_0 [-1, 28, 28]) and `encode`
                           (images [-1, 28, 28] -> output_0 [-1, 4]); one case per endpoint
  keras3_vae               the VAE's encoder (mean and log-variance heads, 4 codings) and decoder:
                           `serve` (the decoder) and `encode_distribution` (images -> output_0 =
                           mean, output_1 = log variance)
  keras3_classifier        exercise 10's classifier shape: images [-1, 28, 28] -> output_0, the
                           probabilities of 10 classes (Dense(10, softmax))
"""
import argparse
import json
import shutil
from pathlib import Path

import homl17
import keras
import models
import numpy as np
import samplers
import tensorflow as tf

FIXTURES = Path(__file__).resolve().parent.parent / "python"
SAMPLE_T = 30
DDIM_STEPS = 10
SAMPLE_N = 4


def fresh(name):
    case = FIXTURES / name
    if case.exists():
        shutil.rmtree(case)
    case.mkdir(parents=True)
    return case


def export_case(name, model, inputs):
    """model.export, then the reloaded `serving_default` on `inputs` must equal the Keras model."""
    case = fresh(name)
    model.export(str(case / "model"), verbose=False)
    expected = homl17.call_signature(case / "model", inputs)
    direct = model(inputs if len(inputs) > 1 else next(iter(inputs.values())), training=False)
    assert np.max(np.abs(expected["output_0"] - np.asarray(direct))) < 1e-5, f"{name}: differs"
    homl17.write_case(case, "model", inputs, expected,
                      meta={"made_by": f"keras3_fixtures.py {name}", "keras": keras.__version__,
                            "tensorflow": tf.__version__})
    return case


def report(case):
    size = sum(p.stat().st_size for p in case.rglob("*") if p.is_file())
    print(f"wrote {case} ({size / 1024:.0f} KiB)", flush=True)


def dense_decoder(rng):
    keras.utils.set_random_seed(42)
    model = dense_decoder_model(4)
    report(export_case("keras3_dense_decoder", model,
                       {"codings": rng.standard_normal((5, 4)).astype(np.float32)}))


def conv_generator(rng):
    keras.utils.set_random_seed(42)
    codings = keras.Input(shape=[8], name="codings")
    x = keras.layers.Dense(7 * 7 * 8)(codings)
    x = keras.layers.Reshape([7, 7, 8])(x)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.Conv2DTranspose(4, 5, strides=2, padding="same", activation="relu")(x)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.Conv2DTranspose(1, 5, strides=2, padding="same", activation="tanh")(x)
    model = keras.Model(codings, x)
    report(export_case("keras3_conv_generator", model,
                       {"codings": rng.standard_normal((3, 8)).astype(np.float32)}))


def cgan_generator(rng):
    keras.utils.set_random_seed(42)
    z = keras.Input(shape=[10], name="z")
    label = keras.Input(shape=[1], dtype="int32", name="label")
    embedded = keras.layers.Flatten()(keras.layers.Embedding(10, 10)(label))  # [n, 10]
    x = keras.layers.Concatenate()([z, embedded])
    x = keras.layers.Dense(16, activation="relu")(x)
    x = keras.layers.Dense(28 * 28, activation="sigmoid")(x)
    model = keras.Model({"z": z, "label": label}, keras.layers.Reshape([28, 28])(x))
    inputs = {"z": rng.standard_normal((4, 10)).astype(np.float32),
              "label": np.array([[0], [3], [7], [9]], np.int32)}
    report(export_case("keras3_cgan_generator", model, inputs))


def denoiser(rng):
    """Two inputs like the notebook's U-Net; the output is x_noisy plus a small time-dependent
    convolution, so an untrained model still keeps the reverse process in a sane range."""
    keras.utils.set_random_seed(42)
    x_noisy = keras.Input(shape=[8, 8, 1], name="X_noisy")
    time = keras.Input(shape=[], dtype="int32", name="time")
    t = keras.ops.expand_dims(keras.ops.cast(time, "float32") / 4000.0, -1)  # [n, 1]
    t = keras.layers.Dense(4, activation="tanh")(t)
    x = keras.layers.Conv2D(4, 3, padding="same", activation="relu")(x_noisy)
    x = x + keras.layers.Reshape([1, 1, 4])(t)  # add time data to every pixel
    x = keras.layers.Conv2D(1, 3, padding="same")(x)
    outputs = keras.layers.Add()([x_noisy, keras.layers.Rescaling(0.1)(x)])
    model = keras.Model({"X_noisy": x_noisy, "time": time}, outputs)
    inputs = {"X_noisy": rng.standard_normal((3, 8, 8, 1)).astype(np.float32),
              "time": np.array([1, 15, 29], np.int32)}
    case = export_case("keras3_denoiser", model, inputs)

    # the reference sampler, calling the reloaded SavedModel as Java does
    serve = tf.saved_model.load(str(case / "model")).signatures["serving_default"]

    def denoise(x, t):
        time = tf.constant(np.full([x.shape[0]], t, np.int32))
        return serve(X_noisy=tf.constant(x), time=time)["output_0"].numpy()

    schedule = models.variance_schedule(SAMPLE_T)
    noise = rng.standard_normal((SAMPLE_T - 1, SAMPLE_N, 8, 8, 1)).astype(np.float32)
    reference = case / "reference"
    reference.mkdir()
    np.save(reference / "noise.npy", noise)
    np.save(reference / "ddpm_samples.npy",
            samplers.to_samples(samplers.ddpm(denoise, schedule, noise)))
    np.save(reference / "ddim_samples.npy",
            samplers.to_samples(samplers.ddim(denoise, schedule, noise, DDIM_STEPS)))
    (reference / "sampling.json").write_text(json.dumps(
        {"T": SAMPLE_T, "ddim_steps": DDIM_STEPS, "n": SAMPLE_N,
         "noise": "[T - 1, n, 8, 8, 1]: x_T, then z for t = T - 1 .. 2 (samplers.py)"},
        indent=2) + "\n")
    report(case)


def archive_case(name, endpoints, cases):
    """Exports `endpoints` (name -> (model, its input's TensorSpec)) with keras.export.ExportArchive
    (the first is also `serving_default`) and records one case per endpoint (homl17.write_cases)."""
    case = fresh(name)
    archive = keras.export.ExportArchive()
    for endpoint, (model, spec) in endpoints.items():
        archive.track(model)
        archive.add_endpoint(name=endpoint, fn=model.call, input_signature=[spec])
    archive.write_out(str(case / "model"), verbose=False)
    homl17.write_cases(case, cases, {"made_by": f"keras3_fixtures.py {name}",
                                     "keras": keras.__version__, "tensorflow": tf.__version__})
    report(case)


def images_spec():
    return tf.TensorSpec([None, 28, 28], tf.float32, name="images")


def codings_spec(k):
    return tf.TensorSpec([None, k], tf.float32, name="codings")


def dense_decoder_model(k):
    codings = keras.Input(shape=[k], name="codings")
    x = keras.layers.Dense(16, activation="relu")(codings)
    x = keras.layers.Dense(28 * 28, activation="sigmoid")(x)
    return keras.Model(codings, keras.layers.Reshape([28, 28])(x))


def autoencoder(rng):
    keras.utils.set_random_seed(42)
    images = keras.Input(shape=[28, 28], name="images")
    x = keras.layers.Dense(16, activation="relu")(keras.layers.Flatten()(images))
    encoder = keras.Model(images, keras.layers.Dense(4, activation="relu")(x))
    decoder = dense_decoder_model(4)
    codings = rng.standard_normal((5, 4)).astype(np.float32)
    x_images = rng.random((3, 28, 28), np.float32)
    archive_case("keras3_autoencoder",
                 {"serve": (decoder, codings_spec(4)), "encode": (encoder, images_spec())},
                 {"serve": ({"codings": codings}, {"output_0": decoder(codings)}),
                  "encode": ({"images": x_images}, {"output_0": encoder(x_images)})})


def vae(rng):
    keras.utils.set_random_seed(42)
    images = keras.Input(shape=[28, 28], name="images")
    z = keras.layers.Dense(16, activation="relu")(keras.layers.Flatten()(images))
    encoder = keras.Model(images, [keras.layers.Dense(4)(z), keras.layers.Dense(4)(z)])
    decoder = dense_decoder_model(4)
    codings = rng.standard_normal((5, 4)).astype(np.float32)
    x_images = rng.random((3, 28, 28), np.float32)
    mean, log_var = encoder(x_images)
    archive_case("keras3_vae",
                 {"serve": (decoder, codings_spec(4)),
                  "encode_distribution": (encoder, images_spec())},
                 {"serve": ({"codings": codings}, {"output_0": decoder(codings)}),
                  "encode_distribution": ({"images": x_images},
                                          {"output_0": mean, "output_1": log_var})})


def classifier(rng):
    keras.utils.set_random_seed(42)
    model = keras.Sequential([keras.Input(shape=[28, 28], name="images"), keras.layers.Flatten(),
                              keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    report(export_case("keras3_classifier", model,
                       {"images": rng.random((3, 28, 28), np.float32)}))


FAMILIES = {"keras3_dense_decoder": dense_decoder, "keras3_conv_generator": conv_generator,
            "keras3_cgan_generator": cgan_generator, "keras3_denoiser": denoiser,
            "keras3_autoencoder": autoencoder, "keras3_vae": vae,
            "keras3_classifier": classifier}


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", choices=sorted(FAMILIES))
    args = parser.parse_args()
    for name in args.only or FAMILIES:
        FAMILIES[name](np.random.default_rng(42))


if __name__ == "__main__":
    main()
