package io.github.homl.gan;

import io.github.homl.layers.RandomOps;
import io.github.homl.training.Feeds;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * How a GAN's two networks see the class label, if at all: the book's GANs ignore it ({@link
 * #NONE}); exercise 12's conditional GAN puts it into both networks. {@link GanStep} builds its
 * graph through this interface, so the training step has one shape for both.
 */
public interface Conditioning {

  /** The book's GANs: no labels; the networks see the codings and the images as they are. */
  Conditioning NONE =
      new Conditioning() {
        @Override
        public boolean labelled() {
          return false;
        }

        @Override
        public Operand<TInt32> realClasses(Ops tf, long batchSize) {
          return null;
        }

        @Override
        public Operand<TInt32> randomClasses(RandomOps random, Ops tf, long batchSize) {
          return null;
        }

        @Override
        public Operand<TInt32> fakeThenReal(Ops tf, Operand<TInt32> fake, Operand<TInt32> real) {
          return null;
        }

        @Override
        public Operand<TFloat32> generatorInputs(
            Ops tf, Operand<TFloat32> codings, Operand<TInt32> classes) {
          return codings;
        }

        @Override
        public Operand<TFloat32> discriminatorInputs(
            Ops tf, Operand<TFloat32> images, Operand<TInt32> classes) {
          return images;
        }

        @Override
        public Feeds feedRealClasses(Feeds feeds, Operand<TInt32> realClasses, int[] classes) {
          return feeds;
        }
      };

  /** Whether the networks see a label (a conditional GAN). */
  default boolean labelled() {
    return true;
  }

  /** The placeholder of the real images' classes {@code [batch]}. */
  Operand<TInt32> realClasses(Ops tf, long batchSize);

  /** Classes drawn uniformly for fake images, fresh at every step. */
  Operand<TInt32> randomClasses(RandomOps random, Ops tf, long batchSize);

  /** Phase 1's classes: those of the fakes, then those of the real images. */
  Operand<TInt32> fakeThenReal(Ops tf, Operand<TInt32> fake, Operand<TInt32> real);

  /** The generator's input built from codings {@code [batch, codingsSize]} and the classes. */
  Operand<TFloat32> generatorInputs(Ops tf, Operand<TFloat32> codings, Operand<TInt32> classes);

  /** The discriminator's input built from the images and their classes. */
  Operand<TFloat32> discriminatorInputs(Ops tf, Operand<TFloat32> images, Operand<TInt32> classes);

  /** Adds the real images' classes to a step's feeds. */
  Feeds feedRealClasses(Feeds feeds, Operand<TInt32> realClasses, int[] classes);

  /**
   * A conditioning whose labels are integer classes {@code 0..nClasses-1}, one-hot in the graph.
   */
  abstract class OneHot implements Conditioning {
    private final int nClasses;

    protected OneHot(int nClasses) {
      this.nClasses = nClasses;
    }

    public int nClasses() {
      return nClasses;
    }

    @Override
    public Operand<TInt32> realClasses(Ops tf, long batchSize) {
      return tf.withName("real_classes")
          .placeholder(TInt32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(batchSize)));
    }

    @Override
    public Operand<TInt32> randomClasses(RandomOps random, Ops tf, long batchSize) {
      return random.uniformInt(tf.constant(new long[] {batchSize}), 0, nClasses);
    }

    @Override
    public Operand<TInt32> fakeThenReal(Ops tf, Operand<TInt32> fake, Operand<TInt32> real) {
      return tf.concat(java.util.List.of(fake, real), tf.constant(0));
    }

    @Override
    public Feeds feedRealClasses(Feeds feeds, Operand<TInt32> realClasses, int[] classes) {
      return feeds.ints(realClasses, classes);
    }

    /** One-hot rows {@code [batch, nClasses]} of {@code classes}. */
    protected Operand<TFloat32> oneHot(Ops tf, Operand<TInt32> classes) {
      return tf.oneHot(classes, tf.constant(nClasses), tf.constant(1f), tf.constant(0f));
    }
  }
}
