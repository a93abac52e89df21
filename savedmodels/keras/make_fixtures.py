"""Writes the committed fixtures under savedmodels/python/: small Keras-exported SavedModels with
seeded reference inputs and the outputs TensorFlow Python computes for them, so the Java tests check
the Python -> Java direction without Python.

    .venv/bin/python make_fixtures.py [--vae-epochs 25] [--only NAME...]

Fixtures (each a case directory: model/, inputs/*.npy, expected/*.npy, case.json):
  tiny_decoder    Dense(16, relu) -> Dense(784, sigmoid) -> Reshape([28, 28]), 4 codings, untrained
                  (seed 42), saved as the Keras model itself: codings [n, 4] -> images [n, 28, 28]
  tiny_denoiser   a two-input functional model shaped like the diffusion U-Net's interface:
                  x_noisy [n, 8, 8, 1] float32 and time [n] int32 -> noise [n, 8, 8, 1]
  notebook_unet   the notebook's diffusion U-Net (models.build_diffusion_model), tf_keras, untrained,
                  narrowed to fit a fixture (T = 4000 as the book, embed_size 4, dims (8, 16)) and
                  exported as train.py diffusion exports the trained one:
                  x_noisy [n, 28, 28, 1] float32 and time [n] int32 -> noise [n, 28, 28, 1]
  vae_decoder     the book's VAE (section "Variational Autoencoders") trained --vae-epochs epochs
                  at batch 128; its decoder: codings [n, 10] -> images [n, 28, 28]

One untrained family each (seed 42), the book's models (models.py) narrowed to a few KB, with one
case per signature (the first in the fixture's folder, the others in <fixture>/<signature>/):
  tf_keras_autoencoder     models.stacked_ae, units (16, 4): serving_default codings [n, 4] ->
                           images [n, 28, 28]; encode images [n, 28, 28] -> codings [n, 4]
  tf_keras_vae             models.vae, units (16, 8), 4 codings: serving_default codings -> images;
                           encode_distribution images -> codings_mean, codings_log_var
  tf_keras_dcgan_generator models.dcgan's generator, 8 codings, filters (8, 4), BatchNormalization
                           moving statistics moved off their start by two training-mode calls:
                           codings [n, 8] -> images [n, 28, 28, 1]
  tf_keras_cgan_generator  a conditional generator as the Java cgan's: codings [n, 8] and label [n]
                           int32, one-hot over 10 classes, concatenated -> images [n, 28, 28]
  tf_keras_classifier      exercise 10's classifier shape (an encoder, then Dense(10, softmax)):
                           images [n, 28, 28] -> probabilities [n, 10]
"""
import argparse
import json
import shutil
from pathlib import Path

import homl17
import models
import numpy as np
import tensorflow as tf
import tf_keras

FIXTURES = Path(__file__).resolve().parent.parent / "python"


def fresh(name):
    case = FIXTURES / name
    if case.exists():
        shutil.rmtree(case)
    case.mkdir(parents=True)
    return case


def save_case(case, obj, signatures, inputs, direct, meta):
    homl17.export_signatures(obj, case / "model", signatures)
    expected = homl17.call_signature(case / "model", inputs)
    for name, value in direct.items():
        assert np.max(np.abs(expected[name] - value)) < 1e-5, f"{case}: reload differs"
    homl17.write_case(case, "model", inputs, expected, meta=meta)
    size = sum(p.stat().st_size for p in case.rglob("*") if p.is_file())
    print(f"wrote {case} ({size / 1024:.0f} KiB)")


def tiny_decoder():
    tf.random.set_seed(42)
    decoder = tf.keras.Sequential([
        tf.keras.layers.Input(shape=[4]),
        tf.keras.layers.Dense(16, activation="relu"),
        tf.keras.layers.Dense(28 * 28, activation="sigmoid"),
        tf.keras.layers.Reshape([28, 28]),
    ])
    codings = np.random.default_rng(42).standard_normal((5, 4)).astype(np.float32)
    save_case(fresh("tiny_decoder"), decoder,
              {"serving_default": homl17.generator_signature(decoder, 4)},
              {"codings": codings}, {"images": decoder(codings).numpy()},
              {"made_by": "make_fixtures.py tiny_decoder", "keras": tf_keras.__version__})


