package io.github.homl.config;

import io.github.homl.data.FashionMnist;
import io.github.homl.evaluation.Outputs;
import io.github.homl.evaluation.SampleScores;
import io.github.homl.figures.Figures;
import io.github.homl.training.CheckpointFolder;
import io.github.homl.training.Checkpoints;
import io.github.homl.training.Fit;
import io.github.homl.training.FitOptions;
import io.github.homl.training.History;
import io.github.homl.training.ModelExport;
import io.github.homl.training.Precision;
import io.github.homl.training.RunTrace;
import io.github.homl.training.Seeds;
import io.github.homl.training.Workspace;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.tensorflow.Signature;
import picocli.CommandLine;

/**
 * How a section runs, as the command line or a section's {@code main} gave it: the book's settings
 * by default, or the {@code --quick} preset (a few hundred images, one epoch) that finishes in
 * seconds, with optional overrides of epochs, seed, data directory and output directory.
 *
 * @param epochs the {@code --epochs} override, or {@code null} for the section's own choice
 * @param quick the {@code --quick} preset
 * @param seed the workspace seed (the book's {@code tf.random.set_seed(42)})
 * @param dataDir the {@code --data} directory, or {@code null} for the usual search chain
 * @param outDir where figures and histories go (the book's {@code images/generative})
 * @param resume continue each model from its last checkpoint ({@code --resume})
 * @param pretrained draw the figures and scores from the committed pretrained model instead of
 *     training ({@code --pretrained})
 * @param export where the section hands over its trained inference model ({@code export} command),
 *     or {@code null}
 * @param trainImages train on the first {@code trainImages} training images only and validate on
 *     the first 128 validation images ({@code bench --steps}), or 0 for all
 * @param keepEvery also keep the checkpoint of every {@code keepEvery}-th epoch ({@code
 *     --keep-every}), or 0 for the newest two only
 * @param fromEpoch resume or export from this epoch's kept checkpoint ({@code --from-epoch}), or
 *     {@code null} for the newest
 * @param variants {@code --schedule} and {@code --mixing}
 * @param profileSteps trace this many steps of each fit's last epoch and print where their time
 *     went ({@code bench --profile}), or 0 for none
 * @param stepsOnly train and stop: no sampling, figures or scores after the training, where a
 *     section spends minutes on them ({@code bench}, which times the steps)
 * @param precision the arithmetic the sections' sessions train in ({@code --precision}; {@code
 *     null} reads as the book's float32)
 */
