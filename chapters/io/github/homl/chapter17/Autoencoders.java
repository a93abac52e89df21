package io.github.homl.chapter17;

import io.github.homl.data.FashionMnist;
import io.github.homl.data.Images;
import io.github.homl.figures.ImageGrid;
import io.github.homl.layers.Layer;
import io.github.homl.training.History;
import io.github.homl.training.Losses;
import io.github.homl.training.Nadam;
import io.github.homl.training.RunConfig;
import io.github.homl.training.Workspace;
import java.awt.image.BufferedImage;

/** The notebook's helpers the autoencoder sections share ("extra code" cells). */
final class Autoencoders {

  private Autoencoders() {}

  /**
   * {@code model.compile(loss="mse", optimizer="nadam"); model.fit(X_train, X_train, epochs,
   * validation_data=(X_valid, X_valid))}, with the legacy Nadam that produced the book's logs.
   */
  static History compileAndFit(Workspace ws, Layer autoencoder, String name, RunConfig config,
      FashionMnist data, int epochs) {
    return ws.compile(autoencoder, Losses.MSE, Nadam::legacy)
        .withCheckpoints(config.checkpoints(name), config.resume())
        .fit(data.xTrain(), data.xTrain(), config.epochs(epochs), data.xValid(), data.xValid());
  }

  /** The notebook's {@code plot_reconstructions(model, images, n_images=5)}. */
  static BufferedImage plotReconstructions(Workspace ws, Layer model, Images images) {
    Images originals = images.take(5);
    return ImageGrid.plotReconstructions(originals, ws.predict(model, originals));
  }
}
