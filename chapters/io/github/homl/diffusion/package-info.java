/**
 * Diffusion machinery that does not need our own U-Net: the book's cosine variance schedule
 * ({@link io.github.homl.diffusion.CosineSchedule}) and the DDPM and DDIM reverse loops on the host
 * ({@link io.github.homl.diffusion.HostSampler}), which call any denoiser once per step, such as a
 * SavedModel exported by Java, tf_keras or Keras 3 (the {@code sample} command). Start with {@code
 * HostSampler}.
 */
package io.github.homl.diffusion;
