package io.github.homl.diffusion;

import io.github.homl.text.TextEncoder;
import io.github.homl.text.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The networks of text-conditioned latent diffusion and what they work on: the conditional U-Net,
 * the text encoder with its tokenizer, the noise schedule, and the latents' shape {@code (h, w,
 * c)}. Training ({@link LatentDiffusionStep}) and sampling ({@link LatentPipeline}) take one of
 * these.
 */
public record LatentModel(
    LatentUnet unet,
    TextEncoder textEncoder,
    Tokenizer tokenizer,
    Schedule schedule,
    long[] shape) {

  public LatentModel {
    if (shape.length != 3) {
      throw new IllegalArgumentException(
          "latent shape is (h, w, c), got " + shape.length + " dims");
    }
    shape = shape.clone();
  }

  /** Every variable of the U-Net (BatchNormalization statistics too) and of the text encoder. */
  public List<Variable<TFloat32>> variables() {
    List<Variable<TFloat32>> variables = new ArrayList<>(unet.variables());
    variables.addAll(textEncoder.trainableVariables());
    return variables;
  }

  /** The variables an optimizer trains: the U-Net's and the text encoder's. */
  public List<Variable<TFloat32>> trainableVariables() {
    List<Variable<TFloat32>> variables = new ArrayList<>(unet.trainableVariables());
    variables.addAll(textEncoder.trainableVariables());
    return variables;
  }

  /** Values per latent (h·w·c). */
  int latentSize() {
    return (int) (shape[0] * shape[1] * shape[2]);
  }
}
