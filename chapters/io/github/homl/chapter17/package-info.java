/**
 * Chapter 17 of "Hands-On Machine Learning" (3rd ed.), one class per section, each reading like the
 * book's listing and runnable on its own ({@code main}) or through {@link
 * io.github.homl.chapter17.Section}. Reading order: {@code StackedAutoencoder} (the baseline,
 * reconstruction_plot), {@code DenoisingAutoencoder} (Figure 17-9, dropout_denoising_plot), {@code
 * SparseAutoencoder} (Figure 17-10, sparsity_loss_plot), {@code VariationalAutoencoder} (Figures 17-12
 * and 17-13, vae_generated_images_plot and semantic_interpolation_plot). {@code Chapter17} runs them
 * all.
 */
package io.github.homl.chapter17;
