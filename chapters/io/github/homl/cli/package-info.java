/**
 * The command line ({@code Main}, picocli): {@code list} and {@code run <section> [--epochs N]
 * [--quick] [--seed N] [--data DIR] [--out DIR]}.
 */
package io.github.homl.cli;
