package io.github.homl.evaluation;

import io.github.homl.data.Images;
import io.github.homl.training.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Extra code – the yardstick at the end of every generative section: {@value #SAMPLES} samples
 * ({@value #QUICK_SAMPLES} under {@code --quick}) scored by the committed evaluator against the
 * test images (FID-FMNIST, KID, class coverage and, for a conditional generator, the fraction
 * classified as the requested class). The scores are printed as a table, written to {@code
 * <out>/<name>_scores.json} and returned as measures for the run's report. The evaluator is looked
 * up in {@code savedmodels/evaluator} under the working directory; without it the scores are
 * skipped with a note, never the run.
 *
 * @param samples how many samples to score: {@value #SAMPLES} as FID wants, {@value #QUICK_SAMPLES}
 *     for a quick look, or what {@code --score-samples} asks
 * @param dataDir the Fashion-MNIST folder ({@code --data}) whose test images are the reference, or
 *     {@code null} for the usual search
 * @param outDir where {@code <name>_scores.json} goes
 */
public record SampleScores(int samples, Path dataDir, Path outDir) {

  /** FID's usual sample count; fewer samples bias FID upwards. */
  public static final int SAMPLES = 10_000;

  public static final int QUICK_SAMPLES = 500;

  /** Samples drawn from a generator at a time. */
  public static final int BATCH = 500;

  public SampleScores {
    if (samples < 2) {
      throw new IllegalArgumentException("at least 2 samples to score, got " + samples);
    }
  }

  /**
   * Scores {@code sample.apply(k)}: {@code k} fresh images {@code [k, 28, 28]} in [0, 1] per call
   * (the caller rescales a tanh generator's output with {@link PixelRange#toUnit}).
   */
  public Map<String, Double> score(String name, IntFunction<Images> sample) {
    return score(
        name,
        null,
        samples,
        n -> Sampling.inBatches(n, BATCH, (from, to) -> sample.apply(to - from)));
  }

  /**
   * Scores a conditional generator: {@code sample.apply(classes)} returns one image in [0, 1] per
   * requested class; the classes cycle 0, 1, ..., 9, so every class is asked for equally often.
   */
  public Map<String, Double> scoreConditional(
      String name, int nClasses, Function<int[], Images> sample) {
    return scoreConditional(name, nClasses, samples, sample);
  }

  /** {@link #scoreConditional} on {@code n} samples instead of {@link #samples}. */
  public Map<String, Double> scoreConditional(
      String name, int nClasses, int n, Function<int[], Images> sample) {
    int[] requested = new int[n];
    for (int i = 0; i < n; i++) {
      requested[i] = i % nClasses;
    }
    return score(
        name,
        requested,
        n,
        count ->
            Sampling.inBatches(
                count,
                BATCH,
                (from, to) -> sample.apply(java.util.Arrays.copyOfRange(requested, from, to))));
  }

  /**
   * Fresh samples from {@code samples}, an op that draws {@value #BATCH} new images {@code [500,
   * 28, 28(, 1)]} each time it runs (random codings inside the graph) from a linear output layer
   * trained on [-1, 1] images (ProGAN, StyleGAN): clipped to [-1, 1], as the papers do to show
   * them, then rescaled to [0, 1].
   */
  public static IntFunction<Images> fromLinearOp(Workspace ws, Operand<TFloat32> samples) {
    return n -> {
      if (n > BATCH) {
        throw new IllegalArgumentException("at most " + BATCH + " samples per run, asked " + n);
      }
      Images images = new Images(ws.run(samples, Map.of()), BATCH, 28, 28);
      return PixelRange.SYMMETRIC.toUnit(images.clipped(-1f, 1f).take(n));
    };
  }

  private Map<String, Double> score(String name, int[] requested, int n, IntFunction<Images> draw) {
    if (!Files.isDirectory(Evaluator.DEFAULT_DIR)) {
      System.out.println(
          "scores of "
              + name
              + " skipped: no evaluator in "
              + Evaluator.DEFAULT_DIR.toAbsolutePath()
              + " (run from the project root)");
      return Map.of();
    }
    System.out.printf("scoring %d samples of %s with %s%n", n, name, Evaluator.DEFAULT_DIR);
    Images samples = draw.apply(n);
    Scores scores;
    try (Evaluator evaluator = Evaluator.load(Evaluator.DEFAULT_DIR, dataDir)) {
      scores =
          requested == null
              ? evaluator.score(name, samples)
              : evaluator.score(name, samples, requested);
    }
    System.out.print(Scores.table(List.of(scores)));
    System.out.println("Saved " + scores.saveJson(outDir));
    Map<String, Double> measures = new LinkedHashMap<>();
    measures.put(name + " FID-FMNIST", scores.fid());
    measures.put(name + " KIDx1000", scores.kid().mean() * 1000);
    measures.put(name + " coverage", scores.coverage());
    if (requested != null) {
      measures.put(name + " conditional accuracy", scores.conditionalAccuracy());
    }
    return measures;
  }
}
