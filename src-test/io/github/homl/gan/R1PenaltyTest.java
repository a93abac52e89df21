package io.github.homl.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.layers.FiniteDifferences;
import io.github.homl.layers.GraphRuns;
import io.github.homl.training.Adam;
import io.github.homl.training.TrainStep;
import io.github.homl.training.Workspace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The R1 penalty on ProGAN's discriminator while a stage fades in (average pooling, the minibatch
 * standard deviation, LeakyReLU, equalized layers): its value is the squared norm of the
 * discriminator's input gradient, and its own gradient with respect to the weights (a gradient of a
 * gradient; {@code SecondOrderGradientsTest} checks its pieces) lowers it. Finite differences of
 * the penalty itself are too noisy in float32 to check that gradient here.
 */
class R1PenaltyTest {

  private static final int BATCH = 2;

  @Test
  void thePenaltyIsTheSquaredInputGradientAndItsGradientLowersIt() {
    try (Workspace ws = Workspace.create(7)) {
      Ops tf = ws.tf();
      ProGanDiscriminator discriminator = new ProGanDiscriminator(new int[] {3, 2});
      Placeholder<TFloat32> images =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(BATCH, 14, 14, 1)));
      Placeholder<TFloat32> alpha =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      Operand<TFloat32> logits = discriminator.atStage(ws.training(), images, 1, alpha);
      Operand<TFloat32> logitSum = tf.reduceSum(logits, tf.constant(new int[] {0, 1}));
      Operand<TFloat32> penalty = GanLosses.r1Penalty(tf, logits, images);

      List<Variable<TFloat32>> all = discriminator.trainableVariables(1);
      Output<?>[] grads =
          ws.graph()
              .addGradients(
                  penalty.asOutput(),
                  all.stream().map(Variable::asOutput).toArray(Output<?>[]::new));
      List<Variable<TFloat32>> variables = new ArrayList<>();
      for (int i = 0; i < grads.length; i++) {
        if (grads[i] != null && !grads[i].isClosed()) {
          variables.add(all.get(i));
        }
      }
      float[] xs = GraphRuns.randomValues(5, BATCH * 14 * 14, 0.2f);
      Map<Operand<?>, float[]> feeds = new HashMap<>(Map.of(images, xs, alpha, new float[] {0.4f}));
      float before = GraphRuns.run(ws, feeds, penalty)[0];

      // R1 = mean over the batch of ||d sum(logits) / d image||², from finite differences
      double[] inputGradient =
          FiniteDifferences.inputGradient(
              x -> GraphRuns.run(ws, Map.of(images, x, alpha, new float[] {0.4f}), logitSum)[0],
              xs);
      double squares = 0;
      for (double g : inputGradient) {
        squares += g * g;
      }
      assertTrue(squares > 0, "the discriminator ignores its input");
      assertEquals(squares / BATCH, before, 0.02 * squares / BATCH, "R1");

      // every kernel has an R1 gradient (the final block's biases have none: after the minibatch
      // standard deviation they move the input gradient only through LeakyReLU's kinks); a few
      // steps down it lower the penalty a lot, which a wrong sign or factor would not
      for (Variable<TFloat32> v : all) {
        if (v.op().name().endsWith("kernel")) {
          assertTrue(variables.contains(v), v.op().name() + " has no R1 gradient");
        }
      }
      TrainStep step = ws.trainStep(penalty, () -> variables, () -> new Adam(0.01f));
      for (int i = 0; i < 20; i++) {
        GraphRuns.run(ws, feeds, List.of(), step.update());
      }
      float after = GraphRuns.run(ws, feeds, penalty)[0];
      assertTrue(after < 0.3f * before, "R1 " + before + " -> " + after + " after 20 steps");
    }
  }
}
