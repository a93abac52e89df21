/**
 * SavedModels both ways: {@link io.github.homl.saving.SavedModels#export} writes the inference path
 * of a trained model (only the ops and variables it needs) as a SavedModel with named signatures
 * that Python's {@code tf.saved_model.load(dir).signatures[...]} calls; {@link
 * io.github.homl.saving.SavedModels#load} opens any SavedModel (ours or Keras's) as a {@link
 * io.github.homl.saving.LoadedModel}, which lists its signatures and calls them by name on plain
 * float or int arrays ({@link io.github.homl.data.TensorValue}); {@link
 * io.github.homl.saving.SignatureCalls} is that call, on a SavedModel or on signatures still in
 * their training session, so host code runs the same on both. {@link
 * io.github.homl.saving.Pretrained} finds the committed models. {@link io.github.homl.data.Npy}
 * reads and writes the NumPy files that carry reference inputs and outputs between the two sides.
 * Start with {@code SavedModels}.
 */
package io.github.homl.saving;
