"""Exports KerasCV's Stable Diffusion (keras-cv 0.9.0) as three TF 2.18 SavedModels for Java.

    savedmodels/keras/.venv-sd/bin/python savedmodels/keras/export_stable_diffusion.py \
        --out DIR [--random-weights [--seed N]] [--reference-prompt TEXT --reference-out REFDIR]

DIR receives
  text_encoder/     signature "encode_text":   tokens, positions int32 [b, 77] -> context [b, 77, 768]
  diffusion_model/  signature "predict_noise": latent [b, h/8, w/8, 4], timestep_embedding [b, 320],
                                               context [b, 77, 768] -> noise [b, h/8, w/8, 4]
  decoder/          signature "decode":        latent [b, h/8, w/8, 4] -> image [b, h, w, 3] in [-1, 1]
  bpe_simple_vocab_16e6.txt.gz                 CLIP's byte-pair vocabulary (SHA-256 checked)
  stable_diffusion.json                        what was exported (the Java side detects the folder by it)

The latent's height and width are left open in the signatures, so one export serves every image size
that is a multiple of 64. KerasCV's U-Net reads the static spatial shape in three places (its
SpatialTransformer, CrossAttention and td_dot reshape to h * w); they are replaced, only while the
signature is traced, by the same reshapes on the dynamic shape: the same ops on the same values.

Weights: KerasCV's own (downloaded at first use into ~/.keras/datasets, or found there), or, with
--random-weights, Keras's initializers under keras.utils.set_random_seed(--seed). Each model is saved
with tf.saved_model.save on a tf.Module holding the model's variables once (Keras 3's model.export
wrote twice the bytes of the float32 weights).

--reference-prompt runs KerasCV's own StableDiffusion.text_to_image at --reference-size (64) on the
same Keras models, in this process, with the initial latent noise drawn by numpy from
--reference-noise-seed, and writes REFDIR/{noise,latent,image}.npy and prompt.txt for the Java
equality test (StableDiffusionEqualityTest).
"""

import argparse
import hashlib
import json
import os
import shutil
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import ops  # noqa: E402
from keras_cv.src.models.stable_diffusion import diffusion_model as kcv_unet  # noqa: E402
from keras_cv.src.models.stable_diffusion.clip_tokenizer import SimpleTokenizer  # noqa: E402
from keras_cv.src.models.stable_diffusion.decoder import Decoder  # noqa: E402
from keras_cv.src.models.stable_diffusion.diffusion_model import DiffusionModel  # noqa: E402
from keras_cv.src.models.stable_diffusion.stable_diffusion import (  # noqa: E402
    MAX_PROMPT_LENGTH,
    StableDiffusion,
)
from keras_cv.src.models.stable_diffusion.text_encoder import TextEncoder  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
VOCAB_NAME = "bpe_simple_vocab_16e6.txt.gz"
VOCAB_SHA256 = "924691ac288e54409236115652ad4aa250f48203de50a9e4722a6ecd48d6804a"
# the latent size the Keras models are built at; the signatures accept any size
BUILD_SIZE = 64


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _dim(x, i):
    d = x.shape[i]
    return ops.shape(x)[i] if d is None else d


def _spatial_transformer_call(self, inputs):
    inputs, context = inputs
    h, w, c = _dim(inputs, 1), _dim(inputs, 2), inputs.shape[3]
    x = self.norm(inputs)
    x = self.proj1(x)
    x = ops.reshape(x, (-1, h * w, c))
    x = self.transformer_block([x, context])
    x = ops.reshape(x, (-1, h, w, c))
    return self.proj2(x) + inputs


