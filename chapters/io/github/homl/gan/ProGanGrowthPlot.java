package io.github.homl.gan;

import io.github.homl.data.Images;
import io.github.homl.figures.ImageGrid;
import io.github.homl.layers.UpSampling2D;
import io.github.homl.training.Workspace;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The growth figure of a {@link GrowingGan}: the same {@value #SAMPLES} codings rendered by the
 * generator at the end of each stage (7×7, 14×14, 28×28), enlarged to 28×28, one row per stage.
 * Each snapshot is kept in a variable, so that a checkpoint carries it across {@code --resume}.
 */
public final class ProGanGrowthPlot {

  public static final int SAMPLES = 8;

  private final List<Variable<TFloat32>> snapshots = new ArrayList<>();
  private final List<Op> takeSnapshot = new ArrayList<>();

  /** Builds, for every stage, its snapshot variable and the op that fills it. */
  public ProGanGrowthPlot(
      Workspace ws, GrowingGan.GrowingGenerator generator, int codingsSize, long seed) {
    Ops tf = ws.tf();
    Operand<TFloat32> codings =
        ProGanTraining.fixedCodings(tf, new Random(seed), SAMPLES, codingsSize);
    Ops init = tf.withInitScope();
    for (int stage = 0; stage < generator.stages(); stage++) {
      Operand<TFloat32> images = // [SAMPLES, 28, 28, 1]
          new UpSampling2D(28 / (7 << stage))
              .apply(ws.inference(), generator.call(ws.inference(), codings, stage));
      Variable<TFloat32> snapshot =
          tf.withName("growth_snapshot_" + stage)
              .variable(init.zeros(init.constant(Shape.of(SAMPLES, 28, 28, 1)), TFloat32.class));
      snapshots.add(snapshot);
      takeSnapshot.add(tf.assign(snapshot, images));
    }
  }

  /** Renders the codings with the generator as it is now, at {@code stage}. */
  public void takeSnapshot(Workspace ws, int stage) {
    ProGanTraining.runTarget(ws, takeSnapshot.get(stage));
  }

  /** One row per stage; a stage that never ran stays white. */
  public BufferedImage plot(Workspace ws) {
    List<Images> rows = new ArrayList<>();
    for (Variable<TFloat32> snapshot : snapshots) {
      rows.add(new Images(ws.run(ws.tf().identity(snapshot), Map.of()), SAMPLES, 28, 28));
    }
    return ImageGrid.plotRows(rows);
  }
}
