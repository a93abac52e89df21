package io.github.homl.text;

import static io.github.homl.layers.Activation.RELU;

import io.github.homl.layers.CallContext;
import io.github.homl.layers.Dense;
import io.github.homl.layers.Embedding;
import io.github.homl.layers.MultiHeadAttention;
import io.github.homl.layers.Trainable;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A small text encoder, the miniature of Stable Diffusion's CLIP text tower: token ids {@code
 * [batch, L]} → one vector per token {@code [batch, L, dim]}. A token embedding plus a learned
 * position embedding, then one transformer block: self-attention and a two-layer MLP, each with a
 * residual connection. The padding tokens are attended to like any other (they are learned
 * vectors), so the empty prompt, all {@code <pad>}, has an encoding of its own: the unconditional
 * one of classifier-free guidance.
 */
public final class TextEncoder implements Trainable {

  private final int length;
  private final int dim;
  private final Embedding tokenEmbedding;
  private final Embedding positionEmbedding;
  private final MultiHeadAttention selfAttention;
  private final Dense hidden;
  private final Dense output;

  /** An encoder of prompts of {@code length} ids below {@code vocabularySize}. */
  public TextEncoder(int vocabularySize, int length, int dim, int heads) {
    if (dim % heads != 0) {
      throw new IllegalArgumentException(
          "dim must be a multiple of heads, got " + dim + " and " + heads);
    }
    this.length = length;
    this.dim = dim;
    tokenEmbedding = new Embedding(vocabularySize, dim);
    positionEmbedding = new Embedding(length, dim);
    selfAttention = new MultiHeadAttention(heads, dim / heads);
    hidden = new Dense(2 * dim, RELU);
    output = new Dense(dim);
  }

  /** The encoding {@code [batch, L, dim]} of {@code tokens} {@code [batch, L]}. */
  public Operand<TFloat32> call(CallContext ctx, Operand<TInt32> tokens) {
    CallContext scoped = ctx.withSubScope("text_encoder");
    Ops tf = scoped.tf();
    float[] positions = new float[length];
    for (int i = 0; i < length; i++) {
      positions[i] = i;
    }
    Operand<TFloat32> x =
        tf.math.add(
            tokenEmbedding.apply(scoped, tf.dtypes.cast(tokens, TFloat32.class)), // [b, L, dim]
            positionEmbedding.apply(scoped, tf.constant(new float[][] {positions}))); // [1, L, dim]
    x = tf.math.add(x, selfAttention.apply(scoped, x, x));
    Operand<TFloat32> flat = tf.reshape(x, tf.constant(new long[] {-1, dim}));
    Operand<TFloat32> mlp = output.apply(scoped, hidden.apply(scoped, flat));
    return tf.reshape(tf.math.add(flat, mlp), tf.constant(new long[] {-1, length, dim}));
  }

  public int dim() {
    return dim;
  }

  @Override
  public List<Variable<TFloat32>> trainableVariables() {
    List<Variable<TFloat32>> variables = new ArrayList<>();
    variables.addAll(tokenEmbedding.trainableVariables());
    variables.addAll(positionEmbedding.trainableVariables());
    variables.addAll(selfAttention.trainableVariables());
    variables.addAll(hidden.trainableVariables());
    variables.addAll(output.trainableVariables());
    return List.copyOf(variables);
  }
}
