package io.github.homl.gan;

import static io.github.homl.layers.Padding.SAME;

import io.github.homl.layers.Activation;
import io.github.homl.layers.AvgPool2D;
import io.github.homl.layers.CallContext;
import io.github.homl.layers.EqualizedConv2D;
import io.github.homl.layers.EqualizedDense;
import io.github.homl.layers.Flatten;
import io.github.homl.layers.MinibatchStdDev;
import io.github.homl.layers.Sequential;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The growing discriminator of {@link ProgressiveGan}, the generator's mirror image: a 1×1
 * "fromRGB" layer per stage, one block per halving (two 3×3 convolutions, then average pooling),
 * and a final 7×7 block with the minibatch standard deviation layer near its end. Every layer is
 * equalized, with LeakyReLU(0.2). It outputs a logit (no sigmoid; the loss applies it).
 *
 * <p>While stage {@code s} fades in with weight α, the features entering block {@code s - 1} are
 * {@code (1 - α)·fromRgb[s-1](avgPool(x)) + α·block[s](fromRgb[s](x))}. {@link StyleGan} uses the
 * full-size discriminator without fade-in ({@link #call(CallContext, Operand)}).
 */
public final class ProGanDiscriminator {

  private static final Activation LEAKY = Activation.leakyRelu(0.2f);

  private final List<EqualizedConv2D> fromRgb = new ArrayList<>();
  private final List<Sequential> blocks = new ArrayList<>();

  /** {@code filters[s]} feature maps at stage {@code s} (7×7, 14×14, 28×28). */
  public ProGanDiscriminator(int[] filters) {
    blocks.add(
        Sequential.of(
            new MinibatchStdDev(),
            new EqualizedConv2D(filters[0], 3).padding(SAME).activation(LEAKY),
            new Flatten(),
            new EqualizedDense(filters[0], LEAKY),
            new EqualizedDense(1)));
    for (int s = 1; s < filters.length; s++) {
      blocks.add(
          Sequential.of(
              new EqualizedConv2D(filters[s], 3).padding(SAME).activation(LEAKY),
              new EqualizedConv2D(filters[s - 1], 3).padding(SAME).activation(LEAKY),
              new AvgPool2D(2)));
    }
    for (int filter : filters) {
      fromRgb.add(new EqualizedConv2D(filter, 1).activation(LEAKY));
    }
  }

  /** Logits {@code [batch, 1]} for images of stage {@code stage}, without fade-in. */
  public Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> images, int stage) {
    return rest(ctx, fromRgb.get(stage).apply(ctx, images), stage);
  }

  /**
   * Logits for images of stage {@code stage} while its block fades in: {@code alpha} 0 gives the
   * previous stage's discriminator on the average-pooled images, 1 gives {@link #call(CallContext,
   * Operand, int)}.
   */
  /** Stage {@code stage} as it trains: fading in at α when it is not the first, else plain. */
  public Operand<TFloat32> atStage(
      CallContext ctx, Operand<TFloat32> images, int stage, Operand<TFloat32> alpha) {
    return stage > 0 ? fadeIn(ctx, images, stage, alpha) : call(ctx, images, stage);
  }

  public Operand<TFloat32> fadeIn(
      CallContext ctx, Operand<TFloat32> images, int stage, Operand<TFloat32> alpha) {
    if (stage == 0) {
      throw new IllegalArgumentException("stage 0 has nothing to fade in");
    }
    Operand<TFloat32> young = blocks.get(stage).apply(ctx, fromRgb.get(stage).apply(ctx, images));
    Operand<TFloat32> old = fromRgb.get(stage - 1).apply(ctx, new AvgPool2D(2).apply(ctx, images));
    return rest(ctx, Growth.lerp(ctx.tf(), old, young, alpha), stage - 1);
  }

  /**
   * Blocks {@code stage}, ..., 1, then the final 7×7 block, from features of stage {@code stage}.
   */
  private Operand<TFloat32> rest(CallContext ctx, Operand<TFloat32> features, int stage) {
    Operand<TFloat32> h = features;
    for (int s = stage; s > 0; s--) {
      h = blocks.get(s).apply(ctx, h);
    }
    return blocks.get(0).apply(ctx, h);
  }

  /** The variables on the fade-in path of stage {@code stage}: blocks 0..stage and both fromRGB. */
  public List<Variable<TFloat32>> trainableVariables(int stage) {
    return Growth.stageVariables(List.of(), blocks, fromRgb, stage);
  }
}
