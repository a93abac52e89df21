package io.github.homl.layers;

import java.util.List;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Something that owns variables an optimizer may change. */
public interface Trainable {

  List<Variable<TFloat32>> trainableVariables();
}
