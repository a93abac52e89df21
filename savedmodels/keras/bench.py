"""The Keras side of the side-by-side benchmark: training steps per second of the book's models at
the book's batch sizes, and the DDPM sampling step, measured after a warm-up on this machine.

    .venv/bin/python bench.py [MODEL...] [--epochs 2] [--steps N] [--unet-steps 200] [--json FILE]
                              [--profile] [--precision float32|bf16]

MODEL is any of stacked_ae variational_ae gan dcgan diffusion_model sampling (default: all). Each
model trains --epochs epochs on the full Fashion-MNIST training set (55,000 images) at the book's
batch size (32; the VAE 128); the first half of the epochs (at least one) is the warm-up, and the
reported rate is the median over the later epochs. With --steps N each model trains on the first
N x 32 training images only (N steps per epoch at batch 32) and the autoencoders validate on the first 128 validation images, as the
Java `bench --steps N` does (where every model validates on those 128: a few batches, so an epoch's
time is its training steps, and the notebook's GAN loop and U-Net `fit` do not validate): a
side-by-side ratio in about a minute. The U-Net trains --unet-steps steps
per epoch (a full epoch is 1,719 steps of ~0.2 s; --steps overrides it). `sampling` times one
reverse-diffusion step (one U-Net call at batch 32 plus the update).

The GANs are measured twice: `gan`/`dcgan` with the notebook's loop (eager, two train_on_batch
calls per step) and `gan_compiled`/`dcgan_compiled` with both phases in one tf.function, the
strongest ordinary Keras (keras-io's DCGAN train_step), fed shuffled batches from NumPy (a tf.data
pipeline halved whole epochs of it on two cores); same models, optimizers and losses. The
autoencoders and the U-Net train with `fit`, which is compiled already.

--flops prints the floating-point operations of one training step of each model (TensorFlow's
profiler on the step's graph: forward, gradients, update), the numerator of GFLOP/s.

--profile traces 20 steps of each autoencoder, GAN (compiled) and of the U-Net with TensorFlow's run metadata
and prints the kernel time per op type, the table the Java `bench --profile` prints.

The Java side is `bench --keras FILE.tsv` (the TSV written beside --json FILE), which prints the
comparison table.
"""
import argparse
import itertools
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
BATCH = 32


class EpochTimer(tf.keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self.start)


