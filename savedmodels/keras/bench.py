"""The Keras side of the side-by-side benchmark: training steps per second of the book's models at
the book's batch sizes, and the DDPM sampling step, measured after a warm-up on this machine.

    .venv/bin/python bench.py [MODEL...] [--epochs 2] [--unet-steps 200] [--json FILE]

MODEL is any of stacked_ae variational_ae gan dcgan diffusion_model sampling (default: all). Each
model trains --epochs epochs on the full Fashion-MNIST training set (55,000 images) at the book's
batch size (32; the VAE 128); the first epoch is the warm-up, and the reported rate is the median over
the later epochs. The U-Net trains --unet-steps steps per epoch (a full epoch is 1,719 steps of
~0.2 s). `sampling` times one reverse-diffusion step (one U-Net call at batch 32 plus the update).
The Java side is `bench --keras FILE.tsv` (the TSV written beside --json FILE), which prints the
comparison table.
"""
import argparse
import json
import os
import platform
import statistics
import time

import homl17
import models
import numpy as np
import tensorflow as tf

ALL = ["stacked_ae", "variational_ae", "gan", "dcgan", "diffusion_model", "sampling"]


class EpochTimer(tf.keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self.start)


def result(steps, seconds, losses, val_losses=None, batch=32):
    measured = seconds[1:] or seconds
    return {"batch_size": batch, "steps_per_epoch": steps, "epoch_seconds": seconds,
            "steps_per_second": steps / statistics.median(measured),
            "loss": losses, "val_loss": val_losses or []}


def bench_fit(model, X, X_valid, epochs, batch):
    timer = EpochTimer()
    h = model.fit(X, X, epochs=epochs, batch_size=batch, validation_data=(X_valid, X_valid),
                  callbacks=[timer], verbose=2)
    steps = -(-len(X) // batch)
    return result(steps, timer.seconds, h.history["loss"], h.history["val_loss"], batch)


def bench_gan(build, codings_size, X, epochs):
    generator, discriminator, gan = build(codings_size)
    dataset = tf.data.Dataset.from_tensor_slices(X).shuffle(1000)
    dataset = dataset.batch(32, drop_remainder=True).prefetch(1)
    losses = models.train_gan(gan, dataset, 32, codings_size, epochs)
    # report the generator's loss per epoch (the discriminator's is in d_loss)
    out = result(len(X) // 32, [s for _, _, s in losses], [g for _, g, _ in losses])
    out["d_loss"] = [d for d, _, _ in losses]
    return out


def bench_unet(X_train, epochs, steps, T=4000):
    alpha, alpha_cumprod, beta = models.variance_schedule(T)
    tf.random.set_seed(43)
    train_set = models.prepare_dataset(X_train, T, alpha_cumprod, 32, shuffle=True).repeat()
    model = models.build_diffusion_model(T=T)
    timer = EpochTimer()
    h = model.fit(train_set, epochs=epochs, steps_per_epoch=steps, callbacks=[timer], verbose=2)
    return result(steps, timer.seconds, h.history["loss"]), model


def bench_sampling(model, T=4000, warmup=5, steps=50):
    alpha, alpha_cumprod, beta = models.variance_schedule(T)
    tf.random.set_seed(42)
    models.generate(model, T, alpha, alpha_cumprod, beta, 32, t_stop=T - 1 - warmup, verbose=False)
    start = time.perf_counter()
    models.generate(model, T, alpha, alpha_cumprod, beta, 32, t_stop=T - 1 - steps, verbose=False)
    seconds = time.perf_counter() - start
    return {"batch_size": 32, "steps": steps, "seconds": seconds,
            "steps_per_second": steps / seconds,
            "full_sampling_seconds_estimate": seconds / steps * (T - 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="*", metavar="MODEL", help=" ".join(ALL))
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--unet-steps", type=int, default=200)
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args()
    chosen = args.models or ALL
    unknown = sorted(set(chosen) - set(ALL))
    if unknown:
        parser.error(f"unknown model(s) {unknown}; choose from {ALL}")
    (X_train, _), (X_valid, _), _ = homl17.load_fashion_mnist()
    results = {}
    if "stacked_ae" in chosen:
        _, _, stacked_ae = models.stacked_ae()
        results["stacked_ae"] = bench_fit(stacked_ae, X_train, X_valid, args.epochs, 32)
    if "variational_ae" in chosen:
        _, _, variational_ae = models.vae()
        results["variational_ae"] = bench_fit(variational_ae, X_train, X_valid, args.epochs, 128)
    if "gan" in chosen:
        results["gan"] = bench_gan(models.gan, 30, X_train, args.epochs)
    if "dcgan" in chosen:
        results["dcgan"] = bench_gan(models.dcgan, 100,
                                     X_train.reshape(-1, 28, 28, 1) * 2. - 1., args.epochs)
    unet = None
    if "diffusion_model" in chosen:
        results["diffusion_model"], unet = bench_unet(X_train, args.epochs, args.unet_steps)
    if "sampling" in chosen:
        if unet is None:
            unet = models.build_diffusion_model()
        results["sampling"] = bench_sampling(unet)
    report = {"framework": f"tf_keras {homl17.tf_keras.__version__}, tensorflow {tf.__version__}",
              "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
              "epochs": args.epochs, "results": results}
    for name, r in results.items():
        print(f"{name:16s} {r['steps_per_second']:9.1f} steps/s", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)
        # the same numbers as a TSV beside it, which the Java `bench --keras FILE.tsv` reads
        tsv = os.path.splitext(args.json)[0] + ".tsv"
        with open(tsv, "w") as f:
            f.write("model\tbatch_size\tsteps_per_epoch\tsteps_per_second\tloss\tval_loss\n")
            for name, r in results.items():
                loss = r.get("loss") or [float("nan")]
                val = r.get("val_loss") or [float("nan")]
                f.write(f"{name}\t{r['batch_size']}\t{r.get('steps_per_epoch', r.get('steps'))}"
                        f"\t{r['steps_per_second']:.3f}\t{loss[-1]:.5f}\t{val[-1]:.5f}\n")
        print(f"wrote {args.json} and {tsv}")


if __name__ == "__main__":
    main()
