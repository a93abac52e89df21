package io.github.homl.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Turns integer ids into dense vectors: row {@code id} of a trainable table.
 *
 * <ul>
 *   <li>inputs: ids {@code [batch, length]}, as float32 (cast to int32, as Keras casts them)
 *   <li>embeddings: {@code [inputDim, outputDim]}, uniform in ±0.05 as Keras's default
 *   <li>outputs: {@code [batch, length, outputDim]}
 * </ul>
 *
 * <p>Keras counterpart: {@code tf.keras.layers.Embedding(input_dim, output_dim)}.
 */
public final class Embedding extends AbstractLayer {

  private final int inputDim;
  private final int outputDim;
  private Operand<TFloat32> embeddings;

  public Embedding(int inputDim, int outputDim) {
    super("embedding");
    if (inputDim <= 0 || outputDim <= 0) {
      throw new IllegalArgumentException(
          "input_dim and output_dim must be positive, got " + inputDim + " and " + outputDim);
    }
    this.inputDim = inputDim;
    this.outputDim = outputDim;
  }

  @Override
  protected void build(CallContext ctx, Shape inputShape) {
    embeddings = addWeight(ctx, "embeddings", Shape.of(inputDim, outputDim), Init.UNIFORM_005);
  }

  @Override
  protected Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs) {
    Ops tf = ctx.tf();
    return tf.gather(embeddings, tf.dtypes.cast(inputs, TInt32.class), tf.constant(0));
  }
}
