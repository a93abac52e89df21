package io.github.homl.diffusion;

import io.github.homl.data.Vectors;
import io.github.homl.text.Captions;
import io.github.homl.text.TextEncoder;
import io.github.homl.text.Tokenizer;
import io.github.homl.training.Adam;
import io.github.homl.training.Feeds;
import io.github.homl.training.GradientUpdate;
import io.github.homl.training.Losses;
import io.github.homl.training.TrainingStep;
import io.github.homl.training.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One training step of text-conditioned latent diffusion: a batch of latents (already encoded and
 * scaled) noised at random time steps ({@link NoisyBatch#of}), a random caption of each example's
 * class ({@link Captions#random}), replaced by the empty prompt with probability {@value
 * #PROMPT_DROP} (classifier-free guidance learns the unconditional model this way), and one Adam
 * update of the U-Net and the text encoder together on the Huber loss between the true and the
 * predicted noise. The held-out loss uses each class's plain prompt, never dropped.
 */
public final class LatentDiffusionStep implements TrainingStep {

  /** The fraction of training prompts replaced by the empty one. */
  public static final double PROMPT_DROP = 0.1;

  private final Workspace ws;
  private final Tokenizer tokenizer;
  private final Vectors zTrain;
  private final int[] yTrain;
  private final Vectors zValid;
  private final int[] yValid;
  private final Placeholder<TFloat32> latents;
  private final Placeholder<TInt32> tokens;
  private final GradientUpdate step;
  private final Operand<TFloat32> valLoss;

  /** Builds the training path and the inference path for latents of {@code shape} (h, w, c). */
  public LatentDiffusionStep(
      Workspace ws,
      LatentUnet unet,
      TextEncoder textEncoder,
      Schedule schedule,
      long[] shape,
      float learningRate,
      Tokenizer tokenizer,
      Vectors zTrain,
      int[] yTrain,
      Vectors zValid,
      int[] yValid) {
    this.ws = ws;
    this.tokenizer = tokenizer;
    this.zTrain = zTrain;
    this.yTrain = yTrain;
    this.zValid = zValid;
    this.yValid = yValid;
    Ops tf = ws.tf();
    latents = ws.placeholder(-1, shape[0] * shape[1] * shape[2]);
    tokens = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, Tokenizer.MAX_TOKENS)));
    Operand<TFloat32> x0 =
        tf.reshape(latents, tf.constant(new long[] {-1, shape[0], shape[1], shape[2]}));
    NoisyBatch train = NoisyBatch.of(ws, schedule, x0);
    Operand<TFloat32> context = textEncoder.call(ws.training(), tokens);
    Operand<TFloat32> loss =
        Losses.HUBER.apply(
            tf,
            train.noise(),
            unet.call(unet.layers(ws.training()), train.xNoisy(), train.time(), context));
    step =
        ws.gradientUpdate(
            loss,
            () -> {
              List<Variable<TFloat32>> owned = new ArrayList<>(unet.trainableVariables());
              owned.addAll(textEncoder.trainableVariables());
              return owned;
            },
            () -> new Adam(learningRate));
    NoisyBatch valid = NoisyBatch.of(ws, schedule, x0);
    valLoss =
        Losses.HUBER.apply(
            tf,
            valid.noise(),
            unet.call(
                unet.layers(ws.inference()),
                valid.xNoisy(),
                valid.time(),
                textEncoder.call(ws.inference(), tokens)));
  }

  @Override
  public List<String> lossNames() {
    return List.of("loss");
  }

  /** Captions drawn with the step's random key, so a resumed run draws the same ones. */
  @Override
  public float[] trainStep(Batch batch) {
    Random random = new Random(batch.randomKey());
    List<String> captions = new ArrayList<>();
    for (int i : batch.indices()) {
      captions.add(
          random.nextDouble() < PROMPT_DROP
              ? "" // the empty prompt: all <pad>
              : Captions.random(yTrain[i], random));
    }
    return new float[] {step.run(feeds(batch, zTrain, captions))};
  }

  @Override
  public float[] testStep(Batch batch) {
    List<String> prompts = new ArrayList<>();
    for (int i : batch.indices()) {
      prompts.add(Captions.prompt(yValid[i]));
    }
    return ws.run(valLoss, feeds(batch, zValid, prompts));
  }

  private Feeds feeds(Batch batch, Vectors z, List<String> captions) {
    return ws.feeds(batch)
        .vectors(latents, z.gather(batch.indices()))
        .ints(tokens, tokenizer.encodeAll(captions), captions.size(), Tokenizer.MAX_TOKENS);
  }
}
