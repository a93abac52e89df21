"""The book's chapter 17 models in tf_keras, layer for layer as the notebook builds them
(docs/notebook-reference.md). Every builder calls tf.random.set_seed(42) first,
as the notebook does before each model."""
import time

import homl17  # noqa: F401  (sets TF_USE_LEGACY_KERAS before TensorFlow is imported)
import numpy as np
import tensorflow as tf


# --- Stacked autoencoder (cell 30): 784-100-30-100-784, MSE, Nadam, 20 epochs, batch 32 -----------
def stacked_ae(seed=42, units=(100, 30)):
    """`units`: the book's hidden and codings sizes (the fixtures narrow them)."""
    tf.random.set_seed(seed)
    stacked_encoder = tf.keras.Sequential([
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(units[0], activation="relu"),
        tf.keras.layers.Dense(units[1], activation="relu"),
    ])
    stacked_decoder = tf.keras.Sequential([
        tf.keras.layers.Dense(units[0], activation="relu"),
        tf.keras.layers.Dense(28 * 28),
        tf.keras.layers.Reshape([28, 28]),
    ])
    stacked_ae = tf.keras.Sequential([stacked_encoder, stacked_decoder])
    stacked_ae.compile(loss="mse", optimizer=tf.keras.optimizers.Nadam())
    return stacked_encoder, stacked_decoder, stacked_ae


# --- Variational autoencoder (cells 81-95): 10 codings, latent loss / 784, 25 epochs, batch 128 ---
class Sampling(tf.keras.layers.Layer):
    """codings = mean + exp(log_var / 2) * eps; samples in every mode (no training flag)."""

    def call(self, inputs):
        mean, log_var = inputs
        return tf.random.normal(tf.shape(log_var)) * tf.exp(log_var / 2) + mean


def vae(codings_size=10, seed=42, units=(150, 100)):
    """`units`: the book's two hidden layer sizes (the fixtures narrow them)."""
    tf.random.set_seed(seed)
    inputs = tf.keras.layers.Input(shape=[28, 28])
    Z = tf.keras.layers.Flatten()(inputs)
    Z = tf.keras.layers.Dense(units[0], activation="relu")(Z)
    Z = tf.keras.layers.Dense(units[1], activation="relu")(Z)
    codings_mean = tf.keras.layers.Dense(codings_size)(Z)  # μ
    codings_log_var = tf.keras.layers.Dense(codings_size)(Z)  # γ
    codings = Sampling()([codings_mean, codings_log_var])
    variational_encoder = tf.keras.Model(
        inputs=[inputs], outputs=[codings_mean, codings_log_var, codings])

    decoder_inputs = tf.keras.layers.Input(shape=[codings_size])
    x = tf.keras.layers.Dense(units[1], activation="relu")(decoder_inputs)
    x = tf.keras.layers.Dense(units[0], activation="relu")(x)
    x = tf.keras.layers.Dense(28 * 28)(x)
    outputs = tf.keras.layers.Reshape([28, 28])(x)
    variational_decoder = tf.keras.Model(inputs=[decoder_inputs], outputs=[outputs])

    _, _, codings = variational_encoder(inputs)
    reconstructions = variational_decoder(codings)
    variational_ae = tf.keras.Model(inputs=[inputs], outputs=[reconstructions])

    latent_loss = -0.5 * tf.reduce_sum(
        1 + codings_log_var - tf.exp(codings_log_var) - tf.square(codings_mean), axis=-1)
    variational_ae.add_loss(tf.reduce_mean(latent_loss) / 784.)
    variational_ae.compile(loss="mse", optimizer=tf.keras.optimizers.Nadam())
    return variational_encoder, variational_decoder, variational_ae


# --- Simple GAN (cells 97-102): codings 30, RMSprop, BCE, batch 32, 50 epochs --------------------
def gan(codings_size=30, seed=42):
    tf.random.set_seed(seed)
    generator = tf.keras.Sequential([
        tf.keras.layers.Dense(100, activation="relu", kernel_initializer="he_normal"),
        tf.keras.layers.Dense(150, activation="relu", kernel_initializer="he_normal"),
        tf.keras.layers.Dense(28 * 28, activation="sigmoid"),
        tf.keras.layers.Reshape([28, 28]),
    ])
    discriminator = tf.keras.Sequential([
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(150, activation="relu", kernel_initializer="he_normal"),
        tf.keras.layers.Dense(100, activation="relu", kernel_initializer="he_normal"),
        tf.keras.layers.Dense(1, activation="sigmoid"),
    ])
    return _compile_gan(generator, discriminator)


def _compile_gan(generator, discriminator):
    gan = tf.keras.Sequential([generator, discriminator])
    discriminator.compile(loss="binary_crossentropy", optimizer="rmsprop")
    discriminator.trainable = False
    gan.compile(loss="binary_crossentropy", optimizer="rmsprop")
    return generator, discriminator, gan


