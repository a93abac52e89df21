/**
 * The machinery of the diffusion section: the variance schedule ({@link
 * io.github.homl.diffusion.Schedule}), the notebook's {@code prepare_batch} ({@link
 * io.github.homl.diffusion.NoisyBatch}), the U-Net and its {@code TimeEncoding}, the training step,
 * and the samplers: the book's DDPM and DDIM, each step written once as ops ({@link
 * io.github.homl.diffusion.ReverseStep}), driven either by one in-graph loop ({@link
 * io.github.homl.diffusion.DiffusionLoop}) or by a host loop ({@link
 * io.github.homl.diffusion.HostSampler}), which runs DDPM or DDIM on the U-Net just trained or on
 * any denoiser SavedModel (ours, tf_keras's or a Keras 3 export). Latent diffusion adds {@link
 * io.github.homl.diffusion.LatentUnet} (cross-attention to a prompt), {@link
 * io.github.homl.diffusion.LatentDiffusionStep} and {@link io.github.homl.diffusion.LatentPipeline}
 * (guided DDIM, decoding, inpainting, the exported signatures); every network the in-graph sampler
 * rebuilds is a {@link io.github.homl.diffusion.WeightedNetwork}. Depends on {@code layers}, {@code
 * training}, {@code saving}, {@code text} and {@code data}; nothing here knows the sections.
 */
package io.github.homl.diffusion;
