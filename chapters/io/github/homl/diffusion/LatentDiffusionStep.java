package io.github.homl.diffusion;

import io.github.homl.data.Vectors;
import io.github.homl.text.Captions;
import io.github.homl.text.Tokenizer;
import io.github.homl.training.Adam;
import io.github.homl.training.Feeds;
import io.github.homl.training.GradientUpdate;
import io.github.homl.training.LossValues;
import io.github.homl.training.Losses;
import io.github.homl.training.TrainingStep;
import io.github.homl.training.WeightAverage;
import io.github.homl.training.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
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
  private final Examples train;
  private final Examples valid;
  private final Placeholder<TFloat32> latents;
  private final Placeholder<TInt32> tokens;
  private final GradientUpdate step;
  private final Operand<TFloat32> valLoss;

  /** Latents (encoded and standardized) and the classes their captions are drawn from. */
  public record Examples(Vectors z, int[] y) {
    public Examples {
      if (z.count() != y.length) {
        throw new IllegalArgumentException(z.count() + " latents but " + y.length + " classes");
      }
    }
  }

  /**
   * Builds the training path and the inference path of {@code model}, and, unless {@code averaged}
   * is null, an update of {@code averaged} (the same architecture) towards it after each step, with
   * decay {@code decay} ({@link WeightAverage}).
   */
  public LatentDiffusionStep(
      Workspace ws,
      LatentModel model,
      LatentModel averaged,
      float decay,
      float learningRate,
      Examples train,
      Examples valid) {
    this.ws = ws;
    this.tokenizer = model.tokenizer();
    this.train = train;
    this.valid = valid;
    Ops tf = ws.tf();
    long[] shape = model.shape();
    latents = ws.placeholder(-1, model.latentSize());
    tokens = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, Tokenizer.MAX_TOKENS)));
    Operand<TFloat32> x0 =
        tf.reshape(latents, tf.constant(new long[] {-1, shape[0], shape[1], shape[2]}));
    NoisyBatch noisy = NoisyBatch.of(ws, model.schedule(), x0);
    LatentUnet unet = model.unet();
    Operand<TFloat32> context = model.textEncoder().call(ws.training(), tokens);
    Operand<TFloat32> loss =
        Losses.HUBER.apply(
            tf,
            noisy.noise(),
            unet.call(unet.layers(ws.training()), noisy.xNoisy(), noisy.time(), context));
    GradientUpdate update =
        ws.gradientUpdate(loss, model::trainableVariables, () -> new Adam(learningRate));
    if (averaged != null) { // build its weights, then follow the trained ones
      averaged
          .unet()
          .call(
              averaged.unet().layers(ws.inference()),
              noisy.xNoisy(),
              noisy.time(),
              averaged.textEncoder().call(ws.inference(), tokens));
      update =
          new WeightAverage(ws, "weight_average", model.variables(), averaged.variables(), decay)
              .after(update);
    }
    step = update;
    NoisyBatch held = NoisyBatch.of(ws, model.schedule(), x0);
    valLoss =
        Losses.HUBER.apply(
            tf,
            held.noise(),
            unet.call(
                unet.layers(ws.inference()),
                held.xNoisy(),
                held.time(),
                model.textEncoder().call(ws.inference(), tokens)));
  }

  /** Captions drawn with the step's random key, so a resumed run draws the same ones. */
  @Override
  public LossValues trainStep(Batch batch) {
    Random random = new Random(batch.randomKey());
    List<String> captions = new ArrayList<>();
    for (int i : batch.indices()) {
      captions.add(
          random.nextDouble() < PROMPT_DROP
              ? "" // the empty prompt: all <pad>
              : Captions.random(train.y()[i], random));
    }
    return LossValues.of("loss", step.run(feeds(batch, train.z(), captions)));
  }

  @Override
  public LossValues testStep(Batch batch) {
    List<String> prompts = new ArrayList<>();
    for (int i : batch.indices()) {
      prompts.add(Captions.prompt(valid.y()[i]));
    }
    return LossValues.of("loss", ws.run(valLoss, feeds(batch, valid.z(), prompts))[0]);
  }

  private Feeds feeds(Batch batch, Vectors z, List<String> captions) {
    return ws.feeds(batch)
        .vectors(latents, z.gather(batch.indices()))
        .ints(tokens, tokenizer.encodeAll(captions), captions.size(), Tokenizer.MAX_TOKENS);
  }
}