def _cross_attention_call(self, inputs, context=None):
    if context is None:
        context = inputs
    q, k, v = self.to_q(inputs), self.to_k(context), self.to_v(context)
    q = ops.reshape(q, (-1, _dim(inputs, 1), self.num_heads, self.head_size))
    k = ops.reshape(k, (-1, _dim(context, 1), self.num_heads, self.head_size))
    v = ops.reshape(v, (-1, _dim(context, 1), self.num_heads, self.head_size))
    q = ops.transpose(q, (0, 2, 1, 3))
    k = ops.transpose(k, (0, 2, 3, 1))
    v = ops.transpose(v, (0, 2, 1, 3))
    score = _td_dot(q, k) * self.scale
    weights = keras.activations.softmax(score)
    attn = _td_dot(weights, v)
    attn = ops.transpose(attn, (0, 2, 1, 3))
    out = ops.reshape(attn, (-1, _dim(inputs, 1), self.num_heads * self.head_size))
    return self.out_proj(out)


def _td_dot(a, b):
    aa = ops.reshape(a, (-1, _dim(a, 2), _dim(a, 3)))
    bb = ops.reshape(b, (-1, _dim(b, 2), _dim(b, 3)))
    cc = keras.layers.Dot(axes=(2, 1))([aa, bb])
    return ops.reshape(cc, (-1, a.shape[1], _dim(cc, 1), _dim(cc, 2)))


def open_spatial_shapes():
    """KerasCV's U-Net reshapes with the same ops, on the dynamic height and width."""
    kcv_unet.SpatialTransformer.call = _spatial_transformer_call
    kcv_unet.CrossAttention.call = _cross_attention_call
    kcv_unet.td_dot = _td_dot


def save(model, out_dir, key, input_specs, output_name):
    """tf.saved_model.save of one signature over a module that tracks each variable once."""
    module = tf.Module()
    module.weights = [v.value if hasattr(v, "value") else v for v in model.weights]

    @tf.function(input_signature=list(input_specs.values()))
    def serve(*args):
        inputs = dict(zip(input_specs, args))
        if len(inputs) == 1:
            inputs = args[0]
        return {output_name: model(inputs, training=False)}

    module.serve = serve
    tmp = out_dir + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tf.saved_model.save(module, tmp, signatures={key: serve})
    shutil.rmtree(out_dir, ignore_errors=True)
    os.replace(tmp, out_dir)


