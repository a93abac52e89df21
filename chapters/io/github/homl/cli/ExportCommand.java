package io.github.homl.cli;

import io.github.homl.config.RunConfig;
import io.github.homl.config.TrainingOptions;
import io.github.homl.saving.LoadedModel;
import io.github.homl.saving.Pretrained;
import io.github.homl.saving.SavedModels;
import io.github.homl.training.History;
import io.github.homl.training.ModelExport;
import io.github.homl.training.RunReport;
import io.github.homl.training.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.tensorflow.Signature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code export <section> --out DIR}: trains the section as {@code run} does (the book's settings,
 * or {@code --epochs}/{@code --quick}), and exports the inference model it hands over (the VAE's
 * decoder, the stacked AE's decoder) as a SavedModel whose {@code serving_default} maps {@code
 * codings} to {@code images}. Python loads it with {@code tf.saved_model.load(DIR)}.
 */
@Command(
    name = "export",
    description =
        "Train a section and export its generator/decoder as a "
            + "SavedModel (serving_default: codings -> images).")
final class ExportCommand implements Callable<Integer> {

  @Parameters(paramLabel = "SECTION", description = "a section name from 'list'")
  String section;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "the SavedModel directory to write (replaced if it holds a SavedModel)")
  Path out;

  @Option(
      names = "--to-pretrained",
      description =
          "write to savedmodels/pretrained/<section>/<model>/ with the training history and a"
              + " description, for run --pretrained (instead of --out)")
  boolean toPretrained;

  @Option(
      names = "--model",
      paramLabel = "NAME",
      description = "which model to export when the section hands over several")
  String modelName;

  @Mixin TrainingOptions training = new TrainingOptions();

  @Option(
      names = "--figures",
      paramLabel = "DIR",
      description = "where the section's figures go (default: images/generative)")
  Path figures;

  private final List<String> handedOver = new ArrayList<>();
  private String exported;

  @Override
  public Integer call() {
    if ((out == null) == !toPretrained) {
      throw new IllegalArgumentException("give either --out DIR or --to-pretrained");
    }
    Section chosen = Section.byId(section);
    if (modelName != null && !chosen.models().contains(modelName)) {
      throw new IllegalArgumentException(
          "section '"
              + section
              + "' has no model '"
              + modelName
              + "'; it hands over "
              + chosen.models());
    }
    RunConfig config = training.toConfig(figures).withExport(new Hook());
    try (OutputFolder folder = OutputFolder.claim("--figures", config.outDir())) {
      System.out.println("== " + chosen.sectionClass().getSimpleName());
      RunReport report = chosen.run(config);
      System.out.print(report.summary());
    }
    if (exported == null) {
      throw new IllegalArgumentException(
          handedOver.isEmpty()
              ? "section '" + section + "' hands over no inference model to export"
              : "section '"
                  + section
                  + "' has no model '"
                  + modelName
                  + "'; it hands over "
                  + handedOver);
    }
    try (LoadedModel model = SavedModels.load(out)) {
      System.out.println("Exported " + exported + " to " + out + ":\n" + model.describe());
    }
    return 0;
  }

  /**
   * The command that exports a model to {@code savedmodels/pretrained} again from its checkpoint,
   * as its {@code pretrained.properties} records it: {@code --seed} when it is not the default,
   * {@code --epochs} only when given, since it sets every model of the section (latent diffusion's
   * autoencoder too), and {@code --model} when it was given (the section hands over several).
   */
  static String pretrainedCommand(String section, Integer epochs, long seed, String model) {
    return "export "
        + section
        + (seed != TrainingOptions.DEFAULT_SEED ? " --seed " + seed : "")
        + " --resume"
        + (epochs != null ? " --epochs " + epochs : "")
        + " --to-pretrained"
        + (model != null ? " --model " + model : "");
  }

  /** Exports the first model handed over (or the one named by --model) to --out. */
  private final class Hook implements ModelExport {
    @Override
    public void model(
        Workspace ws, String name, History history, Supplier<List<Signature>> signatures) {
      if (wanted(name)) {
        if (toPretrained) {
          out = Pretrained.dir(section, name);
        }
        SavedModels.export(ws.session(), out, signatures.get());
        if (toPretrained) {
          Pretrained.describe(
              section,
              name,
              history,
              training.seed(),
              pretrainedCommand(section, training.epochs(), training.seed(), modelName));
        }
      }
    }

    private boolean wanted(String name) {
      handedOver.add(name);
      if (exported != null || modelName != null && !modelName.equals(name)) {
        return false;
      }
      exported = name;
      return true;
    }
  }
}
