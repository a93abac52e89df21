package io.github.homl.chapter17;

import io.github.homl.chapter17.DiffusionModel.NoisyBatch;
import io.github.homl.chapter17.DiffusionModel.Schedule;
import io.github.homl.data.Batches;
import io.github.homl.data.Images;
import io.github.homl.training.Checkpoints;
import io.github.homl.training.History;
import io.github.homl.training.Losses;
import io.github.homl.training.Nadam;
import io.github.homl.training.TrainStep;
import io.github.homl.training.Workspace;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** The diffusion model's {@code compile} and {@code fit}: two inputs, and targets made in-graph. */
final class DiffusionTraining {

  private DiffusionTraining() {}

  /**
   * {@code model.compile(loss=Huber(), optimizer=Nadam()); model.fit(train_set,
   * validation_data=valid_set, epochs)}: checkpoints after every epoch, and with {@code resume}
   * continues from the last one.
   */
  static History fit(Workspace ws, DiffusionUnet model, Schedule schedule, Images xTrain,
      Images xValid, int epochs, Checkpoints checkpoints, boolean resume) {
    Ops tf = ws.tf();
    Placeholder<TFloat32> images = ws.placeholder(-1, 28, 28);
    NoisyBatch train = DiffusionModel.prepareBatch(ws, schedule, images);
    Operand<TFloat32> loss = Losses.HUBER.apply(tf, train.noise(),
        model.call(model.layers(ws.training()), train.xNoisy(), train.time()));
    TrainStep step = ws.trainStep(loss, model, Nadam::legacy);
    printParams(model);
    NoisyBatch valid = DiffusionModel.prepareBatch(ws, schedule, images);
    Operand<TFloat32> valLoss = Losses.HUBER.apply(tf, valid.noise(),
        model.call(model.layers(ws.inference()), valid.xNoisy(), valid.time()));

    History history = resume && checkpoints.exists() ? checkpoints.restore(ws) : new History();
    Batches batches = Batches.of(xTrain, DiffusionModel.BATCH_SIZE).shuffled(ws.seeds().next());
    for (int done = 0; done < history.size(); done++) {
      batches.nextEpochIndices(); // the epochs already trained used these shuffles
    }
    for (int epoch = history.size() + 1; epoch <= epochs; epoch++) {
      long start = System.nanoTime();
      double sum = 0;
      List<Images> epochBatches = batches.nextEpoch();
      for (Images batch : epochBatches) {
        float value = step.run(images, batch);
        if (!Float.isFinite(value)) {
          throw new IllegalStateException("loss became " + value + " at epoch " + epoch);
        }
        sum += (double) value * batch.count(); // Keras weights batch losses by size
      }
      double val = evaluate(ws, valLoss, images, xValid);
      double seconds = (System.nanoTime() - start) / 1e9;
      history.add(new History.Epoch(epoch, sum / xTrain.count(), val, seconds,
          epochBatches.size()));
      System.out.printf(Locale.ROOT, "Epoch %d/%d%n%d/%d - %.0fs - %.0fms/step - loss: %.4f"
          + " - val_loss: %.4f%n", epoch, epochs, epochBatches.size(), epochBatches.size(),
          seconds, seconds * 1000 / epochBatches.size(), history.last().loss(), val);
      checkpoints.save(ws, history);
    }
    return history;
  }

  /** The validation loss: fresh time steps and noise at every call, as the book's valid_set. */
  private static double evaluate(Workspace ws, Operand<TFloat32> valLoss,
      Placeholder<TFloat32> images, Images xValid) {
    double sum = 0;
    for (int from = 0; from < xValid.count(); from += DiffusionModel.BATCH_SIZE) {
      Images batch = xValid.slice(from, Math.min(xValid.count(), from + DiffusionModel.BATCH_SIZE));
      sum += (double) ws.run(valLoss, Map.of(images, batch))[0] * batch.count();
    }
    return sum / xValid.count();
  }

  private static void printParams(DiffusionUnet model) {
    long total = model.countParams();
    long trainable = model.countTrainableParams();
    System.out.printf(Locale.ROOT, "Total params: %,d%nTrainable params: %,d%n"
        + "Non-trainable params: %,d%n", total, trainable, total - trainable);
  }
}
