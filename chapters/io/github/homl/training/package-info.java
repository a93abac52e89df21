/**
 * Training on top of the layers. {@link io.github.homl.training.Fit} is the one training loop
 * (Keras's {@code fit}: epochs, shuffling, progress, the NaN stop, history, held-out losses,
 * checkpoints and resume); a model plugs in a {@link io.github.homl.training.TrainingStep} (its
 * {@code train_step} and {@code test_step}, which return their {@link
 * io.github.homl.training.LossValues} by name), and {@link io.github.homl.training.Fit.Listener}s
 * (Keras's callbacks) watch it. {@link io.github.homl.training.Workspace} holds one graph, its
 * session, the run's {@link io.github.homl.training.Seeds} and the keyed random ops, and runs every
 * feed through {@link io.github.homl.training.Feeds}; {@link
 * io.github.homl.training.GradientUpdate} is one update of an explicit variable list (the
 * GradientTape step of custom loops); {@link io.github.homl.training.Trainer} is Keras's compile +
 * fit for image-to-image models. Also: our Keras-exact optimizers ({@code Nadam}, {@code Adam},
 * {@code RMSProp}), losses, {@link io.github.homl.training.History} and checkpoints ({@link
 * io.github.homl.training.CheckpointFolder}). The command line stays above, in {@code config}.
 */
package io.github.homl.training;
