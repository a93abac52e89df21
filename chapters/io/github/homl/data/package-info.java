/**
 * Fashion-MNIST for the chapter's examples: finding and reading the four IDX files (from a given
 * directory, the {@code data/fashion-mnist/} cache, Debian's {@code dataset-fashion-mnist}, or a
 * checked download), splitting them as the book does (55,000 train, the last 5,000 training images
 * for validation, 10,000 test, pixels scaled to {@code [0, 1]}), and cutting a data set into
 * seeded, reshuffled mini-batches. It uses the JDK only, no TensorFlow, so any package can depend
 * on it.
 */
package io.github.homl.data;
