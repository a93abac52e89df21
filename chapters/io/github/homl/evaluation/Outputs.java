package io.github.homl.evaluation;

import io.github.homl.training.Seeds;
import java.nio.file.Path;

/**
 * What the end of a section is told of its run: the folder its figures and scores go to, the seeds
 * its figures' and scored samples' noise come from, and how many samples the yardstick scores.
 *
 * @param dir the output folder ({@code --out}, the book's {@code images/generative})
 * @param seeds the run's seeds
 * @param samples how many samples {@link #scores()} scores
 * @param dataDir the Fashion-MNIST folder of {@code --data}, or {@code null} for the usual search
 */
public record Outputs(Path dir, Seeds seeds, int samples, Path dataDir) {

  /** The yardstick: {@link #samples} samples scored against the test images, into {@link #dir}. */
  public SampleScores scores() {
    return new SampleScores(samples, dataDir, dir);
  }
}
