package io.github.homl.training;

import io.github.homl.layers.Layer;

/**
 * Where a section hands over its trained inference model, before its workspace closes: set by the
 * CLI's {@code export} command through {@link RunConfig#withExport}, absent otherwise. Sections
 * call {@link RunConfig#exportGenerator}, which does nothing (and adds nothing to the graph) when
 * no export was asked for.
 */
public interface ModelExport {

  /** A trained generator or decoder, run in inference mode on codings {@code [batch, size]}. */
  void generator(
      Workspace ws, String modelName, Layer generator, long codingsSize, History history);
}