def tiny_denoiser():
    tf.random.set_seed(42)
    x_noisy = tf.keras.layers.Input(shape=[8, 8, 1], name="x_noisy")
    time_input = tf.keras.layers.Input(shape=[], dtype=tf.int32, name="time")
    time_enc = models.TimeEncoding(10, 4)(time_input)
    Z = tf.keras.layers.Conv2D(4, 3, padding="same", activation="relu")(x_noisy)
    Z = tf.keras.layers.Dense(4)(time_enc)[:, tf.newaxis, tf.newaxis, :] + Z
    outputs = tf.keras.layers.Conv2D(1, 3, padding="same")(Z)
    model = tf.keras.Model(inputs=[x_noisy, time_input], outputs=[outputs])

    @tf.function(input_signature=[tf.TensorSpec([None, 8, 8, 1], tf.float32, name="x_noisy"),
                                  tf.TensorSpec([None], tf.int32, name="time")])
    def serve(x_noisy, time):
        return {"noise": model({"x_noisy": x_noisy, "time": time}, training=False)}

    rng = np.random.default_rng(42)
    inputs = {"x_noisy": rng.standard_normal((3, 8, 8, 1)).astype(np.float32),
              "time": np.array([1, 5, 10], np.int32)}
    direct = model({"x_noisy": inputs["x_noisy"], "time": inputs["time"]}).numpy()
    save_case(fresh("tiny_denoiser"), model, {"serving_default": serve}, inputs,
              {"noise": direct},
              {"made_by": "make_fixtures.py tiny_denoiser", "keras": tf_keras.__version__})


def notebook_unet():
    model = models.build_diffusion_model(T=4000, embed_size=4, dims=(8, 16), seed=42)

    # the export of train.py diffusion, except that the module tracks only the weights: saving the
    # Keras model object stores every layer's traces, each with a copy of the [4001, 4] time
    # encodings (5 times the size)
    @tf.function(input_signature=[tf.TensorSpec([None, 28, 28, 1], tf.float32, name="x_noisy"),
                                  tf.TensorSpec([None], tf.int32, name="time")])
    def serve(x_noisy, time):
        return {"noise": model({"X_noisy": x_noisy, "time": time}, training=False)}

    rng = np.random.default_rng(42)
    inputs = {"x_noisy": rng.standard_normal((3, 28, 28, 1)).astype(np.float32),
              "time": np.array([1, 2000, 3999], np.int32)}
    direct = model({"X_noisy": inputs["x_noisy"], "time": inputs["time"]}).numpy()
    save_case(fresh("notebook_unet"), homl17.inference_module(weights=model.variables),
              {"serving_default": serve}, inputs, {"noise": direct},
              {"made_by": "make_fixtures.py notebook_unet", "keras": tf_keras.__version__})


def vae_decoder(epochs):
    (X_train, _), (X_valid, _), _ = homl17.load_fashion_mnist()
    _, variational_decoder, variational_ae = models.vae()
    history = variational_ae.fit(X_train, X_train, epochs=epochs, batch_size=128,
                                 validation_data=(X_valid, X_valid), verbose=2)
    tf.random.set_seed(42)  # Figure 17-12: 3 x 7 codings
    codings = tf.random.normal(shape=[3 * 7, 10]).numpy()
    save_case(fresh("vae_decoder"), variational_decoder,
              {"serving_default": homl17.generator_signature(variational_decoder, 10)},
              {"codings": codings}, {"images": variational_decoder(codings).numpy()},
              {"made_by": f"make_fixtures.py vae_decoder (--vae-epochs {epochs})",
               "keras": tf_keras.__version__, "epochs": epochs,
               "loss": round(history.history["loss"][-1], 5),
               "val_loss": round(history.history["val_loss"][-1], 5)})


def images_signature(**outputs):
    """A tf.function images [n, 28, 28] -> {name: part(images)} for each output `name=part`."""
    @tf.function(input_signature=[tf.TensorSpec([None, 28, 28], tf.float32, name="images")])
    def signature(images):
        return {name: part(images) for name, part in outputs.items()}
    return signature


def family_case(name, obj, signatures, cases):
    """Exports a family fixture and records one case per signature (homl17.write_cases)."""
    case = fresh(name)
    homl17.export_signatures(obj, case / "model", signatures)
    homl17.write_cases(case, cases, {"made_by": f"make_fixtures.py {name}",
                                     "keras": tf_keras.__version__, "tensorflow": tf.__version__})
    size = sum(p.stat().st_size for p in case.rglob("*") if p.is_file())
    print(f"wrote {case} ({size / 1024:.0f} KiB)")


def tf_keras_autoencoder(rng):
    encoder, decoder, _ = models.stacked_ae(seed=42, units=(16, 4))
    codings = rng.standard_normal((5, 4)).astype(np.float32)
    images = rng.random((3, 28, 28), np.float32)
    decoded = decoder(codings).numpy()  # builds the decoder before its signature is traced
    family_case("tf_keras_autoencoder", homl17.inference_module(encoder=encoder, decoder=decoder),
                {"serving_default": homl17.generator_signature(decoder, 4),
                 "encode": images_signature(codings=lambda x: encoder(x, training=False))},
                {"serving_default": ({"codings": codings}, {"images": decoded}),
                 "encode": ({"images": images}, {"codings": encoder(images).numpy()})})