def result(steps, seconds, losses, val_losses=None, batch=32):
    # the first half of the epochs (at least one) is the warm-up, as in the Java bench
    measured = seconds[max(1, len(seconds) // 2):] or seconds
    return {"batch_size": batch, "steps_per_epoch": steps, "epoch_seconds": seconds,
            "steps_per_second": steps / statistics.median(measured),
            "loss": losses, "val_loss": val_losses or []}


def bench_fit(model, X, X_valid, epochs, batch, profile=False):
    timer = EpochTimer()
    h = model.fit(X, X, epochs=epochs, batch_size=batch, validation_data=(X_valid, X_valid),
                  callbacks=[timer], verbose=2)
    if profile:
        print_profile(f"{model.name} (fit's train_function)",
                      lambda: model.train_on_batch(X[:batch], X[:batch]))
    steps = -(-len(X) // batch)
    return result(steps, timer.seconds, h.history["loss"], h.history["val_loss"], batch)


def gan_dataset(X):
    dataset = tf.data.Dataset.from_tensor_slices(X).shuffle(1000)
    return dataset.batch(BATCH, drop_remainder=True).prefetch(1)


def bench_gan(build, codings_size, X, epochs):
    generator, discriminator, gan = build(codings_size)
    losses = models.train_gan(gan, gan_dataset(X), BATCH, codings_size, epochs)
    return gan_result(len(X) // BATCH, losses)


def gan_result(steps, losses):
    # report the generator's loss per epoch (the discriminator's is in d_loss)
    out = result(steps, [s for _, _, s in losses], [g for _, g, _ in losses])
    out["d_loss"] = [d for d, _, _ in losses]
    return out


def compiled_gan_step(gan, codings_size):
    """The notebook's two phases in one tf.function, with the models, optimizers (the two compiled
    RMSprop) and loss of the notebook: phase 1 updates the discriminator on the generator's fakes
    (inference mode, as `generator(noise)` in the notebook) and the real batch; phase 2 updates the
    generator through the discriminator on fresh noise labelled 1."""
    generator, discriminator = gan.layers
    discriminator(generator(tf.zeros([1, codings_size])))  # creates the weights
    # discriminator.trainable is False (set for gan.compile), which empties trainable_variables
    d_vars = [v for v in discriminator.weights if v.trainable]
    g_vars = generator.trainable_variables
    bce = tf.keras.losses.BinaryCrossentropy()
    y1 = tf.constant([[0.]] * BATCH + [[1.]] * BATCH)
    y2 = tf.constant([[1.]] * BATCH)

    @tf.function
    def step(X_batch):
        generated = generator(tf.random.normal([BATCH, codings_size]), training=False)
        with tf.GradientTape() as tape:
            d_loss = bce(y1, discriminator(tf.concat([generated, X_batch], 0), training=True))
        discriminator.optimizer.apply_gradients(zip(tape.gradient(d_loss, d_vars), d_vars))
        with tf.GradientTape() as tape:
            fakes = generator(tf.random.normal([BATCH, codings_size]), training=True)
            g_loss = bce(y2, discriminator(fakes, training=True))
        gan.optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars))
        return d_loss, g_loss

    return step


def numpy_batches(X, seed=42):
    """Shuffled batches of X made on the Python thread, one epoch per call: the compiled GAN
    step's feed. A tf.data pipeline (`gan_dataset`) ran whole epochs of the compiled DCGAN at
    half speed on two cores (9.8 against 19.5 steps/s on a Zen 4; docs/performance.md), so the
    strongest Keras step is measured without it."""
    order = np.random.default_rng(seed).permutation(len(X))
    for i in range(len(X) // BATCH):
        yield tf.constant(X[order[i * BATCH:(i + 1) * BATCH]], tf.float32)


def bench_gan_compiled(build, codings_size, X, epochs, profile=False):
    _, _, gan = build(codings_size)
    step = compiled_gan_step(gan, codings_size)
    losses = []
    for epoch in range(epochs):
        start = time.perf_counter()
        for X_batch in numpy_batches(X, seed=epoch):
            d_loss, g_loss = step(X_batch)
        losses.append((float(d_loss), float(g_loss), time.perf_counter() - start))
        print(f"Epoch {epoch + 1}/{epochs} - {losses[-1][2]:.0f}s - d_loss: {losses[-1][0]:.4f}"
              f" - g_loss: {losses[-1][1]:.4f}", flush=True)
    if profile:
        batches = itertools.cycle(numpy_batches(X, seed=epochs))  # traced as timed: from NumPy
        print_profile(f"{build.__name__} (compiled)", lambda: step(next(batches)))
    return gan_result(len(X) // BATCH, losses)


def print_profile(name, run, runs=20):
    """Kernel time per op type over `runs` calls of `run`, from TF's profiler trace (the ops'
    own events; the Java `bench --profile` sums TF's step statistics the same way)."""
    import glob
    import tempfile
    from tensorflow.python.profiler.internal import _pywrap_profiler as profiler
    run()
    logdir = tempfile.mkdtemp(prefix="homl-profile-")
    tf.profiler.experimental.start(logdir)
    start = time.perf_counter()
    for _ in range(runs):
        run()
    wall = (time.perf_counter() - start) / runs
    tf.profiler.experimental.stop()
    paths = glob.glob(os.path.join(logdir, "**", "*.xplane.pb"), recursive=True)
    trace, ok = profiler.xspace_to_tools_data(paths, "trace_viewer@", {})  # @: the full, uncompressed trace
    if not ok:
        print(f"== profile {name}: the profiler gave no trace ({trace!r})")
        return
    events = json.loads(trace)["traceEvents"]
    # kernels run on TensorFlow's own threads (tf_Compute, tf_numa_..._Eigen); the Python thread
    # holds the wrappers around them (EagerExecute, the function call), which would count twice
    tf_threads = {(e["pid"], e["tid"]) for e in events if e.get("ph") == "M"
                  and e.get("name") == "thread_name" and e["args"]["name"].startswith("tf_")}
    by_type = {}
    for event in events:
        op = event.get("name", "")
        if (event.get("ph") != "X" or (event["pid"], event.get("tid")) not in tf_threads
                or "::" in op or op in ("ParallelFor", "FunctionRun")):
            continue  # not a kernel: thread-pool and executor bookkeeping
        total, count = by_type.get(op, (0.0, 0))
        by_type[op] = (total + event["dur"], count + 1)
    kernel = sum(t for t, _ in by_type.values()) / runs
    print(f"== profile {name}: {runs} traced steps: {wall * 1000:.2f} ms wall per step, "
          f"{kernel / 1000:.2f} ms summed kernel time")
    print(f"{'op type':38s} {'ms/step':>8s} {'share':>7s} {'ops/step':>8s}")
    for op, (total, count) in sorted(by_type.items(), key=lambda kv: -kv[1][0])[:25]:
        print(f"{op:38s} {total / runs / 1000:8.3f} {100 * total / runs / kernel:6.1f}% "
              f"{count / runs:8.1f}", flush=True)


def bench_unet(X_train, epochs, steps, T=4000, profile=False):
    alpha, alpha_cumprod, beta = models.variance_schedule(T)
    tf.random.set_seed(43)
    train_set = models.prepare_dataset(X_train, T, alpha_cumprod, BATCH, shuffle=True).repeat()
    model = models.build_diffusion_model(T=T)
    timer = EpochTimer()
    h = model.fit(train_set, epochs=epochs, steps_per_epoch=steps, callbacks=[timer], verbose=2)
    if profile:
        batches = iter(train_set)
        print_profile("diffusion U-Net (fit's train_function)",
                      lambda: model.train_on_batch(*next(batches)))
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


def step_flops(step, *specs):
    """Floating-point operations of one call of the tf.function `step`, from the ops' registered
    statistics (convolutions, matrix products, elementwise ops) in its graph."""
    graph = step.get_concrete_function(*specs).graph
    options = tf.compat.v1.profiler.ProfileOptionBuilder.float_operation()
    options["output"] = "none"
    return tf.compat.v1.profiler.profile(graph, options=options).total_float_ops


def fit_step(model):
    """What `fit` runs per batch, as a tf.function: forward, loss, gradients, update."""
    loss = tf.keras.losses.get(model.loss) if isinstance(model.loss, str) else model.loss

    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            value = loss(y, model(x, training=True)) + sum(model.losses)
        gradients = tape.gradient(value, model.trainable_variables)
        model.optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return value

    return step


def print_flops():
    image, dcgan_image = tf.TensorSpec([BATCH, 28, 28]), tf.TensorSpec([BATCH, 28, 28, 1])
    _, _, stacked = models.stacked_ae()
    _, _, variational = models.vae()
    unet = models.build_diffusion_model()
    unet_inputs = [dcgan_image, tf.TensorSpec([BATCH], tf.int32)]

    @tf.function
    def unet_step(x, t, noise):
        with tf.GradientTape() as tape:
            value = unet.loss(noise, unet({"X_noisy": x, "time": t}, training=True))
        gradients = tape.gradient(value, unet.trainable_variables)
        unet.optimizer.apply_gradients(zip(gradients, unet.trainable_variables))
        return value

    rows = {
        "stacked_ae": step_flops(fit_step(stacked), image, image),
        "variational_ae": step_flops(fit_step(variational), tf.TensorSpec([128, 28, 28]),
                                     tf.TensorSpec([128, 28, 28])),
        "gan": step_flops(compiled_gan_step(models.gan(30)[2], 30), image),
        "dcgan": step_flops(compiled_gan_step(models.dcgan(100)[2], 100), dcgan_image),
        "diffusion_model": step_flops(unet_step, *unet_inputs, dcgan_image),
        "sampling": step_flops(tf.function(lambda x, t: unet({"X_noisy": x, "time": t})),
                               *unet_inputs),
    }
    for name, flops in rows.items():
        print(f"{name:16s} {flops / 1e9:8.3f} GFLOP per step", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="*", metavar="MODEL", help=" ".join(ALL))
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--steps", type=int, help="train on the first N x 32 images only")
    parser.add_argument("--profile", action="store_true", help="print kernel time per op type")
    parser.add_argument("--flops", action="store_true",
                        help="print the floating-point operations per step and exit")
    parser.add_argument("--unet-steps", type=int, default=200)
    parser.add_argument("--json", help="write the results to this file")
    parser.add_argument("--precision", choices=["float32", "bf16"], default="float32",
                        help="bf16: TensorFlow's oneDNN bfloat16 rewrite, as the Java "
                             "bench --precision bf16 (CPUs with AVX512-BF16 or AMX)")
    args = parser.parse_args()
    if args.precision == "bf16":
        tf.config.optimizer.set_experimental_options(
            {"auto_mixed_precision_onednn_bfloat16": True})
    if args.flops:
        return print_flops()
    chosen = args.models or ALL
    unknown = sorted(set(chosen) - set(ALL))
    if unknown:
        parser.error(f"unknown model(s) {unknown}; choose from {ALL}")
    (X_train, _), (X_valid, _), _ = homl17.load_fashion_mnist()
    if args.steps:
        # the Java bench's rule: the first N x 32 training images, the first 128 validation ones
        X_valid = X_valid[:128]
        X_train = X_train[:args.steps * BATCH]
        args.unet_steps = args.steps
    results = {}
    if "stacked_ae" in chosen:
        _, _, stacked_ae = models.stacked_ae()
        results["stacked_ae"] = bench_fit(stacked_ae, X_train, X_valid, args.epochs, 32,
                                           args.profile)
    if "variational_ae" in chosen:
        _, _, variational_ae = models.vae()
        results["variational_ae"] = bench_fit(variational_ae, X_train, X_valid, args.epochs,
                                               128, args.profile)
    if "gan" in chosen:
        results["gan"] = bench_gan(models.gan, 30, X_train, args.epochs)
        results["gan_compiled"] = bench_gan_compiled(models.gan, 30, X_train, args.epochs,
                                                     args.profile)
    if "dcgan" in chosen:
        X_dcgan = X_train.reshape(-1, 28, 28, 1) * 2. - 1.
        results["dcgan"] = bench_gan(models.dcgan, 100, X_dcgan, args.epochs)
        results["dcgan_compiled"] = bench_gan_compiled(models.dcgan, 100, X_dcgan, args.epochs,
                                                       args.profile)
    unet = None
    if "diffusion_model" in chosen:
        results["diffusion_model"], unet = bench_unet(X_train, args.epochs, args.unet_steps,
                                                      profile=args.profile)
    if "sampling" in chosen:
        if unet is None:
            unet = models.build_diffusion_model()
        results["sampling"] = bench_sampling(unet)
    report = {"framework": f"tf_keras {homl17.tf_keras.__version__}, tensorflow {tf.__version__}",
              "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
              "epochs": args.epochs, "precision": args.precision, "results": results}
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
