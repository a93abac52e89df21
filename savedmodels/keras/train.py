"""Trains one of the book's models with tf_keras on Fashion-MNIST and exports it for Java.

    .venv/bin/python train.py vae --epochs 25            # the book's settings are the defaults
    .venv/bin/python train.py stacked --epochs 2 --quick # a few hundred images: seconds

Writes OUT/<model>/ (default OUT = savedmodels/keras/out):
  model/          SavedModel; serving_default is the generator/decoder: codings [n, k] -> images
                  (diffusion: x_noisy [n, 28, 28, 1], time [n] int32 -> noise); more signatures
                  where the book's model has more parts (encode, reconstruct)
  case.json, inputs/*.npy, expected/*.npy
                  seeded reference inputs and the outputs of the reloaded SavedModel (the layout
                  the Java tests read, as the fixtures under savedmodels/python/)
  samples.npy     generated images, float32 [n, 28, 28] in the data's [0, 1] scale (for `evaluate`);
                  the stacked AE writes the reconstructions of the first test images instead
  history.json    per-epoch losses and seconds
"""
import argparse
import json
import time
from pathlib import Path

import homl17
import models
import numpy as np
import tensorflow as tf

HERE = Path(__file__).resolve().parent
QUICK_TRAIN, QUICK_VALID = 512, 128


class EpochTimer(tf.keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self.start)


def reference_codings(n, k, seed=42):
    return np.random.default_rng(seed).standard_normal((n, k)).astype(np.float32)


def finish(out, signatures, obj, inputs, samples, history, direct_outputs=None):
    """Exports, reloads, records the reference case, checks it against the in-memory model."""
    homl17.export_signatures(obj, out / "model", signatures)
    expected = homl17.call_signature(out / "model", inputs)
    if direct_outputs is not None:
        for name, value in direct_outputs.items():
            diff = float(np.max(np.abs(expected[name] - value)))
            assert diff < 1e-5, f"reloaded SavedModel differs from the model by {diff}"
    homl17.write_case(out, "model", inputs, expected)
    if samples is not None:
        np.save(out / "samples.npy", samples.astype(np.float32))
    (out / "history.json").write_text(json.dumps(history, indent=2) + "\n")
    print(f"exported {out / 'model'}; reference case and "
          f"{'samples.npy, ' if samples is not None else ''}history.json in {out}")


def fit_history(h, timer):
    return {"loss": [float(v) for v in h.history["loss"]],
            "val_loss": [float(v) for v in h.history.get("val_loss", [])],
            "seconds": timer.seconds}


def train_stacked(args, data, out):
    (X_train, _), (X_valid, _), (X_test, _) = data
    stacked_encoder, stacked_decoder, stacked_ae = models.stacked_ae(args.seed)
    timer = EpochTimer()
    h = stacked_ae.fit(X_train, X_train, epochs=args.epochs or 20, batch_size=32,
                       validation_data=(X_valid, X_valid), callbacks=[timer], verbose=2)

    @tf.function(input_signature=[tf.TensorSpec([None, 28, 28], tf.float32, name="images")])
    def reconstruct(images):
        return {"reconstructions": stacked_ae(images, training=False)}

    @tf.function(input_signature=[tf.TensorSpec([None, 28, 28], tf.float32, name="images")])
    def encode(images):
        return {"codings": stacked_encoder(images, training=False)}

    signatures = {"serving_default": homl17.generator_signature(stacked_decoder, 30),
                  "reconstruct": reconstruct, "encode": encode}
    codings = reference_codings(8, 30)
    samples = stacked_ae.predict(X_test[:args.samples], verbose=0)
    finish(out, signatures,
           homl17.inference_module(encoder=stacked_encoder, decoder=stacked_decoder),
           {"codings": codings}, samples, fit_history(h, timer),
           {"images": stacked_decoder(codings).numpy()})


def train_vae(args, data, out):
    (X_train, _), (X_valid, _), _ = data
    variational_encoder, variational_decoder, variational_ae = models.vae(seed=args.seed)
    timer = EpochTimer()
    h = variational_ae.fit(X_train, X_train, epochs=args.epochs or 25, batch_size=128,
                           validation_data=(X_valid, X_valid), callbacks=[timer], verbose=2)

    @tf.function(input_signature=[tf.TensorSpec([None, 28, 28], tf.float32, name="images")])
    def encode(images):
        mean, log_var, _ = variational_encoder(images, training=False)
        return {"codings_mean": mean, "codings_log_var": log_var}

    signatures = {"serving_default": homl17.generator_signature(variational_decoder, 10),
                  "encode": encode}
    tf.random.set_seed(42)  # Figure 17-12: codings = tf.random.normal(shape=[3 * 7, codings_size])
    samples = variational_decoder.predict(tf.random.normal([args.samples, 10]), verbose=0)
    codings = reference_codings(8, 10)
    finish(out, signatures,
           homl17.inference_module(encoder=variational_encoder, decoder=variational_decoder),
           {"codings": codings}, samples, fit_history(h, timer),
           {"images": variational_decoder(codings).numpy()})


