package io.github.homl.diffusion;

import static io.github.homl.layers.Padding.SAME;

import io.github.homl.layers.Activation;
import io.github.homl.layers.Conv2D;
import io.github.homl.layers.Dense;
import io.github.homl.layers.MultiHeadAttention;
import io.github.homl.layers.UpSampling2D;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A small U-Net for latents {@code [batch, h, w, c]} (7×7×4 for the latent diffusion section) that
 * also reads a prompt's encoding {@code [batch, L, d]} through cross-attention, as Stable
 * Diffusion's U-Net does. Two resolutions: h×w (width {@code dim}) and ⌈h/2⌉×⌈w/2⌉ (width {@code
 * 2·dim}); each block is a residual pair of 3×3 convolutions with the time encoding added between
 * them, followed by cross-attention from every pixel to the prompt tokens (residual). The up path
 * upsamples, crops back to h×w and concatenates the down block's output (the U-Net's skip).
 *
 * <p>No normalization layers, so the training and inference functions are the same. The wiring is
 * written once against a {@link WeightedNetwork.Builder}, so the in-graph sampler rebuilds it from
 * its weights ({@link #eps}).
 */
public final class LatentUnet extends WeightedNetwork {

  private record Block(
      Conv2D conv1, Dense time, Conv2D conv2, Conv2D skip, MultiHeadAttention cross) {}

  /** {@code x · sigmoid(x)} (Keras's {@code swish}/{@code silu}). */
  private static final Activation SWISH = (tf, x) -> tf.math.mul(x, tf.math.sigmoid(x));

  private final TimeEncoding timeEncoding;
  private final int height;
  private final int width;
  private final Conv2D stem;
  private final Block down;
  private final Conv2D downsample;
  private final Block middle;
  private final UpSampling2D upsample = new UpSampling2D(2);
  private final Conv2D upConv;
  private final Block up;
  private final Conv2D head;

  /** A U-Net for T time steps and latents h×w×c, widths dim and 2·dim, attention of heads. */
  public LatentUnet(int T, int height, int width, int channels, int dim, int heads) {
    this.height = height;
    this.width = width;
    timeEncoding = new TimeEncoding(T, dim);
    stem = conv2d(dim, 3, 1, SAME);
    down = block(dim, heads);
    downsample = conv2d(2 * dim, 3, 2, SAME);
    middle = block(2 * dim, heads);
    upConv = conv2d(dim, 3, 1, SAME);
    up = block(dim, heads);
    head = conv2d(channels, 3, 1, SAME);
  }

  private Block block(int filters, int heads) {
    return new Block(
        conv2d(filters, 3, 1, SAME),
        dense(filters),
        conv2d(filters, 3, 1, SAME),
        conv2d(filters, 1, 1, SAME),
        multiHeadAttention(heads, filters / heads));
  }

  /** The predicted noise {@code [batch, h, w, c]} of latents {@code xt} at {@code time}. */
  public Operand<TFloat32> call(
      Builder b, Operand<TFloat32> xt, Operand<TInt32> time, Operand<TFloat32> context) {
    Ops tf = b.tf();
    Operand<TFloat32> timeEnc = timeEncoding.apply(tf, time); // [batch, dim]
    Operand<TFloat32> z = b.apply(stem, xt); // [batch, h, w, dim]
    Operand<TFloat32> skip = apply(b, down, z, timeEnc, context);
    z = b.apply(downsample, b.apply(SWISH, skip)); // [batch, h/2, w/2, 2·dim]
    z = apply(b, middle, z, timeEnc, context);
    z = b.apply(upsample, z); // [batch, 2·⌈h/2⌉, 2·⌈w/2⌉, 2·dim]
    z =
        tf.slice(
            z, tf.constant(new int[] {0, 0, 0, 0}), tf.constant(new int[] {-1, height, width, -1}));
    z = b.apply(upConv, b.apply(SWISH, z)); // [batch, h, w, dim]
    z = tf.concat(List.of(z, skip), tf.constant(-1)); // the U-Net's skip: [batch, h, w, 2·dim]
    z = apply(b, up, z, timeEnc, context);
    return b.apply(head, b.apply(SWISH, z)); // [batch, h, w, c]
  }

  /** A residual block with the time added, then cross-attention to the prompt. */
  private static Operand<TFloat32> apply(
      Builder b,
      Block block,
      Operand<TFloat32> x,
      Operand<TFloat32> timeEnc,
      Operand<TFloat32> context) {
    Ops tf = b.tf();
    Operand<TFloat32> h = b.apply(block.conv1(), b.apply(SWISH, x));
    Operand<TFloat32> time = b.apply(block.time(), timeEnc); // [batch, filters]
    long filters = time.shape().get(-1);
    h = tf.math.add(h, tf.reshape(time, tf.constant(new long[] {-1, 1, 1, filters})));
    h = b.apply(block.conv2(), b.apply(SWISH, h));
    x = tf.math.add(b.apply(block.skip(), x), h);
    long pixels = x.shape().get(1) * x.shape().get(2);
    Operand<TFloat32> sequence = tf.reshape(x, tf.constant(new long[] {-1, pixels, filters}));
    Operand<TFloat32> attended = b.attend(block.cross(), sequence, context); // pixels → tokens
    return tf.math.add(x, tf.reshape(attended, tf.shape(x)));
  }

  /**
   * Classifier-free guidance (Ho and Salimans 2022), the in-graph sampler's prediction: {@code
   * conditions} begin with the prompt's encoding, the empty prompt's encoding and the guidance
   * scale w; ε = ε(∅) + w·(ε(prompt) − ε(∅)), the two predictions made as one batch of 2n. w = 0 is
   * unconditional, w = 1 the plain conditional model, w > 1 pushes towards the prompt.
   */
  @Override
  protected Operand<TFloat32> predict(
      Builder b, Operand<TFloat32> xt, Operand<TInt32> time, List<Operand<TFloat32>> conditions) {
    Ops tf = b.tf();
    if (conditions.size() < 3) {
      throw new IllegalArgumentException(
          "the latent U-Net's sampler takes a prompt, the empty prompt and w, got "
              + conditions.size()
              + " conditions");
    }
    Operand<TFloat32> both =
        call(
            b,
            tf.concat(List.of(xt, xt), tf.constant(0)),
            tf.concat(List.of(time, time), tf.constant(0)),
            tf.concat(List.of(conditions.get(0), conditions.get(1)), tf.constant(0)));
    var halves = tf.split(tf.constant(0), both, 2L).output();
    Operand<TFloat32> conditional = halves.get(0);
    Operand<TFloat32> unconditional = halves.get(1);
    return tf.math.add(
        unconditional, tf.math.mul(conditions.get(2), tf.math.sub(conditional, unconditional)));
  }
}
