"""Times the notebook's DDPM `generate` loop (models.generate: one U-Net call at batch 32 and the
update per step) on a diffusion model exported by `train.py diffusion`, the Python half of the
sampling comparison whose Java half is `sample --model DIR` (see savedmodels/README.md).

    .venv/bin/python sample_timing.py out/diffusion/model [--steps 200] [--warmup 5] [--T 4000]

The same weights are called two ways, each timed over --steps steps after --warmup steps:
  keras      the notebook's U-Net (models.build_diffusion_model, the book's sizes) with the
             SavedModel's weights restored, called as the notebook calls it:
             model({"X_noisy": X, "time": t}), Keras's eager __call__
  signature  the SavedModel's serving_default (a traced graph function) in the same loop
Before timing, the restored Keras model must give the SavedModel's outputs to 1e-5.
"""
import argparse
import os
from pathlib import Path

import bench
import models
import numpy as np
import tensorflow as tf


def restored_unet(model_dir, T):
    """The book's U-Net with the weights of a `train.py diffusion` export (saved as the module's
    `weights` list, in the order the model creates them)."""
    model = models.build_diffusion_model(T=T)
    checkpoint = tf.train.Checkpoint(weights=model.variables)
    checkpoint.read(str(Path(model_dir) / "variables" / "variables")).assert_existing_objects_matched()
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model_dir")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--T", type=int, default=4000)
    args = parser.parse_args()
    serve = tf.saved_model.load(args.model_dir).signatures["serving_default"]
    unet = restored_unet(args.model_dir, args.T)

    rng = np.random.default_rng(42)
    x = rng.standard_normal((4, 28, 28, 1)).astype(np.float32)
    t = np.array([1, 1000, 2000, 3999], np.int32)
    diff = float(np.max(np.abs(unet({"X_noisy": x, "time": t}, training=False).numpy()
                               - serve(x_noisy=x, time=t)["noise"].numpy())))
    assert diff < 1e-5, f"the restored U-Net differs from the SavedModel by {diff}"

    def signature(inputs):
        return serve(x_noisy=inputs["X_noisy"], time=inputs["time"])["noise"]

    print(f"load average {os.getloadavg()[0]:.2f}; restored U-Net = SavedModel (max|diff| "
          f"{diff:.2g})", flush=True)
    for name, model in (("keras", unet), ("signature", signature)):
        r = bench.bench_sampling(model, T=args.T, warmup=args.warmup, steps=args.steps)
        print(f"python {name:9s}: {r['steps']} DDPM steps at batch 32 in {r['seconds']:.2f} s = "
              f"{1000 * r['seconds'] / r['steps']:.1f} ms/step ({r['steps_per_second']:.1f} "
              f"steps/s; load average {os.getloadavg()[0]:.2f})", flush=True)


if __name__ == "__main__":
    main()
