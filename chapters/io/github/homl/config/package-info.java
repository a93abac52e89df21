/**
 * How a section runs: {@link io.github.homl.config.RunConfig} (the book's settings, the {@code
 * --quick} preset and the overrides), parsed from the command line by {@link
 * io.github.homl.config.RunOptions} and {@link io.github.homl.config.TrainingOptions}. Read only by
 * {@code chapter17} and {@code cli}; the machinery below receives small values taken from it.
 */
package io.github.homl.config;
