package io.github.homl.chapter17;

import io.github.homl.training.RunConfig;

/** Runs every section of the chapter in the book's order, with the same options as each section. */
public final class Chapter17 {

  private Chapter17() {}

  public static void main(String[] args) {
    RunConfig config = RunConfig.fromArgs(args);
    for (Section section : Section.values()) {
      System.out.println("== " + section.sectionClass().getSimpleName());
      System.out.print(section.run(config).summary());
    }
  }
}