def train_gans(args, data, out, build, codings_size, to_model_range, value_range):
    (X_train, _), _, _ = data
    generator, discriminator, gan = build(codings_size, args.seed)
    batch_size = 32
    X = to_model_range(X_train)
    dataset = tf.data.Dataset.from_tensor_slices(X).shuffle(1000)
    dataset = dataset.batch(batch_size, drop_remainder=True).prefetch(1)
    losses = models.train_gan(gan, dataset, batch_size, codings_size, args.epochs or 50)
    tf.random.set_seed(42)
    samples = generator.predict(tf.random.normal([args.samples, codings_size]), verbose=0)
    codings = reference_codings(8, codings_size)
    history = {"d_loss": [d for d, _, _ in losses], "g_loss": [g for _, g, _ in losses],
               "seconds": [seconds for _, _, seconds in losses]}
    signatures = {"serving_default": homl17.generator_signature(generator, codings_size)}
    finish(out, signatures, generator, {"codings": codings},
           homl17.to_unit_range(samples, value_range), history,
           {"images": generator(codings, training=False).numpy()})


def train_diffusion(args, data, out):
    (X_train, _), (X_valid, _), _ = data
    T = args.T
    alpha, alpha_cumprod, beta = models.variance_schedule(T)
    tf.random.set_seed(43)  # the notebook seeds the datasets with 43
    train_set = models.prepare_dataset(X_train, T, alpha_cumprod, batch_size=32, shuffle=True)
    valid_set = models.prepare_dataset(X_valid, T, alpha_cumprod, batch_size=32)
    dims = (4, 8, 16, 32) if args.quick else (16, 32, 64, 128)
    model = models.build_diffusion_model(T=T, dims=dims, seed=args.seed)
    timer = EpochTimer()
    h = model.fit(train_set, validation_data=valid_set, epochs=args.epochs or 100,
                  callbacks=[timer], verbose=2)

    @tf.function(input_signature=[tf.TensorSpec([None, 28, 28, 1], tf.float32, name="x_noisy"),
                                  tf.TensorSpec([None], tf.int32, name="time")])
    def serve(x_noisy, time):
        return {"noise": model({"X_noisy": x_noisy, "time": time}, training=False)}

    rng = np.random.default_rng(42)
    inputs = {"x_noisy": rng.standard_normal((4, 28, 28, 1)).astype(np.float32),
              "time": np.array([1, T // 3, 2 * T // 3, T], np.int32)}
    samples = None
    if args.samples:
        tf.random.set_seed(42)
        X_gen = models.generate(model, T, alpha, alpha_cumprod, beta, batch_size=args.samples)
        samples = homl17.to_unit_range(X_gen.numpy(), (-1, 1))
    direct = model({"X_noisy": inputs["x_noisy"], "time": inputs["time"]}, training=False)
    # the U-Net's variables only: the compiled model would also carry its optimizer's slots
    finish(out, {"serving_default": serve}, homl17.inference_module(weights=model.variables), inputs, samples, fit_history(h, timer),
           {"noise": direct.numpy()})


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", choices=["stacked", "vae", "gan", "dcgan", "diffusion"])
    parser.add_argument("--epochs", type=int, help="default: the book's")
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_TRAIN} training and {QUICK_VALID} validation images "
                             "(diffusion: a 4/8/16/32-channel U-Net)")
    parser.add_argument("--samples", type=int, help="images to generate (default 1000; "
                        "diffusion 32, 3,999 network calls each)")
    parser.add_argument("--T", type=int, default=4000, help="diffusion steps (the book: 4000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--data", help="directory with the four Fashion-MNIST IDX files")
    parser.add_argument("--out", default=str(HERE / "out"), help="parent of OUT/<model>/")
    args = parser.parse_args()
    if args.samples is None:
        args.samples = 32 if args.model == "diffusion" else 1000

    data = homl17.load_fashion_mnist(args.data)
    if args.quick:
        (Xt, yt), (Xv, yv), (Xs, ys) = data
        data = ((Xt[:QUICK_TRAIN], yt[:QUICK_TRAIN]), (Xv[:QUICK_VALID], yv[:QUICK_VALID]),
                (Xs[:QUICK_VALID], ys[:QUICK_VALID]))
    out = Path(args.out) / args.model
    out.mkdir(parents=True, exist_ok=True)
    if args.model == "stacked":
        train_stacked(args, data, out)
    elif args.model == "vae":
        train_vae(args, data, out)
    elif args.model == "gan":
        train_gans(args, data, out, models.gan, 30, lambda X: X, (0, 1))
    elif args.model == "dcgan":
        train_gans(args, data, out, models.dcgan, 100,
                   lambda X: X.reshape(-1, 28, 28, 1) * 2. - 1., (-1, 1))
    else:
        train_diffusion(args, data, out)


if __name__ == "__main__":
    main()
