package io.github.homl.diffusion;

import static io.github.homl.layers.Activation.RELU;
import static io.github.homl.layers.Padding.SAME;
import static io.github.homl.layers.Padding.VALID;

import io.github.homl.data.TensorValue;
import io.github.homl.layers.BatchNormalization;
import io.github.homl.layers.Conv2D;
import io.github.homl.layers.Conv2DTranspose;
import io.github.homl.layers.Dense;
import io.github.homl.layers.MaxPool2D;
import io.github.homl.layers.SeparableConv2D;
import io.github.homl.layers.UpSampling2D;
import io.github.homl.layers.ZeroPadding2D;
import io.github.homl.saving.SavedModels;
import io.github.homl.saving.SignatureCalls;
import io.github.homl.training.Workspace;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The notebook's {@code build_diffusion_model()}: a U-Net from {@code X_noisy} {@code [batch, 28,
 * 28, 1]} and {@code time} {@code [batch]} to the predicted noise {@code [batch, 28, 28, 1]}. A
 * stem (zero-pad to 34, valid 3×3 conv to 32×32), three down blocks (two separable convs, max pool,
 * a strided 1×1 residual), three up blocks (two stride-1 transposed convs, upsampling, a 1×1
 * residual, concatenation with the down block's output at the same resolution), and a 3×3 head
 * cropped back to 28×28. After the stem and after every block, {@code Dense(dim)(time_enc)} is
 * added to every pixel.
 *
 * <p>The wiring ({@link #call}) is written once and built two ways. {@link #layers} applies the
 * Keras-style layers, which own the variables: the training path and the book's sampler. {@link
 * #pure} computes the same inference function from weights handed in as operands, in any graph: a
 * {@code while} loop body cannot read the outer graph's variables, so the in-graph sampler passes
 * them in as loop variables. For that, every weighted layer is created together with its inference
 * computation written as a function of its weights ({@link WeightedNetwork}).
 */
public final class DiffusionUnet extends WeightedNetwork {

  private record DownBlock(
      SeparableConv2D conv1,
      BatchNormalization bn1,
      SeparableConv2D conv2,
      BatchNormalization bn2,
      MaxPool2D pool,
      Conv2D skipConv,
      Dense time) {}

  private record UpBlock(
      Conv2DTranspose conv1,
      BatchNormalization bn1,
      Conv2DTranspose conv2,
      BatchNormalization bn2,
      UpSampling2D upSampling,
      UpSampling2D skipUpSampling,
      Conv2D skipConv,
      Dense time) {}

  private final TimeEncoding timeEncoding;
  private final ZeroPadding2D zeroPadding = new ZeroPadding2D(3, 3);
  private final Conv2D stemConv;
  private final BatchNormalization stemBn;
  private final Dense stemTime;
  private final List<DownBlock> down = new ArrayList<>();
  private final List<UpBlock> up = new ArrayList<>();
  private final Conv2D head;

  /**
   * The book's U-Net is {@code (T, embedSize=64, dim=16)}: widths 16, then 32, 64, 128 down and 64,
   * 32, 16 up. A smaller {@code dim} keeps the same wiring with {@code dim/16} of the widths.
   */
  public DiffusionUnet(int T, int embedSize, int dim) {
    timeEncoding = new TimeEncoding(T, embedSize);
    stemConv = conv2d(dim, 3, 1, VALID);
    stemBn = batchNormalization();
    stemTime = dense(dim);
    for (int blockDim : new int[] {2 * dim, 4 * dim, 8 * dim}) {
      down.add(
          new DownBlock(
              separableConv2d(blockDim),
              batchNormalization(),
              separableConv2d(blockDim),
              batchNormalization(),
              new MaxPool2D(3).strides(2).padding(SAME),
              conv2d(blockDim, 1, 2, SAME),
              dense(blockDim)));
    }
    for (int blockDim : new int[] {4 * dim, 2 * dim, dim}) {
      up.add(
          new UpBlock(
              conv2dTranspose(blockDim),
              batchNormalization(),
              conv2dTranspose(blockDim),
              batchNormalization(),
              new UpSampling2D(2),
              new UpSampling2D(2),
              conv2d(blockDim, 1, 1, SAME),
              dense(blockDim)));
    }
    head = conv2d(1, 3, 1, SAME);
  }

  /** The predicted noise {@code [batch, 28, 28, 1]} for {@code X_noisy} at {@code time}. */
  public Operand<TFloat32> call(Builder b, Operand<TFloat32> xNoisy, Operand<TInt32> time) {
    Ops tf = b.tf();
    Operand<TFloat32> timeEnc = timeEncoding.apply(tf, time); // [batch, embed_size]
    Operand<TFloat32> z = b.apply(zeroPadding, xNoisy); // [batch, 34, 34, 1]
    z = b.apply(RELU, b.apply(stemBn, b.apply(stemConv, z))); // [batch, 32, 32, dim]
    z = addTime(tf, b.apply(stemTime, timeEnc), z); // add time data to every pixel
    Operand<TFloat32> skip = z;
    Deque<Operand<TFloat32>> crossSkips = new ArrayDeque<>(); // across the down & up parts
    for (DownBlock block : down) {
      z = b.apply(block.bn1(), b.apply(block.conv1(), b.apply(RELU, z)));
      z = b.apply(block.bn2(), b.apply(block.conv2(), b.apply(RELU, z)));
      crossSkips.push(z);
      z = b.apply(block.pool(), z); // [batch, h/2, w/2, blockDim]
      Operand<TFloat32> skipLink = b.apply(block.skipConv(), skip);
      z = tf.math.add(z, skipLink);
      z = addTime(tf, b.apply(block.time(), timeEnc), z);
      skip = z;
    }
    for (UpBlock block : up) {
      z = b.apply(block.bn1(), b.apply(block.conv1(), b.apply(RELU, z)));
      z = b.apply(block.bn2(), b.apply(block.conv2(), b.apply(RELU, z)));
      z = b.apply(block.upSampling(), z); // [batch, 2h, 2w, blockDim]
      Operand<TFloat32> skipLink = b.apply(block.skipConv(), b.apply(block.skipUpSampling(), skip));
      z = tf.math.add(z, skipLink);
      z = addTime(tf, b.apply(block.time(), timeEnc), z);
      z = tf.concat(List.of(z, crossSkips.pop()), tf.constant(-1)); // [batch, 2h, 2w, 3·blockDim]
      skip = z;
    }
    Operand<TFloat32> outputs = b.apply(head, z); // [batch, 32, 32, 1]
    int size = (int) outputs.shape().get(1) - 4;
    return tf.slice(
        outputs,
        tf.constant(new int[] {0, 2, 2, 0}),
        tf.constant(new int[] {-1, size, size, -1})); // [:, 2:-2, 2:-2]: [batch, 28, 28, 1]
  }

  /** The last lines of Keras's {@code model.summary()}: total, trainable and other parameters. */
  public String summary() {
    long total = countParams();
    long trainable = countTrainableParams();
    return String.format(
        Locale.ROOT,
        "Total params: %,d%nTrainable params: %,d%nNon-trainable params: %,d%n",
        total,
        trainable,
        total - trainable);
  }

  /** {@code time[:, tf.newaxis, tf.newaxis, :] + Z}. */
  private static Operand<TFloat32> addTime(Ops tf, Operand<TFloat32> time, Operand<TFloat32> z) {
    long dim = time.shape().get(-1);
    return tf.math.add(tf.reshape(time, tf.constant(new long[] {-1, 1, 1, dim})), z);
  }

  /** The book's U-Net takes no conditions. */
  @Override
  protected Operand<TFloat32> predict(
      Builder b, Operand<TFloat32> xt, Operand<TInt32> time, List<Operand<TFloat32>> conditions) {
    return call(b, xt, time);
  }

  /**
   * {@code denoise}: {@code x_noisy} float32 {@code [-1, 28, 28, 1]} and {@code time} int32 {@code
   * [-1]} → {@code noise}, the U-Net in inference mode, as a SavedModel signature.
   */
  public Signature denoiseSignature(Workspace ws) {
    Placeholder<TFloat32> xNoisy = SavedModels.floatInput(ws, "x_noisy", -1, 28, 28, 1);
    Placeholder<TInt32> time = SavedModels.intInput(ws, "time", -1);
    return SavedModels.signature(
        ws,
        "denoise",
        Map.of("x_noisy", xNoisy, "time", time),
        "noise",
        call(layers(ws.inference()), xNoisy, time));
  }

  /**
   * This U-Net, trained in {@code ws}'s live session, as a host denoiser, through its {@code
   * denoise} signature: what the host samplers and Figure 17-20 call while training goes on.
   */
  public HostSampler.Denoiser hostDenoiser(Workspace ws) {
    SignatureCalls calls = SignatureCalls.of(ws.session(), List.of(denoiseSignature(ws)));
    return (x, n, t) -> {
      int[] times = new int[n];
      Arrays.fill(times, t);
      Map<String, TensorValue> inputs =
          Map.of("x_noisy", TensorValue.of(x, n, 28, 28, 1), "time", TensorValue.ofInts(times, n));
      return calls.call("denoise", inputs).get("noise").floats();
    };
  }
}
