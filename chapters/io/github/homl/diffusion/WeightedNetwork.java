package io.github.homl.diffusion;

import io.github.homl.layers.BatchNormalization;
import io.github.homl.layers.CallContext;
import io.github.homl.layers.Conv2D;
import io.github.homl.layers.Conv2DTranspose;
import io.github.homl.layers.Dense;
import io.github.homl.layers.Layer;
import io.github.homl.layers.Mode;
import io.github.homl.layers.MultiHeadAttention;
import io.github.homl.layers.Padding;
import io.github.homl.layers.SeedStream;
import io.github.homl.layers.SeparableConv2D;
import io.github.homl.layers.Trainable;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The weighted layers of a denoiser, each made together with its inference computation written as a
 * function of its weights. A network's wiring is written once against a {@link Builder} and built
 * two ways: {@link #layers} applies the Keras-style layers, which own the variables (training, the
 * host sampler); {@link #pure} computes the same inference function from weights handed in as
 * operands, in any graph: a {@code while} loop body cannot read the outer graph's variables, so the
 * in-graph sampler passes them in as loop variables ({@link DiffusionLoop}).
 */
public abstract class WeightedNetwork implements Trainable, NoiseModel {

  /** Where a network's ops go ({@code tf}), and how each of its layers is applied there. */
  public record Builder(
      Ops tf, BiFunction<Layer, Operand<TFloat32>, Operand<TFloat32>> applier, Attender attender) {

    Operand<TFloat32> apply(Layer layer, Operand<TFloat32> x) {
      return applier.apply(layer, x);
    }

    /** {@code query} {@code [batch, Lq, d]} attends to {@code value} {@code [batch, Lv, d']}. */
    Operand<TFloat32> attend(
        MultiHeadAttention attention, Operand<TFloat32> query, Operand<TFloat32> value) {
      return attender.attend(attention, query, value);
    }
  }

  /** How a builder applies a {@link MultiHeadAttention}. */
  @FunctionalInterface
  public interface Attender {
    Operand<TFloat32> attend(
        MultiHeadAttention attention, Operand<TFloat32> query, Operand<TFloat32> value);
  }

  /** A layer's inference computation from its weights (trainable, then non-trainable, in order). */
  @FunctionalInterface
  private interface PureForm {
    Operand<TFloat32> apply(Ops tf, List<Operand<TFloat32>> weights, Operand<TFloat32> x);
  }

  private static final float BN_EPSILON = 1e-3f; // new BatchNormalization()'s Keras default

  private final Map<Trainable, PureForm> pureForms = new IdentityHashMap<>();
  private final List<Trainable> weighted = new ArrayList<>();

  /** Applies the layers themselves in {@code ctx}'s mode: the training graph, the host sampler. */
  public Builder layers(CallContext ctx) {
    return new Builder(
        ctx.tf(), (layer, x) -> layer.apply(ctx, x), (mha, q, v) -> mha.apply(ctx, q, v));
  }

  /**
   * Computes the inference function from {@code weights}, given in {@link #variables()}' order and
   * shapes, with {@code tf} of any graph. Weightless layers are applied as they are.
   */
  public Builder pure(Ops tf, List<? extends Operand<TFloat32>> weights) {
    if (variables().isEmpty()) {
      throw new IllegalStateException("the network has no weights yet: call it with layers()");
    }
    Map<Trainable, List<Operand<TFloat32>>> byLayer = new IdentityHashMap<>();
    int next = 0;
    for (Trainable layer : weighted) {
      int count = variablesOf(layer).size();
      byLayer.put(layer, List.copyOf(weights.subList(next, next + count)));
      next += count;
    }
    if (next != weights.size()) {
      throw new IllegalArgumentException(
          "the network reads " + next + " weights, got " + weights.size());
    }
    CallContext weightless = CallContext.of(tf, Mode.INFERENCE, new SeedStream(0));
    return new Builder(
        tf,
        (layer, x) -> {
          PureForm form = pureForms.get(layer);
          return form == null ? layer.apply(weightless, x) : form.apply(tf, byLayer.get(layer), x);
        },
        (mha, q, v) -> mha.attend(tf, byLayer.get(mha), q, v));
  }

  /** The network rebuilt from {@code weights} ({@link #pure}) predicts ε ({@link #predict}). */
  @Override
  public final Operand<TFloat32> eps(
      Ops tf,
      List<? extends Operand<TFloat32>> weights,
      Operand<TFloat32> xt,
      Operand<TInt32> time,
      List<Operand<TFloat32>> conditions) {
    return predict(pure(tf, weights), xt, time, conditions);
  }

  /**
   * ε for {@code xt} at {@code time} given the sampler's {@code conditions}, built with {@code b}.
   */
  protected abstract Operand<TFloat32> predict(
      Builder b, Operand<TFloat32> xt, Operand<TInt32> time, List<Operand<TFloat32>> conditions);

  /** Every variable the forward pass reads, layer by layer (available once the model is built). */
  @Override
  public List<Variable<TFloat32>> variables() {
    List<Variable<TFloat32>> variables = new ArrayList<>();
    weighted.forEach(layer -> variables.addAll(variablesOf(layer)));
    return List.copyOf(variables);
  }

  @Override
  public List<Variable<TFloat32>> trainableVariables() {
    List<Variable<TFloat32>> variables = new ArrayList<>();
    weighted.forEach(layer -> variables.addAll(layer.trainableVariables()));
    return List.copyOf(variables);
  }

  /** Keras's "Total params": every weight, BatchNormalization's moving statistics included. */
  public long countParams() {
    return variables().stream().mapToLong(v -> v.shape().size()).sum();
  }

  public long countTrainableParams() {
    return trainableVariables().stream().mapToLong(v -> v.shape().size()).sum();
  }

  private static List<Variable<TFloat32>> variablesOf(Trainable layer) {
    List<Variable<TFloat32>> variables = new ArrayList<>(layer.trainableVariables());
    if (layer instanceof Layer l) {
      variables.addAll(l.nonTrainableVariables());
    }
    return variables;
  }

  private <L extends Trainable> L register(L layer, PureForm form) {
    weighted.add(layer);
    pureForms.put(layer, form);
    return layer;
  }

  /** A multi-head attention whose weights this registry tracks. */
  protected MultiHeadAttention multiHeadAttention(int numHeads, int keyDim) {
    MultiHeadAttention attention = new MultiHeadAttention(numHeads, keyDim);
    weighted.add(attention);
    return attention;
  }

  protected Conv2D conv2d(int filters, int kernelSize, int strides, Padding padding) {
    Conv2D conv = new Conv2D(filters, kernelSize).strides(strides).padding(padding);
    return register(conv, (tf, w, x) -> conv.applyWith(tf, w.get(0), w.get(1), x));
  }

  protected SeparableConv2D separableConv2d(int filters) {
    return register(
        new SeparableConv2D(filters, 3).padding(Padding.SAME),
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
  protected Conv2DTranspose conv2dTranspose(int filters) {
    Conv2DTranspose conv = new Conv2DTranspose(filters, 3).padding(Padding.SAME);
    return register(conv, (tf, w, x) -> conv.applyWith(tf, w.get(0), w.get(1), x));
  }

  protected BatchNormalization batchNormalization() {
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

  protected Dense dense(int units) {
    return register(
        new Dense(units), (tf, w, x) -> tf.nn.biasAdd(tf.linalg.matMul(x, w.get(0)), w.get(1)));
  }
}
