/**
 * The machinery of the GAN sections, so that {@code chapter17} holds only their listings: the two
 * phases of the book's {@code train_gan} as one training step ({@link io.github.homl.gan.GanStep},
 * with its {@link io.github.homl.gan.Conditioning} variants and experience replay), the GAN losses,
 * the progressive GAN's and the StyleGAN-style generator's networks and layers, their two-phase
 * step ({@link io.github.homl.gan.TwoPhaseStep}) and figures. Depends on {@code layers}, {@code
 * training}, {@code data} and {@code figures}; nothing here knows the sections.
 */
package io.github.homl.gan;
