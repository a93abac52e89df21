/**
 * Text prompts for the latent diffusion section: {@link io.github.homl.text.Captions} (captions
 * from the class names, with templates and synonyms), {@link io.github.homl.text.Tokenizer} (a word
 * tokenizer over the committed {@code vocabulary.txt}; start here for what happens to unknown
 * words, empty and too-long prompts) and {@link io.github.homl.text.TextEncoder} (embedding plus
 * one self-attention block). Depends on {@code layers} only.
 */
package io.github.homl.text;
