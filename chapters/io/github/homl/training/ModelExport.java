package io.github.homl.training;

import java.util.List;
import java.util.function.Supplier;
import org.tensorflow.Signature;

/**
 * Where a section hands over its trained inference models, before its workspace closes: set by the
 * CLI's {@code export} command through the run's configuration ({@code
 * config.RunConfig#withExport}), absent otherwise. Sections call {@code RunConfig#export}, which
 * does nothing (and adds nothing to the graph) when no export was asked for.
 */
public interface ModelExport {

  /**
   * Any inference paths, built in {@code ws} by {@code signatures} only if this model is the one
   * exported (named inputs and outputs: the VAE's {@code encode_distribution}, the conditional
   * GAN's {@code codings} and {@code label}, the diffusion model's {@code denoise}).
   */
  void model(Workspace ws, String modelName, History history, Supplier<List<Signature>> signatures);
}
