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
 * The StyleGAN generator of {@link StyleGan} (Figure 17-19), at Fashion-MNIST scale, growing as the
 * progressive GAN's ({@link GrowingGan}).
 *
 * <ul>
 *   <li><b>mapping network</b>: pixel-normalized codings z, then 8 equalized dense layers with
 *       LeakyReLU(0.2), giving the intermediate latent w;
 *   <li><b>synthesis network</b>: a learned constant 7×7 input, then {@value #STYLE_LAYERS} style
 *       layers, two per level (7×7, 14×14, 28×28, with nearest upsampling before the 14×14 and
 *       28×28 ones). Each style layer is a 3×3 equalized convolution (none for the constant), the
 *       addition of one single-channel noise map scaled per channel by learned factors ("B",
 *       starting at 0), LeakyReLU(0.2), and AdaIN with a style computed from w by a learned affine
 *       transform ("A"). Each level has its own 1×1 "toRGB" convolution to the gray image; while a
 *       level fades in, its image is blended with the previous level's, enlarged, as in {@link
 *       ProGanGenerator}.
 * </ul>
 *
 * <p>Style layer {@code i} takes its own w, so {@link #mix} can give the first {@code crossover}
 * layers (the coarse levels) the w of one code and the others (the fine ones) the w of another.
 */
public final class StyleGanGenerator implements GrowingGan.GrowingGenerator, Trainable {

  public static final int STYLE_LAYERS = 6;
  private static final int LEVELS = STYLE_LAYERS / 2;
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
  private final List<Level> levels = new ArrayList<>();
  private final List<EqualizedConv2D> toRgb = new ArrayList<>();

  /** {@code filters[l]} feature maps at level {@code l} (7×7, 14×14, 28×28). */
  public StyleGanGenerator(int wSize, int[] filters) {
    if (filters.length != LEVELS) {
      throw new IllegalArgumentException(
          "filters: expected " + LEVELS + " levels (7×7, 14×14, 28×28), got " + filters.length);
    }
    List<Layer> layers = new ArrayList<>();
    layers.add(new PixelNormalization());
    for (int i = 0; i < MAPPING_LAYERS; i++) {
      layers.add(new EqualizedDense(wSize, LEAKY));
    }
    mapping = Sequential.of(layers.toArray(Layer[]::new));
    constant = new LearnedConstant(7, 7, filters[0]);
    for (int level = 0; level < LEVELS; level++) {
      levels.add(new Level(level, filters[level]));
      toRgb.add(new EqualizedConv2D(1, 1)); // linear: projects the features to one gray channel
    }
  }

  @Override
  public int stages() {
    return LEVELS;
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
    return synthesis(ctx, sameStyle(ctx, codings), noise, LEVELS - 1, null);
  }

  /** Images of level {@code stage} from one code per image, with fresh noise, without fade-in. */
  @Override
  public Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> codings, int stage) {
    return synthesis(ctx, sameStyle(ctx, codings), Noise.RANDOM, stage, null);
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
    return synthesis(ctx, styles, noise, LEVELS - 1, null);
  }

  /**
   * Mixing regularization for training at {@code stage}, fading in at {@code alpha} (null: no
   * fade-in): each of the {@code batchSize} images mixes its two codes with probability {@code
   * probability}, at a crossover drawn uniformly from 1 to {@value #STYLE_LAYERS} - 1; the others
   * use {@code codings1} only.
   */
  public Operand<TFloat32> mixRandomly(
      CallContext ctx,
      Operand<TFloat32> codings1,
      Operand<TFloat32> codings2,
      int batchSize,
      float probability,
      int stage,
      Operand<TFloat32> alpha) {
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
      styles.add(Growth.lerp(tf, w2, w1, useW1));
    }
    return synthesis(ctx, styles, Noise.RANDOM, stage, alpha);
  }

  /**
   * The synthesis network up to level {@code stage}: {@value #STYLE_LAYERS} w's (one per style
   * layer; the levels above {@code stage} leave theirs unused) to images {@code [batch, r, r, 1]}.
   * With {@code alpha} (a scalar, or null for none) and {@code stage > 0}, the level fades in: 0
   * gives the previous level's images, enlarged.
   */
  public Operand<TFloat32> synthesis(
      CallContext ctx,
      List<Operand<TFloat32>> styles,
      Noise noise,
      int stage,
      Operand<TFloat32> alpha) {
    if (alpha == null || stage == 0) {
      return toRgb.get(stage).apply(ctx, features(ctx, styles, noise, stage));
    }
    Operand<TFloat32> previous = features(ctx, styles, noise, stage - 1);
    Operand<TFloat32> young =
        toRgb.get(stage).apply(ctx, levels.get(stage).apply(ctx, previous, styles, noise));
    Operand<TFloat32> old =
        new UpSampling2D(2).apply(ctx, toRgb.get(stage - 1).apply(ctx, previous));
    return Growth.lerp(ctx.tf(), old, young, alpha);
  }

  /** The features of levels 0..level: {@code [batch, r, r, filters[level]]}. */
  private Operand<TFloat32> features(
      CallContext ctx, List<Operand<TFloat32>> styles, Noise noise, int level) {
    Operand<TFloat32> x = constant.apply(ctx, styles.get(0)); // [batch, 7, 7, filters[0]]
    for (int l = 0; l <= level; l++) {
      x = levels.get(l).apply(ctx, x, styles, noise);
    }
    return x;
  }

  private List<Operand<TFloat32>> sameStyle(CallContext ctx, Operand<TFloat32> codings) {
    return Collections.nCopies(STYLE_LAYERS, mapping(ctx, codings));
  }

  /**
   * One level of the synthesis network: [nearest upsampling], then two style layers {@code 2l} and
   * {@code 2l + 1}, each a [3×3 convolution], noise "B", LeakyReLU and AdaIN with style "A". The
   * first layer of level 0 works on the learned constant directly.
   */
  private static final class Level implements Trainable {

    private final int index;
    private final List<EqualizedConv2D> convolutions = new ArrayList<>();
    private final List<NoiseScale> noiseScales = new ArrayList<>();
    private final List<AdaIn> adaIns = new ArrayList<>();

    Level(int index, int channels) {
      this.index = index;
      for (int j = 0; j < 2; j++) {
        if (index > 0 || j > 0) {
          convolutions.add(new EqualizedConv2D(channels, 3).padding(SAME));
        }
        noiseScales.add(new NoiseScale(channels));
        adaIns.add(new AdaIn(channels));
      }
    }

    Operand<TFloat32> apply(
        CallContext ctx, Operand<TFloat32> x, List<Operand<TFloat32>> styles, Noise noise) {
      Ops tf = ctx.tf();
      if (index > 0) {
        x = new UpSampling2D(2).apply(ctx, x);
      }
      int convolution = 0;
      for (int j = 0; j < 2; j++) {
        int layer = 2 * index + j;
        if (index > 0 || j > 0) {
          x = convolutions.get(convolution++).apply(ctx, x);
        }
        x = tf.math.add(x, noiseScales.get(j).apply(ctx, noiseMap(ctx, x, layer, noise)));
        x = adaIns.get(j).apply(ctx, LEAKY.apply(tf, x), styles.get(layer));
      }
      return x;
    }

    @Override
    public List<Variable<TFloat32>> trainableVariables() {
      List<Variable<TFloat32>> variables = new ArrayList<>();
      convolutions.forEach(c -> variables.addAll(c.trainableVariables()));
      noiseScales.forEach(n -> variables.addAll(n.trainableVariables()));
      adaIns.forEach(a -> variables.addAll(a.trainableVariables()));
      return List.copyOf(variables);
    }
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

  /** The mapping network, the constant, levels 0..stage, and the toRGB of the fade-in path. */
  @Override
  public List<Variable<TFloat32>> trainableVariables(int stage) {
    List<Variable<TFloat32>> first = new ArrayList<>(mapping.trainableVariables());
    first.addAll(constant.trainableVariables());
    return Growth.stageVariables(first, levels, toRgb, stage);
  }

  /** The variables of the full-size path without fade-in. */
  @Override
  public List<Variable<TFloat32>> trainableVariables() {
    List<Variable<TFloat32>> variables = new ArrayList<>(trainableVariables(LEVELS - 1));
    variables.removeAll(toRgb.get(LEVELS - 2).trainableVariables());
    return List.copyOf(variables);
  }
}
