/**
 * Figures for chapter 17, written with the JDK and JFreeChart instead of matplotlib: {@link
 * io.github.homl.figures.ImageGrid} draws grids of 28×28 images with matplotlib's "binary" colormap
 * (the notebook's {@code plot_multiple_images} and {@code plot_reconstructions}), {@link
 * io.github.homl.figures.LinePlot} draws the few line plots ({@code sparsity_loss_plot}, {@code
 * variance_schedule_plot}), and {@link io.github.homl.figures.Figures#saveFig} writes either one to
 * {@code images/generative/<figId>.png} as the notebook's {@code save_fig} does. Start with {@code
 * ImageGrid}.
 */
package io.github.homl.figures;
