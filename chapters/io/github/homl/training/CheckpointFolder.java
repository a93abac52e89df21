package io.github.homl.training;

import java.nio.file.Path;

/**
 * Where a run keeps the checkpoints of its models and how: one folder per model under {@code dir},
 * the newest two epochs and every {@code keepEvery}-th kept, and whether training continues from
 * them. What the training machinery needs of {@code --out}, {@code --resume}, {@code --keep-every}
 * and {@code --from-epoch}.
 *
 * @param dir the folder holding one folder per model ({@code <out>/checkpoints})
 * @param resume continue each model from its checkpoint ({@code --resume})
 * @param keepEvery also keep every {@code keepEvery}-th epoch's checkpoint, or 0 for the newest two
 * @param fromEpoch continue from this epoch's kept checkpoint, or {@code null} for the newest
 */
public record CheckpointFolder(Path dir, boolean resume, int keepEvery, Integer fromEpoch) {

  /** The checkpoints of model {@code name}: {@code <dir>/<name>}. */
  public Checkpoints model(String name) {
    return Checkpoints.in(dir.resolve(name)).keepingEvery(keepEvery).restoringEpoch(fromEpoch);
  }
}
