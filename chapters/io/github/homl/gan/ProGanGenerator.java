package io.github.homl.gan;

import static io.github.homl.layers.Padding.SAME;

import io.github.homl.layers.Activation;
import io.github.homl.layers.CallContext;
import io.github.homl.layers.EqualizedConv2D;
import io.github.homl.layers.EqualizedDense;
import io.github.homl.layers.Layer;
import io.github.homl.layers.PixelNormalization;
import io.github.homl.layers.Reshape;
import io.github.homl.layers.Sequential;
import io.github.homl.layers.UpSampling2D;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The growing generator of {@link ProgressiveGan} (Figure 17-18): a 7×7 base block, then one block
 * per doubling (nearest upsampling, two 3×3 convolutions), each followed by its own 1×1 "toRGB"
 * output layer. Every convolution is equalized, followed by LeakyReLU(0.2) and pixel normalization.
 *
 * <p>While stage {@code s} fades in with weight α, the output is {@code (1 -
 * α)·upsample(toRgb[s-1](h)) + α·toRgb[s](block[s](h))}: the old output, enlarged, blended into the
 * new one.
 */
public final class ProGanGenerator implements GrowingGan.GrowingGenerator {

  private static final Activation LEAKY = Activation.leakyRelu(0.2f);

  private final Layer normalizeCodings = new PixelNormalization(); // the paper normalizes z too
  private final List<Sequential> blocks = new ArrayList<>();
  private final List<EqualizedConv2D> toRgb = new ArrayList<>();

  /** {@code filters[s]} feature maps at stage {@code s} (7×7, 14×14, 28×28). */
  public ProGanGenerator(int[] filters) {
    blocks.add(
        Sequential.of(
            new EqualizedDense(7 * 7 * filters[0], LEAKY),
            new Reshape(7, 7, filters[0]),
            new PixelNormalization(),
            new EqualizedConv2D(filters[0], 3).padding(SAME).activation(LEAKY),
            new PixelNormalization()));
    for (int s = 1; s < filters.length; s++) {
      blocks.add(
          Sequential.of(
              new UpSampling2D(2),
              new EqualizedConv2D(filters[s], 3).padding(SAME).activation(LEAKY),
              new PixelNormalization(),
              new EqualizedConv2D(filters[s], 3).padding(SAME).activation(LEAKY),
              new PixelNormalization()));
    }
    for (int s = 0; s < filters.length; s++) {
      toRgb.add(new EqualizedConv2D(1, 1)); // linear: projects the features to one gray channel
    }
  }

  @Override
  public int stages() {
    return blocks.size();
  }

  @Override
  public Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> codings, int stage) {
    return toRgb.get(stage).apply(ctx, features(ctx, codings, stage));
  }

  /** Stage {@code stage} as it trains: fading in at α when it is not the first, else plain. */
  public Operand<TFloat32> atStage(
      CallContext ctx, Operand<TFloat32> codings, int stage, Operand<TFloat32> alpha) {
    return stage > 0 ? fadeIn(ctx, codings, stage, alpha) : call(ctx, codings, stage);
  }

  /**
   * Images of stage {@code stage} while its block fades in: {@code alpha} (a scalar) 0 gives the
   * previous stage's images, enlarged; 1 gives {@link #call(CallContext, Operand, int)}.
   */
  public Operand<TFloat32> fadeIn(
      CallContext ctx, Operand<TFloat32> codings, int stage, Operand<TFloat32> alpha) {
    if (stage == 0) {
      throw new IllegalArgumentException("stage 0 has nothing to fade in");
    }
    Operand<TFloat32> previous = features(ctx, codings, stage - 1);
    Operand<TFloat32> young = toRgb.get(stage).apply(ctx, blocks.get(stage).apply(ctx, previous));
    Operand<TFloat32> old =
        new UpSampling2D(2).apply(ctx, toRgb.get(stage - 1).apply(ctx, previous));
    return Growth.lerp(ctx.tf(), old, young, alpha); // [batch, r, r, 1]
  }

  /** The features of blocks 0..stage: {@code [batch, r, r, filters[stage]]}. */
  private Operand<TFloat32> features(CallContext ctx, Operand<TFloat32> codings, int stage) {
    Operand<TFloat32> h = normalizeCodings.apply(ctx, codings);
    for (int s = 0; s <= stage; s++) {
      h = blocks.get(s).apply(ctx, h);
    }
    return h;
  }

  /** The variables on the fade-in path of stage {@code stage}: blocks 0..stage and both toRGB. */
  @Override
  public List<Variable<TFloat32>> trainableVariables(int stage) {
    return Growth.stageVariables(normalizeCodings.trainableVariables(), blocks, toRgb, stage);
  }
}