# --- DCGAN (cells 104-108): codings 100, images in [-1, 1], 50 epochs ----------------------------
def dcgan(codings_size=100, seed=42, filters=(128, 64)):
    """`filters`: the generator's two widths, the book's 128 and 64 (the fixtures narrow them)."""
    tf.random.set_seed(seed)
    generator = tf.keras.Sequential([
        tf.keras.layers.Dense(7 * 7 * filters[0]),
        tf.keras.layers.Reshape([7, 7, filters[0]]),
        tf.keras.layers.BatchNormalization(),
        tf.keras.layers.Conv2DTranspose(filters[1], kernel_size=5, strides=2, padding="same",
                                        activation="relu"),
        tf.keras.layers.BatchNormalization(),
        tf.keras.layers.Conv2DTranspose(1, kernel_size=5, strides=2, padding="same",
                                        activation="tanh"),
    ])
    discriminator = tf.keras.Sequential([
        tf.keras.layers.Conv2D(64, kernel_size=5, strides=2, padding="same",
                               activation=tf.keras.layers.LeakyReLU(0.2)),
        tf.keras.layers.Dropout(0.4),
        tf.keras.layers.Conv2D(128, kernel_size=5, strides=2, padding="same",
                               activation=tf.keras.layers.LeakyReLU(0.2)),
        tf.keras.layers.Dropout(0.4),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(1, activation="sigmoid"),
    ])
    return _compile_gan(generator, discriminator)


def train_gan(gan, dataset, batch_size, codings_size, n_epochs, steps_per_epoch=None):
    """The notebook's train_gan: phase 1 trains the discriminator on fakes (0) and reals (1); phase 2
    trains the generator (through the frozen discriminator) to make it answer 1. Returns the last
    (d_loss, g_loss, seconds) of each epoch (the notebook never prints the losses)."""
    generator, discriminator = gan.layers
    losses = []
    for epoch in range(n_epochs):
        start = time.perf_counter()
        print(f"Epoch {epoch + 1}/{n_epochs}", flush=True)
        for step, X_batch in enumerate(dataset):
            if steps_per_epoch is not None and step >= steps_per_epoch:
                break
            # phase 1 - training the discriminator
            noise = tf.random.normal(shape=[batch_size, codings_size])
            generated_images = generator(noise)
            X_fake_and_real = tf.concat([generated_images, X_batch], axis=0)
            y1 = tf.constant([[0.]] * batch_size + [[1.]] * batch_size)
            d_loss = discriminator.train_on_batch(X_fake_and_real, y1)
            # phase 2 - training the generator
            noise = tf.random.normal(shape=[batch_size, codings_size])
            y2 = tf.constant([[1.]] * batch_size)
            g_loss = gan.train_on_batch(noise, y2)
        losses.append((float(d_loss), float(g_loss), time.perf_counter() - start))
    return losses


# --- Diffusion (cells 110-130): cosine schedule T=4000, U-Net of §2, Huber, Nadam ----------------
def variance_schedule(T, s=0.008, max_beta=0.999):
    t = np.arange(T + 1)
    f = np.cos((t / T + s) / (1 + s) * np.pi / 2) ** 2
    alpha = np.clip(f[1:] / f[:-1], 1 - max_beta, 1)
    alpha = np.append(1, alpha).astype(np.float32)  # add α₀ = 1
    beta = 1 - alpha
    alpha_cumprod = np.cumprod(alpha)
    return alpha, alpha_cumprod, beta


