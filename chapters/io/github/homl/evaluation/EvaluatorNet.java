package io.github.homl.evaluation;

import static io.github.homl.layers.Activation.RELU;
import static io.github.homl.layers.Padding.SAME;

import io.github.homl.layers.CallContext;
import io.github.homl.layers.Conv2D;
import io.github.homl.layers.Dense;
import io.github.homl.layers.Dropout;
import io.github.homl.layers.Flatten;
import io.github.homl.layers.Layer;
import io.github.homl.layers.MaxPool2D;
import io.github.homl.layers.Reshape;
import io.github.homl.layers.Sequential;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The evaluator: a small Fashion-MNIST CNN whose 128 penultimate activations ({@code features}) are
 * the space FID-FMNIST and KID compare images in, and whose {@code logits} give class coverage and
 * conditional accuracy.
 *
 * <pre>
 * [n, 28, 28] → Reshape [28, 28, 1]
 *   → Conv2D(32, 3, same, relu) → MaxPool2D   [14, 14, 32]
 *   → Conv2D(64, 3, same, relu) → MaxPool2D   [7, 7, 64]
 *   → Flatten → Dropout(0.25) → Dense(128, relu) = features → Dropout(0.5) → Dense(10) = logits
 * </pre>
 *
 * About 421,000 weights: 1.7 MB as a SavedModel.
 */
public final class EvaluatorNet implements Layer {

  public static final int FEATURES = 128;
  public static final int CLASSES = 10;

  private final Sequential convolutions =
      Sequential.of(
          new Reshape(28, 28, 1),
          new Conv2D(32, 3).padding(SAME).activation(RELU),
          new MaxPool2D(),
          new Conv2D(64, 3).padding(SAME).activation(RELU),
          new MaxPool2D(),
          new Flatten(),
          new Dropout(0.25f));
  private final Dense features = new Dense(FEATURES, RELU);
  private final Dropout dropout = new Dropout(0.5f);
  private final Dense logits = new Dense(CLASSES);

  /** The two outputs of one path through the network. */
  public record Outputs(Operand<TFloat32> features, Operand<TFloat32> logits) {}

  /** Adds one path from {@code images} ({@code [n, 28, 28]} in [0, 1]) to both outputs. */
  public Outputs call(CallContext ctx, Operand<TFloat32> images) {
    Operand<TFloat32> f = features.apply(ctx, convolutions.apply(ctx, images));
    return new Outputs(f, logits.apply(ctx, dropout.apply(ctx, f)));
  }

  /** The logits path, so the network trains as an ordinary images-to-logits layer. */
  @Override
  public Operand<TFloat32> apply(CallContext ctx, Operand<TFloat32> images) {
    return call(ctx, images).logits();
  }

  @Override
  public List<Variable<TFloat32>> trainableVariables() {
    List<Variable<TFloat32>> variables = new ArrayList<>(convolutions.trainableVariables());
    variables.addAll(features.trainableVariables());
    variables.addAll(logits.trainableVariables());
    return List.copyOf(variables);
  }
}