def du(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True, help="the export folder (three SavedModels)")
    p.add_argument("--random-weights", action="store_true",
                   help="Keras's initializers instead of KerasCV's downloaded weights")
    p.add_argument("--seed", type=int, default=0, help="seed of the random weights (default 0)")
    p.add_argument("--vocab", default=os.path.join(HERE, ".cache", VOCAB_NAME),
                   help="CLIP's vocabulary (setup_sd.sh fetches it)")
    p.add_argument("--reference-prompt", help="also run KerasCV's text_to_image on this prompt")
    p.add_argument("--reference-out", help="folder for the reference run's .npy files")
    p.add_argument("--reference-size", type=int, default=64)
    p.add_argument("--reference-steps", type=int, default=50)
    p.add_argument("--reference-guidance", type=float, default=7.5)
    p.add_argument("--reference-noise-seed", type=int, default=1)
    args = p.parse_args()
    if not os.path.isfile(args.vocab) or sha256(args.vocab) != VOCAB_SHA256:
        sys.exit(f"{args.vocab}: missing or not CLIP's vocabulary (SHA-256 {VOCAB_SHA256}); "
                 "run savedmodels/keras/setup_sd.sh")
    if args.reference_prompt and not args.reference_out:
        sys.exit("--reference-prompt needs --reference-out DIR")

    download = not args.random_weights
    if args.random_weights:
        keras.utils.set_random_seed(args.seed)
    t0 = time.time()
    text_encoder = TextEncoder(MAX_PROMPT_LENGTH, download_weights=download)
    unet = DiffusionModel(BUILD_SIZE, BUILD_SIZE, MAX_PROMPT_LENGTH, download_weights=download)
    decoder = Decoder(BUILD_SIZE, BUILD_SIZE, download_weights=download)
    log(f"built the three models in {time.time() - t0:.0f} s: "
        + ", ".join(f"{m.name} {m.count_params() / 1e6:.0f} M parameters"
                    for m in (text_encoder, unet, decoder)))

    if args.reference_prompt:
        reference(args, text_encoder, unet, decoder)

    os.makedirs(args.out, exist_ok=True)
    open_spatial_shapes()
    b, t = None, MAX_PROMPT_LENGTH
    jobs = [
        (text_encoder, "text_encoder", "encode_text",
         {"tokens": tf.TensorSpec([b, t], tf.int32, "tokens"),
          "positions": tf.TensorSpec([b, t], tf.int32, "positions")}, "context"),
        (unet, "diffusion_model", "predict_noise",
         {"latent": tf.TensorSpec([b, None, None, 4], tf.float32, "latent"),
          "timestep_embedding": tf.TensorSpec([b, 320], tf.float32, "timestep_embedding"),
          "context": tf.TensorSpec([b, t, 768], tf.float32, "context")}, "noise"),
        (decoder, "decoder", "decode",
         {"latent": tf.TensorSpec([b, None, None, 4], tf.float32, "latent")}, "image"),
    ]
    for model, name, key, specs, output in jobs:
        t0 = time.time()
        path = os.path.join(args.out, name)
        save(model, path, key, specs, output)
        log(f"saved {path} ({du(path) / 1e9:.2f} GB, {model.count_params() * 4 / 1e9:.2f} GB "
            f"of float32 weights) in {time.time() - t0:.0f} s")
    shutil.copyfile(args.vocab, os.path.join(args.out, VOCAB_NAME))
    manifest = {
        "model": "KerasCV StableDiffusion (v1)",
        "keras_cv": "0.9.0",
        "tensorflow": tf.__version__,
        "weights": f"random (Keras initializers, seed {args.seed})" if args.random_weights
        else "KerasCV's pretrained weights",
        "max_prompt_length": MAX_PROMPT_LENGTH,
        "vocabulary": {"file": VOCAB_NAME, "sha256": VOCAB_SHA256},
        "signatures": {name: key for _, name, key, _, _ in jobs},
    }
    tmp = os.path.join(args.out, "stable_diffusion.json.tmp")
    with open(tmp, "w") as f:
        json.dump(manifest, f, indent=2)
    os.replace(tmp, os.path.join(args.out, "stable_diffusion.json"))
    log(f"exported to {args.out}")


def reference(args, text_encoder, unet, decoder):
    """KerasCV's own text_to_image on these models, with numpy's noise for the initial latent."""
    size = args.reference_size
    sd = StableDiffusion(img_height=128, img_width=128, jit_compile=False)
    sd.img_height = sd.img_width = size  # KerasCV rounds sizes to 128; 64 is set after
    sd._text_encoder, sd._diffusion_model, sd._decoder = text_encoder, unet, decoder
    sd._tokenizer = SimpleTokenizer(bpe_path=args.vocab)
    rng = np.random.default_rng(args.reference_noise_seed)
    noise = rng.standard_normal((1, size // 8, size // 8, 4)).astype(np.float32)
    sd._get_initial_diffusion_noise = lambda batch_size, seed: tf.constant(noise)
    latents = []
    predict = decoder.predict_on_batch
    decoder.predict_on_batch = lambda x: latents.append(np.asarray(x)) or predict(x)
    t0 = time.time()
    image = sd.text_to_image(args.reference_prompt, num_steps=args.reference_steps,
                             unconditional_guidance_scale=args.reference_guidance)
    decoder.predict_on_batch = predict
    log(f"KerasCV's text_to_image at {size}x{size}, {args.reference_steps} steps: "
        f"{time.time() - t0:.1f} s")
    os.makedirs(args.reference_out, exist_ok=True)
    for name, value in (("noise", noise), ("latent", latents[-1]), ("image", image)):
        np.save(os.path.join(args.reference_out, name + ".npy"), value)
    with open(os.path.join(args.reference_out, "prompt.txt"), "w") as f:
        f.write(args.reference_prompt)
    with open(os.path.join(args.reference_out, "settings.json"), "w") as f:
        json.dump({"size": size, "steps": args.reference_steps,
                   "guidance": args.reference_guidance}, f)


if __name__ == "__main__":
    main()
