package io.github.homl.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A linear stack of layers, each feeding the next. A {@code Sequential} is itself a layer, so
 * stacks nest: {@code Sequential.of(encoder, decoder)}.
 *
 * <p>Keras counterpart: {@code tf.keras.Sequential}.
 */
public final class Sequential implements Layer {

  private final List<Layer> layers;

  private Sequential(List<Layer> layers) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a Sequential needs at least one layer");
    }
    this.layers = List.copyOf(layers);
  }

  public static Sequential of(Layer... layers) {
    return new Sequential(List.of(layers));
  }

  public List<Layer> layers() {
    return layers;
  }

  @Override
  public Operand<TFloat32> apply(CallContext ctx, Operand<TFloat32> inputs) {
    CallContext scoped = ctx.withSubScope("sequential");
    Operand<TFloat32> x = inputs;
    for (Layer layer : layers) {
      x = layer.apply(scoped, x);
    }
    return x;
  }

  /** Every child's trainable variables in layer order, each once, even where layers are shared. */
  @Override
  public List<Variable<TFloat32>> trainableVariables() {
    return collect(Layer::trainableVariables);
  }

  @Override
  public List<Variable<TFloat32>> nonTrainableVariables() {
    return collect(Layer::nonTrainableVariables);
  }

  private List<Variable<TFloat32>> collect(Function<Layer, List<Variable<TFloat32>>> getter) {
    Set<Variable<TFloat32>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Variable<TFloat32>> variables = new ArrayList<>();
    for (Layer layer : layers) {
      for (Variable<TFloat32> variable : getter.apply(layer)) {
        if (seen.add(variable)) {
          variables.add(variable);
        }
      }
    }
    return List.copyOf(variables);
  }
}
