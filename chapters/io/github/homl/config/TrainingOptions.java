package io.github.homl.config;

import io.github.homl.diffusion.Schedule;
import io.github.homl.training.Cpu;
import io.github.homl.training.Precision;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The training options of {@code run} and {@code export} (a picocli mixin): how long, on what data,
 * from which seed, and whether to resume. Where the figures and checkpoints go is each command's
 * own option ({@code run --out}, {@code export --figures}).
 */
public final class TrainingOptions {

  /** The seed of every run unless {@code --seed} gives another: the book's 42. */
  public static final long DEFAULT_SEED = 42;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      description = "epochs to train (default: the book's)")
  Integer epochs;

  @Option(names = "--quick", description = "a few hundred images, one epoch: finishes in seconds")
  boolean quick;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "" + DEFAULT_SEED,
      description = "workspace seed, the book's tf.random.set_seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "directory with the four Fashion-MNIST IDX files (.gz or not); for run vae also any"
              + " other image set: IDX (train-/t10k-images-idx3-ubyte, labels optional) or"
              + " x_train.npy and x_test.npy (y_train.npy, y_test.npy optional)")
  Path data;

  @Option(
      names = "--resume",
      description =
          "continue each model from its last checkpoint in checkpoints/ under the figures"
              + " directory (with --epochs equal to the epochs done: no training, just the"
              + " figures, scores and export)")
  boolean resume;

  @Option(
      names = "--keep-every",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "also keep the checkpoint of every N-th epoch (the newest two are always kept), so"
              + " that epochs can be compared after the run (default: ${DEFAULT-VALUE}, off)")
  int keepEvery;

  @Option(
      names = "--from-epoch",
      paramLabel = "K",
      description = "with --resume: continue (or export) from epoch K's kept checkpoint")
  Integer fromEpoch;

  @Option(
      names = "--pretrained",
      description =
          "no training: draw the section's figures and scores with its model committed under"
              + " savedmodels/pretrained/<section>/ (seconds)")
  boolean pretrained;

  @Option(
      names = "--schedule",
      paramLabel = "cosine|linear",
      description =
          "diffusion: the variance schedule, cosine (the book's, T = 4000) or linear (the"
              + " original DDPM's, T = 1000, beta from 1e-4 to 0.02) (default: cosine)")
  String schedule;

  @Option(
      names = "--mixing",
      paramLabel = "P",
      description =
          "stylegan: the share of fakes drawn from two mixed codes in training (mixing"
              + " regularization; the paper's 0.9; default: 0, which scored better here)")
  Double mixing;

  @Option(
      names = "--score-samples",
      paramLabel = "N",
      description =
          "score N samples instead of 10,000 (FID is biased upwards by a few points at 2,000)")
  Integer scoreSamples;

  @Option(
      names = "--precision",
      paramLabel = "float32|bf16",
      description =
          "the arithmetic of training: float32 (the book's) or bf16, TensorFlow's oneDNN"
              + " bfloat16 rewrite, faster on CPUs with AVX512-BF16 or AMX and refused on others"
              + " (default: float32)")
  String precision;

  public long seed() {
    return seed;
  }

  /** The {@code --epochs} given, or {@code null} for the book's. */
  public Integer epochs() {
    return epochs;
  }

  /** The run these options ask for, writing figures and checkpoints under {@code outDir}. */
  public RunConfig toConfig(Path outDir) {
    Variants variants =
        new Variants(
            schedule == null ? null : Schedule.Kind.parse("--schedule", schedule),
            mixing,
            scoreSamples);
    return new RunConfig(
        epochs,
        quick,
        seed,
        data,
        outDir,
        resume,
        pretrained,
        null,
        0,
        keepEvery,
        fromEpoch,
        variants,
        0,
        false,
        precision == null ? null : Precision.parse("--precision", precision, Cpu.current()));
  }
}
