/**
 * Chapter 17 of "Hands-On Machine Learning" (3rd ed.), one class per section, each reading like the
 * book's listing and runnable on its own ({@code main}) or through the command line, whose table of
 * contents is {@code cli.Section} ({@code Section.main} runs them all). Reading order: {@code
 * StackedAutoencoder} (reconstruction_plot, and the notebook's helpers), {@code
 * DenoisingAutoencoder} (Figure 17-9), {@code SparseAutoencoder} (Figure 17-10), {@code
 * VariationalAutoencoder} (Figures 17-12 and 17-13), {@code GenerativeAdversarialNetwork} (Figure
 * 17-15), {@code DeepConvolutionalGan} (Figure 17-16), {@code ProgressiveGan}, {@code StyleGan},
 * {@code DiffusionModel} (Figure 17-21 and the DDPM samples), {@code LatentDiffusion} (the
 * chapter's end: latent diffusion, text prompts, guidance, inpainting), then the exercises: {@code
 * Exercise10Pretraining}, {@code DcganExperienceReplay} and {@code ConditionalGan} (exercise 12).
 *
 * <p>The machinery lives below: {@code training} (the one loop, {@code Fit}, and the optimizers),
 * {@code gan} and {@code diffusion} (each family's steps, networks and samplers), {@code
 * evaluation} (the scores every generative section ends with). A section supplies only its model
 * and its train and test steps. The run's configuration lives in {@code config} ({@code RunConfig},
 * parsed by {@code RunOptions}); what the machinery below needs of it travels as small values:
 * {@code training.Seeds}, {@code training.CheckpointFolder}, {@code evaluation.Outputs}.
 */
package io.github.homl.chapter17;
