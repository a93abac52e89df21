package io.github.homl.training;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** A loss function: targets and predictions in, one scalar (the batch mean) out. */
@FunctionalInterface
public interface Loss {

  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred);
}
