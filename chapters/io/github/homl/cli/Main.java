package io.github.homl.cli;

import io.github.homl.config.RunConfig;
import io.github.homl.config.RunOptions;
import io.github.homl.training.Precision;
import io.github.homl.training.RunReport;
import io.github.homl.training.TensorFlowEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.tensorflow.TensorFlow;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/** The command line: {@code list} the sections, {@code run} one of them (or {@code all}). */
@Command(
    name = "homl17",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = Main.Version.class,
    description = "Chapter 17 of Hands-On Machine Learning (3rd ed.) in TensorFlow Java.",
    subcommands = {
      CommandLine.HelpCommand.class,
      Main.ListCommand.class,
      Main.RunCommand.class,
      GenerateCommand.class,
      ExportCommand.class,
      EvaluateCommand.class,
      BenchCommand.class,
      SampleCommand.class,
      TokenizeCommand.class,
      TrainEvaluatorCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "show TensorFlow's native INFO and WARNING log lines (hidden by default)")
  boolean verbose;

  public static void main(String[] args) {
    TensorFlowEnvironment.prepare(); // before TensorFlow loads
    if (!Arrays.asList(args).contains("--verbose")) {
      NativeLog.quiet();
    }
    System.exit(execute(args));
  }

  /** Runs the CLI and returns its exit code (0 on success), for tests. */
  public static int execute(String... args) {
    return new CommandLine(new Main())
        .setParameterExceptionHandler(Main::badArguments)
        .setExecutionExceptionHandler(
            (error, commandLine, parseResult) -> {
              // a clear one-line message for bad input (unknown section, missing data, ...)
              commandLine.getErr().println("error: " + error.getMessage());
              return 2;
            })
        .execute(args);
  }

  /** A bad option or value: the one useful line, and where the usage is, not the whole usage. */
  private static int badArguments(CommandLine.ParameterException error, String[] args) {
    CommandLine command = error.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("error: " + error.getMessage());
    err.println("see '" + command.getCommandSpec().qualifiedName() + " --help'");
    return 2;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code -V}: this project's version and the TensorFlow runtime's. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      }
      return new String[] {
        "homl17 " + properties.getProperty("version", "(version unknown: not built by Maven)"),
        "TensorFlow Java 1.1.0, TensorFlow runtime " + TensorFlow.version(),
        "Java " + System.getProperty("java.version")
      };
    }
  }

  /** {@code list}: every section with its class, one line and its figures. */
  @Command(name = "list", description = "List the sections, their classes and figures.")
  static final class ListCommand implements Runnable {
    @Override
    public void run() {
      for (Section section : Section.values()) {
        System.out.printf(
            "%-10s %-24s %s%s%n%10s figures: %s%n",
            section.id(),
            section.sectionClass().getSimpleName(),
            section.description(),
            section.hasPretrained() ? " [pretrained]" : "",
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
      RunConfig config = options.toConfig(); // checks the options before anything runs
      List<Section> sections =
          section.equals("all") ? List.of(Section.values()) : List.of(Section.byId(section));
      if (config.pretrained()) {
        sections = withPretrainedModels(sections);
      }
      try (OutputFolder out = OutputFolder.claim("--out", config.outDir())) {
        if (config.precision() == Precision.BF16) {
          System.out.println("(training in bf16: TensorFlow's oneDNN bfloat16 rewrite)");
        }
        for (Section s : sections) {
          System.out.println("== " + s.sectionClass().getSimpleName());
          RunReport report = s.run(config);
          System.out.print(report.summary());
        }
      }
      return 0;
    }

    /** The sections that have a committed model; for one section without, an error. */
    private List<Section> withPretrainedModels(List<Section> sections) {
      List<Section> with = sections.stream().filter(Section::hasPretrained).toList();
      if (sections.size() == 1 && with.isEmpty()) {
        throw new IllegalArgumentException(
            "section '"
                + section
                + "' has no pretrained model under savedmodels/pretrained/; these have one: "
                + Section.withPretrained().stream().map(Section::id).toList()
                + " (run it without --pretrained to train it)");
      }
      sections.stream()
          .filter(s -> !with.contains(s))
          .forEach(s -> System.out.println("(" + s.id() + ": no pretrained model, skipped)"));
      return with;
    }
  }
}
