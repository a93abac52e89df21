package io.github.homl.layers;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The Keras layer contract in a few lines: the first {@code apply} runs {@link #build} once inside
 * the layer's own name scope, every {@code apply} then runs {@link #call}, and weights can only be
 * created during {@code build}.
 *
 * <p>Weights are {@code VariableV2} (the only kind TF Java's SavedModel exporter saves) and are
 * read once through {@code tf.identity}: some C++ gradients crash on a ref-typed variable used
 * directly.
 */
public abstract class AbstractLayer implements Layer {

  private final String baseName;
  private final List<Variable<TFloat32>> trainable = new ArrayList<>();
  private final List<Variable<TFloat32>> nonTrainable = new ArrayList<>();
  private boolean building;
  private boolean built;

  protected AbstractLayer(String baseName) {
    this.baseName = baseName;
  }

  @Override
  public final Operand<TFloat32> apply(CallContext ctx, Operand<TFloat32> inputs) {
    CallContext scoped = ctx.withSubScope(baseName);
    if (!built) {
      building = true;
      build(scoped, inputs.shape()); // weights are created once, from the first input's shape
      building = false;
      built = true;
    }
    return call(scoped, inputs);
  }

  /** Creates this layer's weights; the default is a layer without weights. */
  protected void build(CallContext ctx, Shape inputShape) {}

  /** Adds this layer's computation to the graph; may run once per mode, never creates weights. */
  protected abstract Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> inputs);

  /**
   * Creates a trainable weight and returns its read ({@code tf.identity}) for use in {@code call}.
   */
  protected final Operand<TFloat32> addWeight(
      CallContext ctx, String name, Shape shape, Init init) {
    Variable<TFloat32> weight = newVariable(ctx, name, shape, init);
    trainable.add(weight);
    return ctx.tf().withName(name + "_read").identity(weight);
  }

  /** Creates a non-trainable variable (e.g. moving statistics), returned for {@code assign} ops. */
  protected final Variable<TFloat32> addState(
      CallContext ctx, String name, Shape shape, Init init) {
    Variable<TFloat32> state = newVariable(ctx, name, shape, init);
    nonTrainable.add(state);
    return state;
  }

  private Variable<TFloat32> newVariable(CallContext ctx, String name, Shape shape, Init init) {
    if (!building) {
      throw new IllegalStateException(baseName + ": weights can only be created in build()");
    }
    Ops initOps = ctx.tf().withInitScope();
    return ctx.tf().withName(name).variable(init.create(initOps, shape, ctx.seeds().next()));
  }

  /** Throws a clear error when a weight is asked for before the first {@code apply}. */
  protected final <T> T requireBuilt(T weight) {
    if (weight == null) {
      throw new IllegalStateException(baseName + " has not been built yet: apply it first");
    }
    return weight;
  }

  /** The static size of the last axis, with a message naming the layer when it is unknown. */
  protected final long lastDimension(Shape inputShape) {
    if (inputShape.isUnknown() || inputShape.numDimensions() == 0 || inputShape.get(-1) < 0) {
      throw new IllegalArgumentException(
          baseName + " needs a known last dimension, got input shape " + inputShape);
    }
    return inputShape.get(-1);
  }

  @Override
  public final List<Variable<TFloat32>> trainableVariables() {
    return List.copyOf(trainable);
  }

  @Override
  public final List<Variable<TFloat32>> nonTrainableVariables() {
    return List.copyOf(nonTrainable);
  }
}
