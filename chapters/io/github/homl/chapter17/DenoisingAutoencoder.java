package io.github.homl.chapter17;

import static io.github.homl.layers.Activation.RELU;

import io.github.homl.config.RunConfig;
import io.github.homl.data.FashionMnist;
import io.github.homl.data.Images;
import io.github.homl.figures.Figures;
import io.github.homl.figures.ImageGrid;
import io.github.homl.layers.Dense;
import io.github.homl.layers.Dropout;
import io.github.homl.layers.Flatten;
import io.github.homl.layers.GaussianNoise;
import io.github.homl.layers.Layer;
import io.github.homl.layers.Reshape;
import io.github.homl.layers.Sequential;
import io.github.homl.training.History;
import io.github.homl.training.RunReport;
import io.github.homl.training.Workspace;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Denoising Autoencoders: the book's {@code Dropout(0.5)} autoencoder (10 epochs; the book's
 * val_loss 0.0166) and the {@code GaussianNoise(0.2)} variant the book suggests in one sentence.
 *
 * <p>Writes {@code dropout_denoising_plot.png} (Figure 17-9: validation images after dropout, over
 * their reconstructions) and {@code gaussian_denoising_plot.png} (the same for Gaussian noise).
 *
 * <p><b>Deviation:</b> the GaussianNoise model is ours; the notebook only suggests it.
 */
public final class DenoisingAutoencoder {

  private static final int EPOCHS = 10;

  public static RunReport run(RunConfig config) {
    FashionMnist data = config.loadData();
    Map<String, History> histories = new LinkedHashMap<>();
    List<Path> figures = new ArrayList<>();

    // Figure 17-9
    histories.put(
        "dropout_ae",
        trainDenoiser(
            config,
            data,
            "dropout_ae",
            new Dropout(0.5f),
            new Dropout(0.5f),
            "dropout_denoising_plot",
            figures));
    // extra code – the book's suggestion: GaussianNoise(0.2) instead of Dropout(0.5)
    histories.put(
        "gaussian_ae",
        trainDenoiser(
            config,
            data,
            "gaussian_ae",
            new GaussianNoise(0.2f),
            new GaussianNoise(0.2f),
            "gaussian_denoising_plot",
            figures));
    return new RunReport(histories, Map.of(), figures);
  }

  /** Trains one denoising AE whose encoder starts with {@code noise}, then plots its denoising. */
  private static History trainDenoiser(
      RunConfig config,
      FashionMnist data,
      String name,
      Layer noise,
      Layer plotNoise,
      String figId,
      List<Path> figures) {
    try (Workspace ws = config.denseWorkspace()) {
      // begin listing denoising_ae
      Sequential denoisingEncoder =
          Sequential.of(new Flatten(), noise, new Dense(100, RELU), new Dense(30, RELU));
      Sequential denoisingDecoder =
          Sequential.of(new Dense(100, RELU), new Dense(28 * 28), new Reshape(28, 28));
      Sequential denoisingAe = Sequential.of(denoisingEncoder, denoisingDecoder);
      // end listing

      History history =
          config.pretrained()
              ? StackedAutoencoder.pretrained(ws, "denoising", name, denoisingAe, data)
              : StackedAutoencoder.compileAndFit(
                  ws, denoisingEncoder, denoisingDecoder, denoisingAe, name, config, data, EPOCHS);

      // the notebook: plot_reconstructions(dropout_ae, dropout(X_valid, training=True))
      figures.add(
          Figures.saveFig(
              plotDenoising(ws, denoisingAe, plotNoise, data.xValid()), config.outDir(), figId));
      return history;
    }
  }

  /**
   * {@code plot_reconstructions(model, noise(X_valid, training=True))}: five noisy validation
   * images and the model's reconstructions of them.
   */
  // begin listing plot_denoising
  public static BufferedImage plotDenoising(Workspace ws, Layer model, Layer noise, Images images) {
    Images noisy = applyNoise(ws, noise, images.take(5));
    return ImageGrid.plotReconstructions(noisy, ws.predict(model, noisy));
  }

  /** {@code noise(images, training=True)}: a fresh noise layer applied once in training mode. */
  public static Images applyNoise(Workspace ws, Layer noise, Images images) {
    Placeholder<TFloat32> x = ws.placeholder(-1, images.height(), images.width());
    Operand<TFloat32> noisy = noise.apply(ws.training(), x);
    return new Images(
        ws.run(noisy, Map.of(x, images)), images.count(), images.height(), images.width());
  }

  // end listing

  /** Runs this section with {@code run}'s options ({@code --epochs}, {@code --quick}, ...). */
  public static void main(String[] args) {
    System.out.print(run(RunConfig.fromArgs(args)).summary());
  }
}