def tf_keras_vae(rng):
    encoder, decoder, _ = models.vae(codings_size=4, seed=42, units=(16, 8))
    codings = rng.standard_normal((5, 4)).astype(np.float32)
    images = rng.random((3, 28, 28), np.float32)
    mean, log_var, _ = encoder(images)
    family_case("tf_keras_vae", homl17.inference_module(encoder=encoder, decoder=decoder),
                {"serving_default": homl17.generator_signature(decoder, 4),
                 "encode_distribution": images_signature(
                     codings_mean=lambda x: encoder(x, training=False)[0],
                     codings_log_var=lambda x: encoder(x, training=False)[1])},
                {"serving_default": ({"codings": codings}, {"images": decoder(codings).numpy()}),
                 "encode_distribution": ({"images": images},
                                         {"codings_mean": mean.numpy(),
                                          "codings_log_var": log_var.numpy()})})


def tf_keras_dcgan_generator(rng):
    generator, _, _ = models.dcgan(codings_size=8, seed=42, filters=(8, 4))
    for _ in range(2):  # moves the BatchNormalization moving statistics off 0 and 1
        generator(tf.random.normal([16, 8]) * 3 + 1, training=True)
    codings = rng.standard_normal((3, 8)).astype(np.float32)
    family_case("tf_keras_dcgan_generator", generator,
                {"serving_default": homl17.generator_signature(generator, 8)},
                {"serving_default": ({"codings": codings},
                                     {"images": generator(codings, training=False).numpy()})})


def tf_keras_cgan_generator(rng):
    tf.random.set_seed(42)
    n_classes = 10
    codings_input = tf.keras.layers.Input(shape=[8], name="codings")
    label_input = tf.keras.layers.Input(shape=[], dtype=tf.int32, name="label")
    one_hot = tf.keras.layers.Lambda(lambda y: tf.one_hot(y, n_classes))(label_input)
    x = tf.keras.layers.Concatenate()([codings_input, one_hot])
    x = tf.keras.layers.Dense(16, activation="relu")(x)
    x = tf.keras.layers.Dense(28 * 28, activation="sigmoid")(x)
    generator = tf.keras.Model([codings_input, label_input], tf.keras.layers.Reshape([28, 28])(x))

    @tf.function(input_signature=[tf.TensorSpec([None, 8], tf.float32, name="codings"),
                                  tf.TensorSpec([None], tf.int32, name="label")])
    def serve(codings, label):
        return {"images": generator([codings, label], training=False)}

    inputs = {"codings": rng.standard_normal((4, 8)).astype(np.float32),
              "label": np.array([0, 3, 7, 9], np.int32)}
    family_case("tf_keras_cgan_generator", homl17.inference_module(generator=generator),
                {"serving_default": serve},
                {"serving_default": (inputs, {"images": generator(
                    [inputs["codings"], inputs["label"]]).numpy()})})


def tf_keras_classifier(rng):
    tf.random.set_seed(42)
    classifier = tf.keras.Sequential([
        tf.keras.layers.Input(shape=[28, 28]),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(16, activation="relu"),
        tf.keras.layers.Dense(10, activation="softmax"),
    ])
    images = rng.random((3, 28, 28), np.float32)
    family_case("tf_keras_classifier", classifier,
                {"serving_default": images_signature(
                    probabilities=lambda x: classifier(x, training=False))},
                {"serving_default": ({"images": images},
                                     {"probabilities": classifier(images).numpy()})})


FAMILIES = {"tf_keras_autoencoder": tf_keras_autoencoder, "tf_keras_vae": tf_keras_vae,
            "tf_keras_dcgan_generator": tf_keras_dcgan_generator,
            "tf_keras_cgan_generator": tf_keras_cgan_generator,
            "tf_keras_classifier": tf_keras_classifier}
OTHERS = ["tiny_decoder", "tiny_denoiser", "notebook_unet", "vae_decoder"]


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vae-epochs", type=int, default=25)
    parser.add_argument("--only", nargs="*", choices=OTHERS + sorted(FAMILIES))
    args = parser.parse_args()
    chosen = args.only or OTHERS + list(FAMILIES)
    if "tiny_decoder" in chosen:
        tiny_decoder()
    if "tiny_denoiser" in chosen:
        tiny_denoiser()
    if "notebook_unet" in chosen:
        notebook_unet()
    if "vae_decoder" in chosen:
        vae_decoder(args.vae_epochs)
    for name in FAMILIES:
        if name in chosen:
            FAMILIES[name](np.random.default_rng(42))


if __name__ == "__main__":
    main()
