package io.github.homl.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.homl.training.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The attention blocks of latent diffusion: self-attention (the text encoder) and cross-attention
 * from a sequence of pixels to prompt tokens (the U-Net), checked for shapes, weights and gradients
 * against central finite differences, as the layer tests do.
 */
class MultiHeadAttentionTest {

  private static final long[] QUERY = {3, 4}; // [Lq, dq]
  private static final long[] CONTEXT = {5, 6}; // [Lv, dv]

  @Test
  void selfAttentionKeepsTheSequenceShape() {
    LayerChecks.assertOutputShape(() -> selfAttention(new MultiHeadAttention(2, 3)), QUERY, QUERY);
  }

  @Test
  void crossAttentionHasTheQueryShapeWhateverTheContextLength() {
    LayerChecks.assertOutputShape(
        () -> attendingToUnknownBatch(new MultiHeadAttention(2, 3)), QUERY, QUERY);
  }

  @Test
  void hasQueryKeyValueAndOutputKernelsAndBiasesCreatedOnce() {
    LayerChecks.assertVariables(() -> crossAttention(new MultiHeadAttention(2, 3)), QUERY, 8);
  }

  @Test
  void weightsHaveKerasShapes() {
    try (Workspace ws = Workspace.create(42)) {
      MultiHeadAttention attention = new MultiHeadAttention(2, 3);
      attention.apply(ws.training(), ws.placeholder(-1, 3, 4), ws.placeholder(-1, 5, 6));
      List<Shape> shapes = attention.variables().stream().map(Variable::shape).toList();
      assertEquals(
          List.of(
              Shape.of(4, 2, 3), Shape.of(2, 3),
              Shape.of(6, 2, 3), Shape.of(2, 3),
              Shape.of(6, 2, 3), Shape.of(2, 3),
              Shape.of(2, 3, 4), Shape.of(4)),
          shapes);
    }
  }

  @Test
  void selfAttentionGradientsMatchFiniteDifferences() {
    LayerChecks.assertGradientsMatchFiniteDifferences(
        () -> selfAttention(new MultiHeadAttention(2, 3)), QUERY);
  }

  @Test
  void crossAttentionGradientsMatchFiniteDifferencesForTheQuery() {
    LayerChecks.assertGradientsMatchFiniteDifferences(
        () -> crossAttention(new MultiHeadAttention(2, 3)), QUERY);
  }

  @Test
  void crossAttentionGradientsMatchFiniteDifferencesForTheContext() {
    // the prompt tokens are the input here, attended to by a fixed query
    LayerChecks.assertGradientsMatchFiniteDifferences(
        () -> attendedBy(new MultiHeadAttention(2, 3)), CONTEXT);
  }

  @Test
  void withOneKeyTheOutputIsTheProjectedValueWhateverTheQuery() {
    // softmax over a single key is 1: the output is (v·Wv + bv)·Wo + bo for every query
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> query = ws.placeholder(-1, 2, 4);
      Placeholder<TFloat32> value = ws.placeholder(-1, 1, 6);
      MultiHeadAttention attention = new MultiHeadAttention(2, 3);
      Operand<TFloat32> out = attention.apply(ws.inference(), query, value);
      float[] v = GraphRuns.randomValues(5, 6, 0.1f);
      float[] first =
          GraphRuns.run(ws, Map.of(query, GraphRuns.randomValues(1, 8, 0f), value, v), out);
      float[] second =
          GraphRuns.run(ws, Map.of(query, GraphRuns.randomValues(2, 8, 0f), value, v), out);

      assertArrayEquals(first, second, 1e-6f);
      assertArrayEquals(
          java.util.Arrays.copyOfRange(first, 0, 4),
          java.util.Arrays.copyOfRange(first, 4, 8),
          1e-6f);
    }
  }

  @Test
  void rejectsAnInputThatIsNotASequence() {
    try (Workspace ws = Workspace.create(42)) {
      MultiHeadAttention attention = new MultiHeadAttention(2, 3);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  attention.apply(ws.training(), ws.placeholder(-1, 4), ws.placeholder(-1, 5, 6)));
      assertEquals(
          "multi_head_attention needs inputs [batch, length, dim] with a known dim, got [-1, 4]",
          e.getMessage());
    }
  }

  /** {@code x} attends to itself. */
  private static Layer selfAttention(MultiHeadAttention attention) {
    return layer(attention, (ctx, x) -> attention.apply(ctx, x, x));
  }

  /** {@code x} attends to a fixed context {@code [2, 5, 6]}. */
  private static Layer crossAttention(MultiHeadAttention attention) {
    return layer(
        attention,
        (ctx, x) -> attention.apply(ctx, x, constant(ctx.tf(), 11, LayerChecks.BATCH, 5, 6)));
  }

  /** {@code x} attends to a context {@code [-1, 5, 6]} (a placeholder: static shapes only). */
  private static Layer attendingToUnknownBatch(MultiHeadAttention attention) {
    return layer(
        attention,
        (ctx, x) ->
            attention.apply(
                ctx,
                x,
                ctx.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 5, 6)))));
  }

  /** A fixed query {@code [2, 3, 4]} attends to the context {@code x}. */
  private static Layer attendedBy(MultiHeadAttention attention) {
    return layer(
        attention,
        (ctx, x) -> attention.apply(ctx, constant(ctx.tf(), 13, LayerChecks.BATCH, 3, 4), x));
  }

  private static Operand<TFloat32> constant(Ops tf, long seed, long... dims) {
    Shape shape = Shape.of(dims);
    return tf.constant(
        shape, DataBuffers.of(GraphRuns.randomValues(seed, (int) shape.size(), 0f), true, false));
  }

  /** The attention as a one-input layer for the contract checks. */
  private static Layer layer(
      MultiHeadAttention attention,
      java.util.function.BiFunction<CallContext, Operand<TFloat32>, Operand<TFloat32>> call) {
    return new Layer() {
      @Override
      public Operand<TFloat32> apply(CallContext ctx, Operand<TFloat32> inputs) {
        return call.apply(ctx, inputs);
      }

      @Override
      public List<Variable<TFloat32>> trainableVariables() {
        return new ArrayList<>(attention.trainableVariables());
      }
    };
  }
}
