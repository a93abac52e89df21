package io.github.homl.chapter17;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.homl.data.Images;
import io.github.homl.data.Vectors;
import io.github.homl.training.Feeds;
import io.github.homl.training.Workspace;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The conditional GAN of exercise 12: how labels enter both networks, and a quick run. */
class ConditionalGanTest {

  @TempDir Path outDir;

  @Test
  void generatorInputsAreTheCodingsFollowedByTheOneHotLabel() {
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> codings = ws.placeholder(-1, 3);
      Placeholder<TInt32> labels =
          ws.tf().placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> inputs =
          new ConditionalGan.OneHotConditioning(4).generatorInputs(ws.tf(), codings, labels);

      float[] out =
          ws.run(
              inputs,
              Feeds.of()
                  .vectors(codings, new Vectors(new float[] {1, 2, 3}, 1, 3))
                  .ints(labels, 2));

      assertArrayEquals(new long[] {-1, 7}, inputs.shape().asArray());
      assertArrayEquals(new float[] {1, 2, 3, 0, 0, 1, 0}, out);
    }
  }

  @Test
  void discriminatorInputsStackOneConstantMapPerClassOnTheImage() {
    try (Workspace ws = Workspace.create(42)) {
      Placeholder<TFloat32> images = ws.placeholder(-1, 2, 2, 1);
      Placeholder<TInt32> labels =
          ws.tf().placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> inputs =
          new ConditionalGan.OneHotConditioning(3).discriminatorInputs(ws.tf(), images, labels);

      float[] out =
          ws.run(
              inputs,
              Feeds.of()
                  .images(images, new Images(new float[] {5, 6, 7, 8}, 1, 2, 2))
                  .ints(labels, 1));

      assertArrayEquals(new long[] {-1, 2, 2, 4}, inputs.shape().asArray());
      // each pixel: its value, then the one-hot label of class 1
      assertArrayEquals(new float[] {5, 0, 1, 0, 6, 0, 1, 0, 7, 0, 1, 0, 8, 0, 1, 0}, out);
    }
  }
}
