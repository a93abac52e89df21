package io.github.homl.cli;

import io.github.homl.chapter17.Section;
import io.github.homl.training.RunOptions;
import io.github.homl.training.RunReport;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** The command line: {@code list} the sections, {@code run} one of them (or {@code all}). */
@Command(
    name = "homl17",
    mixinStandardHelpOptions = true,
    description = "Chapter 17 of Hands-On Machine Learning (3rd ed.) in TensorFlow Java.",
    subcommands = {
      Main.ListCommand.class,
      Main.RunCommand.class,
      GenerateCommand.class,
      ExportCommand.class,
      EvaluateCommand.class,
      BenchCommand.class,
      SampleCommand.class,
      TokenizeCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns its exit code (0 on success), for tests. */
  public static int execute(String... args) {
    return new CommandLine(new Main())
        .setExecutionExceptionHandler(
            (error, commandLine, parseResult) -> {
              // a clear one-line message for bad input (unknown section, missing data, ...)
              commandLine.getErr().println("error: " + error.getMessage());
              return 2;
            })
        .execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code list}: every section with its class, one line and its figures. */
  @Command(name = "list", description = "List the sections, their classes and figures.")
  static final class ListCommand implements Runnable {
    @Override
    public void run() {
      for (Section section : Section.values()) {
        System.out.printf(
            "%-10s %-24s %s%n%10s figures: %s%n",
            section.id(),
            section.sectionClass().getSimpleName(),
            section.description(),
            "",
            String.join(", ", section.figureIds()));
      }
    }
  }

  /** {@code run <section>}: trains the section with the book's settings or the given options. */
  @Command(name = "run", description = "Run a section (see list), or 'all'.")
  static final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SECTION", description = "a section name from 'list', or 'all'")
    String section;

    @Mixin RunOptions options;

    @Override
    public Integer call() {
      if (section.equals("all")) {
        for (Section s : Section.values()) {
          runOne(s);
        }
      } else {
        runOne(Section.byId(section));
      }
      return 0;
    }

    private void runOne(Section s) {
      System.out.println("== " + s.sectionClass().getSimpleName());
      RunReport report = s.run(options.toConfig());
      System.out.print(report.summary());
    }
  }
}
