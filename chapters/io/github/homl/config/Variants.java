package io.github.homl.config;

import io.github.homl.diffusion.Schedule;

/**
 * The options that choose between variants the book names but one section alone uses: the diffusion
 * model's variance schedule ({@code --schedule}) and StyleGAN's mixing probability ({@code
 * --mixing}).
 *
 * @param schedule the diffusion schedule, cosine by default (the book's)
 * @param mixing StyleGAN's mixing-regularization probability, or {@code null} for the section's
 *     default
 * @param scoreSamples how many samples the yardstick scores ({@code --score-samples}), or {@code
 *     null} for its usual count
 */
public record Variants(Schedule.Kind schedule, Double mixing, Integer scoreSamples) {

  /** The book's variants: cosine schedule, the section's own mixing probability. */
  public static final Variants BOOK = new Variants(Schedule.Kind.COSINE, null, null);

  public Variants {
    if (scoreSamples != null && scoreSamples < 2) {
      throw new IllegalArgumentException("--score-samples must be at least 2, got " + scoreSamples);
    }
    schedule = schedule == null ? Schedule.Kind.COSINE : schedule;
    if (mixing != null && !(mixing >= 0 && mixing <= 1)) {
      throw new IllegalArgumentException("--mixing must be a probability in [0, 1], got " + mixing);
    }
  }

  /** The mixing probability asked for, else {@code sectionDefault}. */
  public float mixing(float sectionDefault) {
    return mixing != null ? mixing.floatValue() : sectionDefault;
  }
}
