package io.github.homl.diffusion;

import static io.github.homl.layers.Activation.SIGMOID;
import static io.github.homl.layers.Padding.SAME;

import io.github.homl.layers.Conv2D;
import io.github.homl.layers.Conv2DTranspose;
import io.github.homl.layers.Flatten;
import io.github.homl.layers.Reshape;
import io.github.homl.layers.Sequential;
import io.github.homl.text.TextEncoder;
import io.github.homl.text.Tokenizer;
import io.github.homl.training.Workspace;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TInt32;

/** A latent diffusion pipeline of small untrained networks (T = 20, widths 8), for tests. */
public final class LatentPipelines {

  private static final int T = 20;
  private static final int DIM = 8;

  private LatentPipelines() {}

  /** A pipeline of small untrained networks, the U-Net built once by its layers. */
  public static LatentPipeline untrained(Workspace ws) {
    Tokenizer tokenizer = Tokenizer.standard();
    Sequential encoder =
        Sequential.of(
            new Reshape(28, 28, 1), new Conv2D(4, 3).strides(4).padding(SAME), new Flatten());
    Sequential decoder =
        Sequential.of(
            new Reshape(7, 7, 4),
            new Conv2DTranspose(1, 3).strides(4).padding(SAME).activation(SIGMOID),
            new Reshape(28, 28));
    encoder.apply(ws.inference(), ws.placeholder(-1, 28, 28));
    LatentUnet unet = new LatentUnet(T, 7, 7, 4, DIM, 2);
    TextEncoder textEncoder =
        new TextEncoder(tokenizer.vocabularySize(), Tokenizer.MAX_TOKENS, DIM, 2);
    unet.call(
        unet.layers(ws.inference()),
        ws.placeholder(-1, 7, 7, 4),
        ws.tf().constant(new int[] {1}),
        textEncoder.call(
            ws.inference(),
            ws.tf()
                .placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, Tokenizer.MAX_TOKENS)))));
    return new LatentPipeline(
        ws,
        new LatentModel(
            unet, textEncoder, tokenizer, Schedule.varianceSchedule(T), new long[] {7, 7, 4}),
        encoder,
        decoder,
        new LatentPipeline.Scale(0.1f, 2f),
        3f);
  }
}