class TimeEncoding(tf.keras.layers.Layer):
    """Sinusoidal time encoding: column 2k = sin(t / 10000^(2k/d)), column 2k+1 = cos(...)."""

    def __init__(self, T, embed_size, dtype=tf.float32, **kwargs):
        super().__init__(dtype=dtype, **kwargs)
        assert embed_size % 2 == 0, "embed_size must be even"
        p, i = np.meshgrid(np.arange(T + 1), 2 * np.arange(embed_size // 2))
        t_emb = np.empty((T + 1, embed_size))
        t_emb[:, ::2] = np.sin(p / 10_000 ** (i / embed_size)).T
        t_emb[:, 1::2] = np.cos(p / 10_000 ** (i / embed_size)).T
        self.time_encodings = tf.constant(t_emb.astype(self.dtype))

    def call(self, inputs):
        return tf.gather(self.time_encodings, inputs)


def build_diffusion_model(T=4000, embed_size=64, dims=(16, 32, 64, 128), seed=42):
    """The notebook's U-Net (docs/notebook-reference.md); `dims` = (stem, down...) so a smoke run
    can shrink it."""
    tf.random.set_seed(seed)
    layers = tf.keras.layers
    X_noisy = layers.Input(shape=[28, 28, 1], name="X_noisy")
    time_input = layers.Input(shape=[], dtype=tf.int32, name="time")
    time_enc = TimeEncoding(T, embed_size)(time_input)

    dim = dims[0]
    Z = layers.ZeroPadding2D((3, 3))(X_noisy)
    Z = layers.Conv2D(dim, 3)(Z)
    Z = layers.BatchNormalization()(Z)
    Z = layers.Activation("relu")(Z)

    time = layers.Dense(dim)(time_enc)  # adapt time encoding to the number of channels
    Z = time[:, tf.newaxis, tf.newaxis, :] + Z  # add time data to every pixel

    skip = Z
    cross_skips = []  # skip outputs of the downsampling path, for the upsampling path

    for dim in dims[1:]:
        Z = layers.Activation("relu")(Z)
        Z = layers.SeparableConv2D(dim, 3, padding="same")(Z)
        Z = layers.BatchNormalization()(Z)
        Z = layers.Activation("relu")(Z)
        Z = layers.SeparableConv2D(dim, 3, padding="same")(Z)
        Z = layers.BatchNormalization()(Z)
        cross_skips.append(Z)
        Z = layers.MaxPooling2D(3, strides=2, padding="same")(Z)
        skip_link = layers.Conv2D(dim, 1, strides=2, padding="same")(skip)
        Z = layers.add([Z, skip_link])  # add the skip link back
        time = layers.Dense(dim)(time_enc)
        Z = time[:, tf.newaxis, tf.newaxis, :] + Z
        skip = Z

    for dim in dims[-2::-1]:
        Z = layers.Activation("relu")(Z)
        Z = layers.Conv2DTranspose(dim, 3, padding="same")(Z)
        Z = layers.BatchNormalization()(Z)
        Z = layers.Activation("relu")(Z)
        Z = layers.Conv2DTranspose(dim, 3, padding="same")(Z)
        Z = layers.BatchNormalization()(Z)
        Z = layers.UpSampling2D(2)(Z)
        skip_link = layers.UpSampling2D(2)(skip)
        skip_link = layers.Conv2D(dim, 1, padding="same")(skip_link)
        Z = layers.add([Z, skip_link])
        time = layers.Dense(dim)(time_enc)
        Z = time[:, tf.newaxis, tf.newaxis, :] + Z
        Z = layers.concatenate([Z, cross_skips.pop()], axis=-1)
        skip = Z

    outputs = layers.Conv2D(1, 3, padding="same")(Z)[:, 2:-2, 2:-2]
    model = tf.keras.Model(inputs=[X_noisy, time_input], outputs=[outputs])
    model.compile(loss=tf.keras.losses.Huber(), optimizer=tf.keras.optimizers.Nadam())
    return model


def prepare_batch(X, T, alpha_cumprod):
    """[B, 28, 28] in [0, 1] -> ({"X_noisy", "time"}, noise): DDPM eq. 4, x_t = √ᾱ x₀ + √(1-ᾱ) ε."""
    X = tf.cast(X[..., tf.newaxis], tf.float32) * 2 - 1  # scale from -1 to +1
    X_shape = tf.shape(X)
    t = tf.random.uniform([X_shape[0]], minval=1, maxval=T + 1, dtype=tf.int32)
    alpha_cm = tf.gather(alpha_cumprod, t)
    alpha_cm = tf.reshape(alpha_cm, [X_shape[0]] + [1] * (len(X.shape) - 1))
    noise = tf.random.normal(X_shape)
    return {"X_noisy": alpha_cm ** 0.5 * X + (1 - alpha_cm) ** 0.5 * noise, "time": t}, noise


def prepare_dataset(X, T, alpha_cumprod, batch_size=32, shuffle=False):
    ds = tf.data.Dataset.from_tensor_slices(X)
    if shuffle:
        ds = ds.shuffle(10_000)
    return ds.batch(batch_size).map(
        lambda X: prepare_batch(X, T, alpha_cumprod)).prefetch(1)


def generate(model, T, alpha, alpha_cumprod, beta, batch_size=32, t_stop=0, verbose=True):
    """DDPM Algorithm 2 with σ_t² = β_t, t = T-1 down to 1 as the notebook (t = T is never used)."""
    X = tf.random.normal([batch_size, 28, 28, 1])
    for t in range(T - 1, t_stop, -1):
        if verbose:
            print(f"\rt = {t}", end=" ", flush=True)
        noise = (tf.random.normal if t > 1 else tf.zeros)(tf.shape(X))
        X_noise = model({"X_noisy": X, "time": tf.constant([t] * batch_size)})
        X = (
            1 / alpha[t] ** 0.5
            * (X - beta[t] / (1 - alpha_cumprod[t]) ** 0.5 * X_noise)
            + (1 - alpha[t]) ** 0.5 * noise
        )
    if verbose:
        print()
    return X
