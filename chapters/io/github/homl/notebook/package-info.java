/**
 * The teaching companion's plumbing: {@link io.github.homl.notebook.NotebookSource} turns {@code
 * notebooks/src/*.md} and the listings marked in the section classes ({@code // begin listing NAME}
 * ... {@code // end listing}) into the Jupyter notebooks under {@code notebooks/}, so a listing has
 * one source; {@link io.github.homl.notebook.Notebook} holds what the notebook cells call besides
 * the sections (score bounds).
 */
package io.github.homl.notebook;
