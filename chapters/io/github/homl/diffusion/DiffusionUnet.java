package io.github.homl.diffusion;

import static io.github.homl.layers.Activation.RELU;
import static io.github.homl.layers.Padding.SAME;
import static io.github.homl.layers.Padding.VALID;

import io.github.homl.layers.BatchNormalization;
import io.github.homl.layers.CallContext;
import io.github.homl.layers.Conv2D;
import io.github.homl.layers.Conv2DTranspose;
import io.github.homl.layers.Dense;
import io.github.homl.layers.Layer;
import io.github.homl.layers.MaxPool2D;
import io.github.homl.layers.Mode;
import io.github.homl.layers.Padding;
import io.github.homl.layers.SeedStream;
import io.github.homl.layers.SeparableConv2D;
import io.github.homl.layers.Trainable;
import io.github.homl.layers.UpSampling2D;
import io.github.homl.layers.ZeroPadding2D;
import io.github.homl.saving.SavedModels;
import io.github.homl.training.Workspace;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
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
 * computation written as a function of its weights ({@link PureForm}).
 */
public final class DiffusionUnet implements Trainable {

  /** Where the U-Net's ops go ({@code tf}), and how each of its layers is applied there. */
  public record Builder(Ops tf, BiFunction<Layer, Operand<TFloat32>, Operand<TFloat32>> applier) {

    Operand<TFloat32> apply(Layer layer, Operand<TFloat32> x) {
      return applier.apply(layer, x);
    }
  }

  /** A layer's inference computation from its weights (trainable, then non-trainable, in order). */
  @FunctionalInterface
  private interface PureForm {
    Operand<TFloat32> apply(Ops tf, List<Operand<TFloat32>> weights, Operand<TFloat32> x);
  }

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

  private static final float BN_EPSILON = 1e-3f; // new BatchNormalization()'s Keras default

  private final Map<Layer, PureForm> pureForms = new IdentityHashMap<>();
  private final List<Layer> weightedLayers = new ArrayList<>();
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

  /** {@code time[:, tf.newaxis, tf.newaxis, :] + Z}. */
  private static Operand<TFloat32> addTime(Ops tf, Operand<TFloat32> time, Operand<TFloat32> z) {
    long dim = time.shape().get(-1);
    return tf.math.add(tf.reshape(time, tf.constant(new long[] {-1, 1, 1, dim})), z);
  }

  /** Applies the layers themselves in {@code ctx}'s mode: the training graph, the host sampler. */
  public Builder layers(CallContext ctx) {
    return new Builder(ctx.tf(), (layer, x) -> layer.apply(ctx, x));
  }

  /**
   * Computes the inference function from {@code weights}, given in {@link #variables()}' order and
   * shapes, with {@code tf} of any graph. Weightless layers are applied as they are.
   */
  public Builder pure(Ops tf, List<? extends Operand<TFloat32>> weights) {
    if (variables().isEmpty()) {
      throw new IllegalStateException("the U-Net has no weights yet: call it with layers() first");
    }
    Map<Layer, List<Operand<TFloat32>>> byLayer = new IdentityHashMap<>();
    int next = 0;
    for (Layer layer : weightedLayers) {
      int count = layer.trainableVariables().size() + layer.nonTrainableVariables().size();
      byLayer.put(layer, List.copyOf(weights.subList(next, next + count)));
      next += count;
    }
    if (next != weights.size()) {
      throw new IllegalArgumentException(
          "the U-Net reads " + next + " weights, got " + weights.size());
    }
    CallContext weightless = CallContext.of(tf, Mode.INFERENCE, new SeedStream(0));
    return new Builder(
        tf,
        (layer, x) -> {
          PureForm form = pureForms.get(layer);
          return form == null ? layer.apply(weightless, x) : form.apply(tf, byLayer.get(layer), x);
        });
  }

  /** Every variable the forward pass reads, layer by layer (available once the model is built). */
  public List<Variable<TFloat32>> variables() {
    List<Variable<TFloat32>> variables = new ArrayList<>();
    for (Layer layer : weightedLayers) {
      variables.addAll(layer.trainableVariables());
      variables.addAll(layer.nonTrainableVariables());
    }
    return List.copyOf(variables);
  }

  @Override
  public List<Variable<TFloat32>> trainableVariables() {
    List<Variable<TFloat32>> variables = new ArrayList<>();
    weightedLayers.forEach(layer -> variables.addAll(layer.trainableVariables()));
    return List.copyOf(variables);
  }

  /** Keras's "Total params": every weight, BatchNormalization's moving statistics included. */
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

  public long countParams() {
    return variables().stream().mapToLong(v -> v.shape().size()).sum();
  }

  public long countTrainableParams() {
    return trainableVariables().stream().mapToLong(v -> v.shape().size()).sum();
  }

  private <L extends Layer> L register(L layer, PureForm form) {
    weightedLayers.add(layer);
    pureForms.put(layer, form);
    return layer;
  }

  private Conv2D conv2d(int filters, int kernelSize, int strides, Padding padding) {
    return register(
        new Conv2D(filters, kernelSize).strides(strides).padding(padding),
        (tf, w, x) ->
            tf.nn.biasAdd(
                tf.nn.conv2d(
                    x, w.get(0), List.of(1L, (long) strides, (long) strides, 1L), padding.name()),
                w.get(1)));
  }

  private SeparableConv2D separableConv2d(int filters) {
    return register(
        new SeparableConv2D(filters, 3).padding(SAME),
        (tf, w, x) ->
            tf.nn.biasAdd(
                tf.nn.conv2d(
                    tf.nn.depthwiseConv2dNative(x, w.get(0), List.of(1L, 1L, 1L, 1L), "SAME"),
                    w.get(1),
                    List.of(1L, 1L, 1L, 1L),
                    "VALID"),
                w.get(2)));
  }

  /** A stride-1 "same" transposed convolution: the output keeps the input's height and width. */
  private Conv2DTranspose conv2dTranspose(int filters) {
    return register(
        new Conv2DTranspose(filters, 3).padding(SAME),
        (tf, w, x) -> {
          // [batch, h, w, filters], h and w static so that shapes stay known for any batch
          Operand<TInt32> outputShape =
              tf.concat(
                  List.of(
                      tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1})),
                      tf.constant(
                          new int[] {(int) x.shape().get(1), (int) x.shape().get(2), filters})),
                  tf.constant(0));
          return tf.nn.biasAdd(
              tf.nn.conv2dBackpropInput(outputShape, w.get(0), x, List.of(1L, 1L, 1L, 1L), "SAME"),
              w.get(1));
        });
  }

  private BatchNormalization batchNormalization() {
    return register(
        new BatchNormalization(),
        (tf, w, x) ->
            tf.nn
                .fusedBatchNorm(
                    x,
                    w.get(0),
                    w.get(1),
                    w.get(2),
                    w.get(3),
                    FusedBatchNorm.epsilon(BN_EPSILON),
                    FusedBatchNorm.isTraining(false))
                .y());
  }

  private Dense dense(int units) {
    return register(
        new Dense(units), (tf, w, x) -> tf.nn.biasAdd(tf.linalg.matMul(x, w.get(0)), w.get(1)));
  }
}
