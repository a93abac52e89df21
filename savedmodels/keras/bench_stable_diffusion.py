"""Times KerasCV's Stable Diffusion pipeline in Python on the SavedModels Java runs.

    savedmodels/keras/.venv-sd/bin/python savedmodels/keras/bench_stable_diffusion.py \
        --model DIR [--size 64] [--steps 50] [--prompt TEXT]

The same work as `generate --model DIR --prompt TEXT --size S --steps N` in Java: the three
SavedModels of export_stable_diffusion.py loaded with tf.saved_model.load, the prompt and the
unconditional tokens through "encode_text", per DDIM step two "predict_noise" calls (as KerasCV's
text_to_image makes them) with guidance 7.5 and the DDIM update, then "decode". Prints the load
time, each step's time and the mean; run it under /usr/bin/time -v for the peak resident memory.
"""

import argparse
import math
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras_cv.src.models.stable_diffusion.clip_tokenizer import SimpleTokenizer  # noqa: E402
from keras_cv.src.models.stable_diffusion.constants import (  # noqa: E402
    _ALPHAS_CUMPROD,
    _UNCONDITIONAL_TOKENS,
)


def embedding(t, dim=320, max_period=10000):
    half = dim // 2
    freqs = tf.exp(-math.log(max_period) * tf.range(half, dtype=tf.float32) / half)
    args = tf.constant([t], tf.float32) * freqs
    return tf.reshape(tf.concat([tf.cos(args), tf.sin(args)], 0), [1, -1])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--guidance", type=float, default=7.5)
    p.add_argument("--prompt", default="a salamander reading a book")
    args = p.parse_args()
    t0 = time.time()
    text_encoder = tf.saved_model.load(os.path.join(args.model, "text_encoder"))
    unet = tf.saved_model.load(os.path.join(args.model, "diffusion_model"))
    decoder = tf.saved_model.load(os.path.join(args.model, "decoder"))
    encode = text_encoder.signatures["encode_text"]
    predict = unet.signatures["predict_noise"]
    decode = decoder.signatures["decode"]
    print(f"loaded {args.model} in {time.time() - t0:.1f} s", flush=True)
    tokenizer = SimpleTokenizer(bpe_path=os.path.join(args.model, "bpe_simple_vocab_16e6.txt.gz"))
    ids = tokenizer.encode(args.prompt)
    ids = ids + [49407] * (77 - len(ids))
    positions = tf.constant([list(range(77))], tf.int32)
    context = encode(tokens=tf.constant([ids], tf.int32), positions=positions)["context"]
    uncond = encode(tokens=tf.constant([_UNCONDITIONAL_TOKENS], tf.int32),
                    positions=positions)["context"]
    h = args.size // 8
    latent = tf.constant(np.random.default_rng(1).standard_normal((1, h, h, 4)), tf.float32)
    ratio = 999 / (args.steps - 1) if args.steps > 1 else 1000
    timesteps = (np.arange(args.steps) * ratio).round().astype(np.int64)
    alphas = [_ALPHAS_CUMPROD[t] for t in timesteps]
    alphas_prev = [1.0] + alphas[:-1]
    times, cpu_times = [], []
    cpu = time.process_time()  # all threads of the process, TensorFlow's too
    for i, (index, t) in enumerate(list(enumerate(timesteps))[::-1]):
        start = time.time()
        t_emb = embedding(float(t))
        u = predict(latent=latent, timestep_embedding=t_emb, context=uncond)["noise"]
        c = predict(latent=latent, timestep_embedding=t_emb, context=context)["noise"]
        eps = u + args.guidance * (c - u)
        a_t, a_prev = alphas[index], alphas_prev[index]
        x0 = (latent - math.sqrt(1 - a_t) * eps) / math.sqrt(a_t)
        latent = eps * math.sqrt(1.0 - a_prev) + math.sqrt(a_prev) * x0
        times.append(time.time() - start)
        cpu_times.append(time.process_time() - cpu)
        cpu = time.process_time()
        print(f"step {i + 1}/{args.steps} (t={t}): {times[-1]:.2f} s ({cpu_times[-1]:.2f} s of CPU)",
              flush=True)
    start = time.time()
    image = decode(latent=latent)["image"].numpy()
    print(f"decoded {image.shape} in {time.time() - start:.1f} s")
    rest = slice(1, None) if len(times) > 1 else slice(None)
    print(f"Python, {args.size}x{args.size}: {np.mean(times[rest]):.3f} s per step, "
          f"{np.mean(cpu_times[rest]):.3f} s of CPU (2 U-Net calls; first step {times[0]:.2f} s, "
          "excluded from the means when there are more)")


if __name__ == "__main__":
    main()
