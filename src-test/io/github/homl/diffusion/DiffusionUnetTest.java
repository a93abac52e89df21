package io.github.homl.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.chapter17.DiffusionModel;
import io.github.homl.layers.GraphRuns;
import io.github.homl.training.Losses;
import io.github.homl.training.Workspace;
import java.util.ArrayList;
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
import org.tensorflow.types.TInt32;

class DiffusionUnetTest {

  private static final int T = 4000;

  @Test
  void bookUnetMaps28x28NoisyImagesTo28x28NoiseWith280369Parameters() {
    try (Workspace ws = Workspace.create(42)) {
      DiffusionUnet model = DiffusionModel.buildDiffusionModel(T, false);
      Placeholder<TFloat32> xNoisy = ws.placeholder(-1, 28, 28, 1);
      Placeholder<TInt32> time = ws.tf().placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));

      Operand<TFloat32> output = model.call(model.layers(ws.inference()), xNoisy, time);

      assertArrayEquals(new long[] {-1, 28, 28, 1}, output.shape().asArray());
      // docs/notebook-reference.md, "Parameter counts": 278,993 trainable + 1,376
      // BatchNormalization moving statistics
      assertEquals(280_369, model.countParams());
      assertEquals(278_993, model.countTrainableParams());
      // 8 convs and 7 Dense (kernel, bias), 6 separable convs (3 each), 6 transposed convs
      // (kernel, bias), 13 BatchNormalizations (gamma, beta + 2 moving statistics)
      assertEquals(15 * 2 + 6 * 3 + 6 * 2 + 13 * 2, model.trainableVariables().size());
      assertEquals(model.trainableVariables().size() + 13 * 2, model.variables().size());
    }
  }

  @Test
  void everyOpOnTheBookLossPathHasAGradientForEveryTrainableVariable() {
    try (Workspace ws = Workspace.create(42)) {
      Schedule schedule = Schedule.varianceSchedule(T);
      DiffusionUnet model = DiffusionModel.buildDiffusionModel(T, false);
      Placeholder<TFloat32> images = ws.placeholder(-1, 28, 28);
      NoisyBatch batch = NoisyBatch.prepareBatch(ws, schedule, images);
      Operand<TFloat32> loss =
          Losses.HUBER.apply(
              ws.tf(),
              batch.noise(),
              model.call(model.layers(ws.training()), batch.xNoisy(), batch.time()));
      List<Variable<TFloat32>> variables = model.trainableVariables();

      // throws "No gradient defined for op: ..." if an op on the path has none
      Output<?>[] grads =
          ws.graph()
              .addGradients(
                  loss.asOutput(),
                  variables.stream().map(Variable::asOutput).toArray(Output<?>[]::new));

      assertEquals(variables.size(), grads.length);
      for (int i = 0; i < grads.length; i++) {
        assertNotNull(grads[i], variables.get(i).op().name());
        assertFalse(grads[i].isClosed(), "no gradient reaches " + variables.get(i).op().name());
      }
      List<float[]> values =
          GraphRuns.run(ws, Map.of(images, new float[2 * 28 * 28]), List.of(grads));
      for (int i = 0; i < values.size(); i++) {
        boolean nonZero = false;
        for (float v : values.get(i)) {
          assertTrue(Float.isFinite(v), "non-finite gradient for " + variables.get(i).op().name());
          nonZero |= v != 0f;
        }
        assertTrue(nonZero, "zero gradient for " + variables.get(i).op().name());
      }
    }
  }

  @Test
  void pureFunctionOfTheWeightsComputesWhatTheLayersCompute() {
    try (Workspace ws = Workspace.create(42)) {
      Ops tf = ws.tf();
      DiffusionUnet model = new DiffusionUnet(10, 8, 4);
      Placeholder<TFloat32> xNoisy = ws.placeholder(3, 28, 28, 1);
      Operand<TInt32> time = tf.constant(new int[] {1, 5, 10});
      Operand<TFloat32> byLayers = model.call(model.layers(ws.inference()), xNoisy, time);
      List<Operand<TFloat32>> reads = new ArrayList<>();
      model.variables().forEach(variable -> reads.add(tf.identity(variable)));
      // moving mean 0.25 and variance 1.25, so that swapping them would show
      shiftMovingStatistics(ws, model);

      Operand<TFloat32> byWeights = model.call(model.pure(tf, reads), xNoisy, time);
      List<float[]> out =
          GraphRuns.run(
              ws,
              Map.of(xNoisy, GraphRuns.randomValues(5, 3 * 28 * 28, 0f)),
              List.of(byLayers, byWeights));

      assertArrayEquals(out.get(0), out.get(1), 1e-5f);
    }
  }

  /** Adds 0.25 to every moving statistic. */
  private static void shiftMovingStatistics(Workspace ws, DiffusionUnet model) {
    Ops tf = ws.tf();
    List<org.tensorflow.op.Op> shifts = new ArrayList<>();
    for (Variable<TFloat32> variable : model.variables()) {
      if (variable.op().name().contains("moving")) {
        shifts.add(tf.assign(variable, tf.math.add(tf.identity(variable), tf.constant(0.25f))));
      }
    }
    GraphRuns.run(ws, Map.of(), List.of(), shifts.toArray(org.tensorflow.op.Op[]::new));
  }
}
