/**
 * KerasCV's Stable Diffusion (the book's exercise 13, "a salamander reading a book") run from Java
 * on SavedModels that {@code savedmodels/keras/export_stable_diffusion.py} exports from keras-cv
 * 0.9.0: {@link io.github.homl.stablediffusion.ClipTokenizer} (CLIP's byte-pair tokenizer, start
 * here for what a prompt becomes), {@link io.github.homl.stablediffusion.Ddim} (timesteps, ᾱ table,
 * timestep embedding and guidance) and {@link io.github.homl.stablediffusion.StableDiffusion} (the
 * three models and {@code text_to_image}). Depends on {@code saving}, and on {@code diffusion} for
 * the DDIM update ({@link io.github.homl.diffusion.ReverseStep}).
 */
package io.github.homl.stablediffusion;
