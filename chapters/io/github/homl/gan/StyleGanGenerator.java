package io.github.homl.gan;

import static io.github.homl.layers.Padding.SAME;

import io.github.homl.gan.StyleGanLayers.AdaIn;
import io.github.homl.gan.StyleGanLayers.LearnedConstant;
import io.github.homl.gan.StyleGanLayers.NoiseScale;
import io.github.homl.layers.Activation;
import io.github.homl.layers.CallContext;
import io.github.homl.layers.EqualizedConv2D;
import io.github.homl.layers.EqualizedDense;
import io.github.homl.layers.Layer;
import io.github.homl.layers.PixelNormalization;
import io.github.homl.layers.Sequential;
import io.github.homl.layers.Trainable;
import io.github.homl.layers.UpSampling2D;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The StyleGAN generator of {@link StyleGan} (Figure 17-19), at Fashion-MNIST scale.
 *
 * <ul>
 *   <li><b>mapping network</b>: pixel-normalized codings z, then 8 equalized dense layers with
 *       LeakyReLU(0.2), giving the intermediate latent w;
 *   <li><b>synthesis network</b>: a learned constant 7×7 input, then {@value #STYLE_LAYERS} style
 *       layers, two per resolution (7×7, 14×14, 28×28, with nearest upsampling before the 14×14 and
 *       28×28 ones). Each style layer is a 3×3 equalized convolution (none for the constant), the
 *       addition of one single-channel noise map scaled per channel by learned factors ("B",
 *       starting at 0), LeakyReLU(0.2), and AdaIN with a style computed from w by a learned affine
 *       transform ("A"); a 1×1 convolution makes the gray image.
 * </ul>
 *
 * <p>Style layer {@code i} takes its own w, so {@link #mix} can give the first {@code crossover}
 * layers (the coarse resolutions) the w of one code and the others (the fine ones) the w of
 * another.
 */
public final class StyleGanGenerator implements Trainable {

  public static final int STYLE_LAYERS = 6;
  private static final int MAPPING_LAYERS = 8;
  private static final Activation LEAKY = Activation.leakyRelu(0.2f);
  private static final long FIXED_NOISE_SEED = 1234;

  /** Where the noise maps come from. */
  public enum Noise {
    /** Fresh noise for every image at every run, as in training. */
    RANDOM,
    /** One fixed map per layer, shared by every image and run: only the styles differ. */
    FIXED
  }

  private final Sequential mapping;
  private final LearnedConstant constant;
  private final List<EqualizedConv2D> convolutions = new ArrayList<>();
  private final List<NoiseScale> noiseScales = new ArrayList<>();
  private final List<AdaIn> adaIns = new ArrayList<>();
  private final EqualizedConv2D toRgb = new EqualizedConv2D(1, 1);

  /** {@code filters[l]} feature maps at level {@code l} (7×7, 14×14, 28×28). */
  public StyleGanGenerator(int wSize, int[] filters) {
    List<Layer> layers = new ArrayList<>();
    layers.add(new PixelNormalization());
    for (int i = 0; i < MAPPING_LAYERS; i++) {
      layers.add(new EqualizedDense(wSize, LEAKY));
    }
    mapping = Sequential.of(layers.toArray(Layer[]::new));
    constant = new LearnedConstant(7, 7, filters[0]);
    for (int i = 0; i < STYLE_LAYERS; i++) {
      int channels = filters[i / 2];
      if (i > 0) {
        convolutions.add(new EqualizedConv2D(channels, 3).padding(SAME));
      }
      noiseScales.add(new NoiseScale(channels));
      adaIns.add(new AdaIn(channels));
    }
  }

  /** The mapping network: codings z {@code [batch, codings]} to w {@code [batch, wSize]}. */
  public Operand<TFloat32> mapping(CallContext ctx, Operand<TFloat32> codings) {
    return mapping.apply(ctx, codings);
  }

  /** The mapping network's variables (StyleGAN trains them 100× slower). */
  public List<Variable<TFloat32>> mappingVariables() {
    return mapping.trainableVariables();
  }

  /** Images {@code [batch, 28, 28, 1]} from one code per image (no mixing). */
  public Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> codings, Noise noise) {
    return synthesis(ctx, Collections.nCopies(STYLE_LAYERS, mapping(ctx, codings)), noise);
  }

  /**
   * Style mixing: layers {@code 0..crossover-1} take w of {@code codings1}, the rest w of {@code
   * codings2}.
   */
  public Operand<TFloat32> mix(
      CallContext ctx,
      Operand<TFloat32> codings1,
      Operand<TFloat32> codings2,
      int crossover,
      Noise noise) {
    Operand<TFloat32> w1 = mapping(ctx, codings1);
    Operand<TFloat32> w2 = mapping(ctx, codings2);
    List<Operand<TFloat32>> styles = new ArrayList<>();
    for (int i = 0; i < STYLE_LAYERS; i++) {
      styles.add(i < crossover ? w1 : w2);
    }
    return synthesis(ctx, styles, noise);
  }

  /**
   * Mixing regularization for training: each of the {@code batchSize} images mixes its two codes
   * with probability {@code probability}, at a crossover drawn uniformly from 1 to {@value
   * #STYLE_LAYERS} - 1; the others use {@code codings1} only.
   */
  public Operand<TFloat32> mixRandomly(
      CallContext ctx,
      Operand<TFloat32> codings1,
      Operand<TFloat32> codings2,
      int batchSize,
      float probability) {
    Ops tf = ctx.tf();
    Operand<TFloat32> w1 = mapping(ctx, codings1);
    Operand<TFloat32> w2 = mapping(ctx, codings2);
    Operand<TFloat32> mixes =
        tf.dtypes.cast(
            tf.math.less(uniform(ctx, batchSize), tf.constant(probability)),
            TFloat32.class); // [batch, 1], 1 = mix
    Operand<TFloat32> crossover =
        tf.math.add(
            tf.constant(1f),
            tf.math.floor(
                tf.math.mul(
                    uniform(ctx, batchSize),
                    tf.constant(STYLE_LAYERS - 1f)))); // 1 .. STYLE_LAYERS - 1
    // without mixing, the crossover is past the last layer: every layer takes w1
    Operand<TFloat32> effective =
        tf.math.sub(
            tf.constant((float) STYLE_LAYERS),
            tf.math.mul(mixes, tf.math.sub(tf.constant((float) STYLE_LAYERS), crossover)));
    List<Operand<TFloat32>> styles = new ArrayList<>();
    for (int i = 0; i < STYLE_LAYERS; i++) {
      Operand<TFloat32> useW1 =
          tf.dtypes.cast(
              tf.math.less(tf.constant((float) i), effective), TFloat32.class); // [batch, 1]
      styles.add(ProGanGenerator.lerp(tf, w2, w1, useW1));
    }
    return synthesis(ctx, styles, Noise.RANDOM);
  }

  /** The synthesis network: {@value #STYLE_LAYERS} w's (one per style layer) to images. */
  public Operand<TFloat32> synthesis(CallContext ctx, List<Operand<TFloat32>> styles, Noise noise) {
    Ops tf = ctx.tf();
    Operand<TFloat32> x = constant.apply(ctx, styles.get(0)); // [batch, 7, 7, filters[0]]
    for (int i = 0; i < STYLE_LAYERS; i++) {
      if (i > 0) {
        if (i % 2 == 0) {
          x = new UpSampling2D(2).apply(ctx, x);
        }
        x = convolutions.get(i - 1).apply(ctx, x);
      }
      x = tf.math.add(x, noiseScales.get(i).apply(ctx, noiseMap(ctx, x, i, noise)));
      x = adaIns.get(i).apply(ctx, LEAKY.apply(tf, x), styles.get(i));
    }
    return toRgb.apply(ctx, x); // [batch, 28, 28, 1]
  }

  /**
   * One single-channel noise map for {@code x}: {@code [batch, h, w, 1]}, or {@code [1, h, w, 1]}.
   */
  private static Operand<TFloat32> noiseMap(
      CallContext ctx, Operand<TFloat32> x, int layer, Noise noise) {
    Ops tf = ctx.tf();
    int height = (int) x.shape().get(1);
    int width = (int) x.shape().get(2);
    if (noise == Noise.FIXED) {
      return tf.random.statelessRandomNormal(
          tf.constant(new int[] {1, height, width, 1}),
          tf.constant(new long[] {FIXED_NOISE_SEED, layer}),
          TFloat32.class);
    }
    Operand<TInt32> batch =
        tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    Operand<TInt32> shape =
        tf.concat(List.of(batch, tf.constant(new int[] {height, width, 1})), tf.constant(0));
    return ctx.random().normal(shape);
  }

  private static Operand<TFloat32> uniform(CallContext ctx, int batchSize) {
    return ctx.random().uniform(ctx.tf().constant(new int[] {batchSize, 1}));
  }

  @Override
  public List<Variable<TFloat32>> trainableVariables() {
    List<Variable<TFloat32>> variables = new ArrayList<>(mapping.trainableVariables());
    variables.addAll(constant.trainableVariables());
    convolutions.forEach(c -> variables.addAll(c.trainableVariables()));
    noiseScales.forEach(n -> variables.addAll(n.trainableVariables()));
    adaIns.forEach(a -> variables.addAll(a.trainableVariables()));
    variables.addAll(toRgb.trainableVariables());
    return List.copyOf(variables);
  }
}
