package io.github.homl.layers;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Multi-head scaled dot-product attention (Vaswani et al. 2017): the query sequence {@code [batch,
 * Lq, dq]} attends to the value sequence {@code [batch, Lv, dv]} (keys are the values, as in
 * Keras's default), and the result has the query's shape. Self-attention is {@code apply(ctx, x,
 * x)}; cross-attention from image features to prompt tokens is {@code apply(ctx, pixels, tokens)}.
 *
 * <ul>
 *   <li>query, key and value kernels: {@code [d, heads, keyDim]}, biases {@code [heads, keyDim]}
 *   <li>output kernel: {@code [heads, keyDim, dq]}, bias {@code [dq]}
 *   <li>{@code softmax(q·kᵀ/√keyDim)·v} per head, then the output projection
 * </ul>
 *
 * <p>It takes two inputs, so it is not a {@link Layer}; otherwise it follows the layer contract:
 * weights are created on the first {@code apply} and shared by every later one. {@link #attend}
 * computes the same function from weights given as operands (the in-graph sampler's loop body).
 *
 * <p>Keras counterpart: {@code tf.keras.layers.MultiHeadAttention(num_heads, key_dim)}, without
 * dropout or attention masks.
 */
public final class MultiHeadAttention implements Trainable {

  private static final String[] WEIGHTS = {
    "query_kernel", "query_bias", "key_kernel", "key_bias",
    "value_kernel", "value_bias", "output_kernel", "output_bias"
  };

  private final int numHeads;
  private final int keyDim;
  private final List<Variable<TFloat32>> variables = new ArrayList<>();

  public MultiHeadAttention(int numHeads, int keyDim) {
    if (numHeads <= 0 || keyDim <= 0) {
      throw new IllegalArgumentException(
          "num_heads and key_dim must be positive, got " + numHeads + " and " + keyDim);
    }
    this.numHeads = numHeads;
    this.keyDim = keyDim;
  }

  /** {@code query} attends to {@code value}: {@code [batch, Lq, dq]}. */
  public Operand<TFloat32> apply(
      CallContext ctx, Operand<TFloat32> query, Operand<TFloat32> value) {
    CallContext scoped = ctx.withSubScope("multi_head_attention");
    if (variables.isEmpty()) {
      build(scoped, lastDimension(query), lastDimension(value));
    }
    Ops tf = scoped.tf();
    List<Operand<TFloat32>> reads = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      reads.add(tf.withName(WEIGHTS[i] + "_read").identity(variables.get(i)));
    }
    return attend(tf, reads, query, value);
  }

  /**
   * The attention of {@code query} to {@code value} with these weights, in {@link #variables}'
   * order.
   */
  public Operand<TFloat32> attend(
      Ops tf,
      List<? extends Operand<TFloat32>> w,
      Operand<TFloat32> query,
      Operand<TFloat32> value) {
    Operand<TFloat32> q = project(tf, query, w.get(0), w.get(1)); // [batch, Lq, heads, keyDim]
    Operand<TFloat32> k = project(tf, value, w.get(2), w.get(3)); // [batch, Lv, heads, keyDim]
    Operand<TFloat32> v = project(tf, value, w.get(4), w.get(5));
    Operand<TFloat32> scores =
        tf.math.mul(
            tf.linalg.einsum(List.of(q, k), "bqhk,bvhk->bhqv"),
            tf.constant((float) (1 / Math.sqrt(keyDim)))); // [batch, heads, Lq, Lv]
    Operand<TFloat32> attention = tf.nn.softmax(scores);
    Operand<TFloat32> heads = tf.linalg.einsum(List.of(attention, v), "bhqv,bvhk->bqhk");
    return tf.math.add(tf.linalg.einsum(List.of(heads, w.get(6)), "bqhk,hkd->bqd"), w.get(7));
  }

  /** The weights in the order {@link #attend} reads them (empty before the first apply). */
  public List<Variable<TFloat32>> variables() {
    return List.copyOf(variables);
  }

  @Override
  public List<Variable<TFloat32>> trainableVariables() {
    return variables();
  }

  private static Operand<TFloat32> project(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, Operand<TFloat32> bias) {
    return tf.math.add(tf.linalg.einsum(List.of(x, kernel), "bld,dhk->blhk"), bias);
  }

  private void build(CallContext ctx, long queryDim, long valueDim) {
    Shape[] shapes = {
      Shape.of(queryDim, numHeads, keyDim), Shape.of(numHeads, keyDim),
      Shape.of(valueDim, numHeads, keyDim), Shape.of(numHeads, keyDim),
      Shape.of(valueDim, numHeads, keyDim), Shape.of(numHeads, keyDim),
      Shape.of(numHeads, keyDim, queryDim), Shape.of(queryDim)
    };
    Ops initOps = ctx.tf().withInitScope();
    for (int i = 0; i < shapes.length; i++) {
      Init init = i % 2 == 0 ? Init.GLOROT_UNIFORM : Init.ZEROS;
      variables.add(
          ctx.tf()
              .withName(WEIGHTS[i])
              .variable(init.create(initOps, shapes[i], ctx.seeds().next())));
    }
  }

  private static long lastDimension(Operand<TFloat32> x) {
    Shape shape = x.shape();
    if (shape.isUnknown() || shape.numDimensions() != 3 || shape.get(-1) < 0) {
      throw new IllegalArgumentException(
          "multi_head_attention needs inputs [batch, length, dim] with a known dim, got " + shape);
    }
    return shape.get(-1);
  }
}