public record RunConfig(
    Integer epochs,
    boolean quick,
    long seed,
    Path dataDir,
    Path outDir,
    boolean resume,
    boolean pretrained,
    ModelExport export,
    int trainImages,
    int keepEvery,
    Integer fromEpoch,
    Variants variants,
    int profileSteps,
    boolean stepsOnly,
    Precision precision) {

  /** Images kept for training, validation and test under {@code --quick}. */
  public static final int QUICK_TRAIN = 512;

  public static final int QUICK_VALID = 128;

  public RunConfig {
    if (epochs != null && epochs < 1) {
      throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
    }
    outDir = outDir == null ? Figures.DEFAULT_DIR : outDir;
    variants = variants == null ? Variants.BOOK : variants;
    precision = precision == null ? Precision.FLOAT32 : precision;
    if (trainImages < 0) {
      throw new IllegalArgumentException("trainImages must be 0 (all) or more, got " + trainImages);
    }
    if (profileSteps < 0) {
      throw new IllegalArgumentException(
          "profileSteps must be 0 (off) or more, got " + profileSteps);
    }
    if (keepEvery < 0) {
      throw new IllegalArgumentException("--keep-every must be 0 (off) or more, got " + keepEvery);
    }
    if (fromEpoch != null && !resume) {
      throw new IllegalArgumentException(
          "--from-epoch "
              + fromEpoch
              + " needs --resume: it names the checkpoint to continue from");
    }
    if (pretrained && epochs != null) {
      throw new IllegalArgumentException(
          "--epochs has no effect with --pretrained, which trains nothing: drop one of them");
    }
    if (pretrained && keepEvery > 0) {
      throw new IllegalArgumentException(
          "--keep-every has no effect with --pretrained, which trains nothing: drop one of them");
    }
    if (pretrained && precision == Precision.BF16) {
      throw new IllegalArgumentException(
          "--precision bf16 has no effect with --pretrained, which trains nothing: drop one of"
              + " them");
    }
    if (pretrained && resume) {
      throw new IllegalArgumentException(
          "--pretrained and --resume exclude each other: "
              + "--pretrained uses the committed model, --resume a checkpoint of yours");
    }
  }

  /** A run without export (the book's variants: {@code null} reads as {@link Variants#BOOK}). */
  public RunConfig(
      Integer epochs, boolean quick, long seed, Path dataDir, Path outDir, boolean resume) {
    this(
        epochs, quick, seed, dataDir, outDir, resume, false, null, 0, 0, null, null, 0, false,
        null);
  }

  /** A fresh run (no resume). */
  public RunConfig(Integer epochs, boolean quick, long seed, Path dataDir, Path outDir) {
    this(epochs, quick, seed, dataDir, outDir, false);
  }

  /** The book's settings: its epochs, the full data, seed 42. */
  public static RunConfig book() {
    return new RunConfig(null, false, 42, null, null);
  }

  /** The quick preset writing into {@code outDir}: one epoch on a few hundred images. */
  public static RunConfig smoke(Path outDir) {
    return new RunConfig(null, true, 42, null, outDir);
  }

  /** The same settings, handing the trained inference model to {@code export}. */
  public RunConfig withExport(ModelExport export) {
    return copy(pretrained, export, trainImages, profileSteps, stepsOnly, precision);
  }

  /** The same settings with {@code --pretrained}. */
  public RunConfig withPretrained() {
    return copy(true, export, trainImages, profileSteps, stepsOnly, precision);
  }

  /**
   * The same settings on the first {@code images} training images only, and a proportional share of
   * the validation images (at least 128): {@code bench --steps N} trains on {@code N × 32}.
   */
  public RunConfig withTrainImages(int images) {
    return copy(pretrained, export, images, profileSteps, stepsOnly, precision);
  }

  /**
   * The same settings, tracing {@code steps} steps of each fit's last epoch ({@code bench
   * --profile}; 0: none).
   */
  public RunConfig withProfile(int steps) {
    return copy(pretrained, export, trainImages, steps, stepsOnly, precision);
  }

  /** The same settings, stopping after the training ({@code bench}). */
  public RunConfig withStepsOnly() {
    return copy(pretrained, export, trainImages, profileSteps, true, precision);
  }

  /** The same settings, training in {@code precision} ({@code bench --precision}). */
  public RunConfig withPrecision(Precision precision) {
    return copy(pretrained, export, trainImages, profileSteps, stepsOnly, precision);
  }

  private RunConfig copy(
      boolean pretrained,
      ModelExport export,
      int trainImages,
      int profileSteps,
      boolean stepsOnly,
      Precision precision) {
    return new RunConfig(
        epochs,
        quick,
        seed,
        dataDir,
        outDir,
        resume,
        pretrained,
        export,
        trainImages,
        keepEvery,
        fromEpoch,
        variants,
        profileSteps,
        stepsOnly,
        precision);
  }

  /**
   * What watches every fit of the run besides its progress and checkpoints: {@code bench
   * --profile}'s tracing ({@link RunTrace#profiler}), or nothing.
   */
  public List<Fit.Listener> fitListeners() {
    return profileSteps > 0 ? List.of(RunTrace.profiler(profileSteps, System.out)) : List.of();
  }

  /** Keras's fit defaults, with the listeners of this run ({@link #fitListeners}). */
  public <Y> FitOptions<Y> fitOptions() {
    return FitOptions.<Y>defaults().listeners(fitListeners());
  }

  /** Hands any inference paths ({@code signatures}, built only when exporting) to the export. */
  public void export(
      Workspace ws, String modelName, History history, Supplier<List<Signature>> signatures) {
    if (export != null) {
      export.model(ws, modelName, history, signatures);
    }
  }

  /** The run's seeds, each named for what it draws. */
  public Seeds seeds() {
    return Seeds.of(seed);
  }

  /**
   * The section's graph and session: {@link Workspace#create(Seeds)} from this run's seeds (the
   * book's {@code tf.random.set_seed}), training in this run's precision.
   */
  public Workspace workspace() {
    return Workspace.create(seeds(), precision);
  }

  /** {@link #workspace()} for a model of small dense layers ({@link Workspace#forDenseModel}). */
  public Workspace denseWorkspace() {
    return Workspace.forDenseModel(seeds(), precision);
  }

  /**
   * Where and how the models' per-epoch checkpoints are kept: {@code <out>/checkpoints/<model>},
   * resumed with {@code --resume}.
   */
  public CheckpointFolder checkpointFolder() {
    return new CheckpointFolder(outDir.resolve("checkpoints"), resume, keepEvery, fromEpoch);
  }

  /** Where the per-epoch checkpoints of {@code model} go: {@code <out>/checkpoints/<model>}. */
  public Checkpoints checkpoints(String model) {
    return checkpointFolder().model(model);
  }

  /**
   * What the end of a section is told: the output folder, the seeds, and how many samples the
   * yardstick scores ({@link #samples}({@value SampleScores#SAMPLES})).
   */
  public Outputs outputs() {
    return new Outputs(outDir, seeds(), samples(SampleScores.SAMPLES), dataDir);
  }

  /**
   * How many samples to score where a full run scores {@code full}: {@code --score-samples N}, else
   * {@value SampleScores#QUICK_SAMPLES} under {@code --quick} and in {@code bench} (which times
   * steps), else {@code full}.
   */
  public int samples(int full) {
    if (variants.scoreSamples() != null) {
      return variants.scoreSamples();
    }
    return quick || trainImages > 0 ? SampleScores.QUICK_SAMPLES : full;
  }

  /** Parses a section's {@code main} arguments (the same options as {@code run <section>}). */
  public static RunConfig fromArgs(String... args) {
    RunOptions options = new RunOptions();
    new CommandLine(options).parseArgs(args);
    return options.toConfig();
  }

  /**
   * Whether the section builds {@code --quick}'s small networks: not under {@code --pretrained},
   * whose network is the committed one at the section's full size ({@code --quick} then only scores
   * fewer samples).
   */
  public boolean quickNetworks() {
    return quick && !pretrained;
  }

  /** The epochs to train: the override, else 1 under {@code --quick}, else the book's. */
  public int epochs(int bookEpochs) {
    return epochs != null ? epochs : quick ? 1 : bookEpochs;
  }

  /**
   * Fashion-MNIST with the book's split, cut to a few hundred images under {@code --quick}; any
   * other set given with {@code --data} is refused, since the section's networks and yardstick are
   * Fashion-MNIST's.
   */
  public FashionMnist loadData() {
    FashionMnist data = loadAnyData();
    if (!data.fashionMnist()) {
      throw new IllegalArgumentException(
          "--data "
              + dataDir
              + " is not Fashion-MNIST (its SHA-256 differs); of the sections only vae trains on"
              + " another image set (exercise 11)");
    }
    return data;
  }

  /**
   * The {@code --data} set whatever it is (exercise 11: Fashion-MNIST or another IDX or {@code
   * .npy} set), split and cut as {@link #loadData}.
   */
  public FashionMnist loadAnyData() {
    FashionMnist data = FashionMnist.load(dataDir);
    if (quick) {
      return data.head(QUICK_TRAIN, QUICK_VALID, QUICK_VALID);
    }
    if (trainImages > 0) {
      return data.head(trainImages, QUICK_VALID, data.xTest().count());
    }
    return data;
  }
}
