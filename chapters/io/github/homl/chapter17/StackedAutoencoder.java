package io.github.homl.chapter17;

import static io.github.homl.layers.Activation.RELU;

import io.github.homl.config.RunConfig;
import io.github.homl.data.FashionMnist;
import io.github.homl.data.Images;
import io.github.homl.figures.Figures;
import io.github.homl.figures.ImageGrid;
import io.github.homl.layers.Dense;
import io.github.homl.layers.Flatten;
import io.github.homl.layers.Layer;
import io.github.homl.layers.Reshape;
import io.github.homl.layers.Sequential;
import io.github.homl.saving.Pretrained;
import io.github.homl.saving.SavedModels;
import io.github.homl.training.History;
import io.github.homl.training.Losses;
import io.github.homl.training.Nadam;
import io.github.homl.training.RunReport;
import io.github.homl.training.Workspace;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Stacked Autoencoders: "Implementing a Stacked Autoencoder Using Keras" and "Visualizing the
 * Reconstructions".
 *
 * <p>Trains the 784-100-30-100-784 autoencoder on Fashion-MNIST for 20 epochs (the book: val_loss
 * 0.0132) and writes {@code reconstruction_plot.png} (Figure 17-4). It is the baseline the
 * denoising and sparse autoencoders are compared with.
 */
public final class StackedAutoencoder {

  private static final int EPOCHS = 20;

  public static RunReport run(RunConfig config) {
    FashionMnist data = config.loadData();
    try (Workspace ws = config.denseWorkspace()) {
      // begin listing stacked_ae
      Sequential stackedEncoder =
          Sequential.of(new Flatten(), new Dense(100, RELU), new Dense(30, RELU));
      Sequential stackedDecoder =
          Sequential.of(new Dense(100, RELU), new Dense(28 * 28), new Reshape(28, 28));
      Sequential stackedAe = Sequential.of(stackedEncoder, stackedDecoder);
      // end listing

      History history =
          config.pretrained()
              ? pretrained(ws, "stacked", "stacked_ae", stackedAe, data)
              : compileAndFit(
                  ws,
                  stackedEncoder,
                  stackedDecoder,
                  stackedAe,
                  "stacked_ae",
                  config,
                  data,
                  EPOCHS);

      // Figure 17-4
      Path figure =
          Figures.saveFig(
              plotReconstructions(ws, stackedAe, data.xValid()),
              config.outDir(),
              "reconstruction_plot");
      return new RunReport(Map.of("stacked_ae", history), Map.of(), List.of(figure));
    }
  }

  /**
   * {@code model.compile(loss="mse", optimizer="nadam"); model.fit(X_train, X_train, epochs,
   * validation_data=(X_valid, X_valid))}, with the legacy Nadam that produced the book's logs; the
   * trained encoder and decoder go to the {@code export} command as model {@code name}.
   */
  // begin listing compile_and_fit
  public static History compileAndFit(
      Workspace ws,
      Layer encoder,
      Layer decoder,
      Layer autoencoder,
      String name,
      RunConfig config,
      FashionMnist data,
      int epochs) {
    History history =
        ws.compile(autoencoder, Losses.MSE, Nadam::legacy)
            .withCheckpoints(config.checkpoints(name), config.resume())
            .fit(
                data.xTrain(),
                data.xTrain(),
                config.epochs(epochs),
                config.fitOptions().validation(data.xValid(), data.xValid()));
    // extra code – hands the trained encoder and decoder to the CLI's export command (if it asked)
    config.export(ws, name, history, () -> SavedModels.autoencoder(ws, encoder, decoder));
    return history;
  }

  // end listing

  /**
   * {@code run SECTION --pretrained}: the autoencoder just built gets the weights of the committed
   * model {@code name} of {@code section} (its weights are created by one prediction first, as
   * Keras creates them on the first call); returns the history the model was trained with.
   */
  static History pretrained(
      Workspace ws, String section, String name, Layer autoencoder, FashionMnist data) {
    ws.predict(autoencoder, data.xValid().take(1));
    Pretrained.restore(ws, section, name, autoencoder);
    return Pretrained.history(section, name);
  }

  /** The notebook's {@code plot_reconstructions(model, images, n_images=5)}. */
  // begin listing plot_reconstructions
  public static BufferedImage plotReconstructions(Workspace ws, Layer model, Images images) {
    Images originals = images.take(5);
    return ImageGrid.plotReconstructions(originals, ws.predict(model, originals));
  }

  // end listing

  /** Runs this section with {@code run}'s options ({@code --epochs}, {@code --quick}, ...). */
  public static void main(String[] args) {
    System.out.print(run(RunConfig.fromArgs(args)).summary());
  }
}
