"""Reference samplers for any denoiser: the book's DDPM reverse process and deterministic DDIM
(eta = 0), written in float32 NumPy in the same order of operations as the Java `sample` command
(io.github.homl.diffusion.HostSampler), so both give the same images for the same noise.

`denoise(x_t, t)` is any callable returning the predicted noise for images x_t [n, h, w, c] and a
time step t (an int); `schedule` is models.variance_schedule(T): (alpha, alpha_cumprod, beta),
each float32 of length T + 1.

Noise layout (what `sample --noise FILE.npy` reads): float32 [k, n, h, w, c]; slab 0 is x_T, and for
DDPM slab j (j = 1 .. T - 2) is the z added at t = T - j (z = 0 at t = 1), so DDPM needs k >= T - 1
and DDIM k >= 1.
"""
import numpy as np


def ddpm(denoise, schedule, noise):
    """The notebook's generate(): t = T - 1 down to 1 (t = T is never used), sigma_t^2 = beta_t."""
    alpha, alpha_cumprod, beta = schedule
    T = len(alpha) - 1
    x = np.array(noise[0], np.float32)
    for j, t in enumerate(range(T - 1, 0, -1), start=1):
        eps = np.asarray(denoise(x, t), np.float32)
        c1 = np.float32(1) / np.sqrt(alpha[t])
        c2 = beta[t] / np.sqrt(np.float32(1) - alpha_cumprod[t])
        x = c1 * (x - c2 * eps)
        if t > 1:
            x = x + np.sqrt(beta[t]) * np.asarray(noise[j], np.float32)
    return x


def ddim_times(T, steps):
    """`steps` time steps from T - 1 down to 1, evenly spaced, rounded half up."""
    if steps == 1:
        return [T - 1]
    return [int(np.floor(T - 1 - i * (T - 2) / (steps - 1) + 0.5)) for i in range(steps)]


def ddim(denoise, schedule, noise, steps):
    """DDIM eq. 12 with sigma = 0: x0 = clip((x_t - sqrt(1 - a_t) eps) / sqrt(a_t), -1, 1), eps
    recomputed from x0, x_prev = sqrt(a_prev) x0 + sqrt(1 - a_prev) eps; the last step lands on
    alpha_cumprod[0] = 1."""
    _, alpha_cumprod, _ = schedule
    T = len(alpha_cumprod) - 1
    times = ddim_times(T, steps)
    x = np.array(noise[0], np.float32)
    one = np.float32(1)
    for i, t in enumerate(times):
        prev = times[i + 1] if i + 1 < len(times) else 0
        eps = np.asarray(denoise(x, t), np.float32)
        sqrt_a = np.sqrt(alpha_cumprod[t])
        sqrt_one_minus_a = np.sqrt(one - alpha_cumprod[t])
        x0 = np.clip((x - sqrt_one_minus_a * eps) / sqrt_a, -one, one)
        eps = (x - sqrt_a * x0) / sqrt_one_minus_a
        x = np.sqrt(alpha_cumprod[prev]) * x0 + np.sqrt(one - alpha_cumprod[prev]) * eps
    return x


def to_samples(x):
    """[n, h, w, 1] in [-1, 1] -> [n, h, w] by (x + 1) / 2, what `sample --samples` writes."""
    x = np.asarray(x, np.float32)
    if x.shape[-1] == 1:
        x = x[..., 0]
    return x * np.float32(0.5) + np.float32(0.5)
