/**
 * Measuring generative quality with one fixed yardstick: the committed evaluator CNN ({@code
 * savedmodels/evaluator/}, trained by {@link io.github.homl.evaluation.EvaluatorTraining}) and the
 * scores computed in its 128-d feature space against the 10,000 Fashion-MNIST test images:
 * FID-FMNIST ({@link io.github.homl.evaluation.Gaussian}, with a Jacobi matrix square root), KID
 * ({@link io.github.homl.evaluation.Kid}), class coverage, conditional accuracy and reconstruction
 * MSE ({@link io.github.homl.evaluation.Metrics}). Start with {@link
 * io.github.homl.evaluation.Evaluator}: {@code Evaluator.load().score(name, images).print()}; the
 * {@code evaluate} command scores a generator SavedModel or an images file.
 */
package io.github.homl.evaluation;
