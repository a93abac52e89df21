/**
 * Training on top of the layers: {@link io.github.homl.training.Workspace} (one graph, session and
 * seed stream), {@link io.github.homl.training.Trainer} (Keras's compile + fit), {@link
 * io.github.homl.training.TrainStep} (one update of an explicit variable list, the GradientTape step
 * of custom loops), our Keras-exact optimizers ({@code Nadam}, {@code Adam}, {@code RMSProp}), losses,
 * {@link io.github.homl.training.History} and the run options shared by every section. Start with
 * {@code Workspace.compile}.
 */
package io.github.homl.training;
