package io.github.homl.notebook;

import io.github.homl.evaluation.Scores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One notebook's source cells, made from a markdown file of {@code notebooks/src/}: its text
 * becomes markdown cells (a new cell at each heading), each fenced {@code java} block a code cell,
 * and each line {@code <<listing Class#name>>} a code cell holding the region {@code // begin
 * listing name} ... {@code // end listing} of {@code Class.java} under {@code chapters/}. A first
 * code cell imports what the listed classes import. The hash of the cells goes into the notebook's
 * metadata, so a test sees when a listing changed and the committed notebook was not made again.
 */
public final class NotebookSource {

  /** The kernel {@code notebooks/setup.sh} installs. */
  public static final String KERNEL = "homl-java";

  private static final Pattern LISTING = Pattern.compile("^<<listing (\\w+)#([\\w-]+)>>\\s*$");
  private static final Pattern IMPORT = Pattern.compile("^import (static )?[\\w.]+(\\.\\*)?;$");

  /** A cell: {@code markdown} or {@code code}, and its text. */
  public record Cell(String type, String source) {}

  private final String name;
  private final List<Cell> cells;

  private NotebookSource(String name, List<Cell> cells) {
    this.name = name;
    this.cells = List.copyOf(cells);
  }

  public String name() {
    return name;
  }

  public List<Cell> cells() {
    return cells;
  }

  /** Reads {@code markdown} and the listings it names from the sources under {@code chapters}. */
  public static NotebookSource read(Path markdown, Path chapters) {
    String file = markdown.getFileName().toString();
    List<Cell> cells = new ArrayList<>();
    Set<String> imports = new LinkedHashSet<>();
    StringBuilder text = new StringBuilder();
    StringBuilder code = null;
    int lineNumber = 0;
    for (String line : readLines(markdown)) {
      lineNumber++;
      Matcher listing = LISTING.matcher(line);
      if (code != null) {
        if (line.equals("```")) {
          cells.add(new Cell("code", code.toString().strip()));
          code = null;
        } else {
          code.append(line).append('\n');
        }
      } else if (line.equals("```java")) {
        flushMarkdown(text, cells);
        code = new StringBuilder();
      } else if (listing.matches()) {
        flushMarkdown(text, cells);
        Path source = find(chapters, listing.group(1) + ".java", markdown, lineNumber);
        cells.add(new Cell("code", region(source, listing.group(2), markdown, lineNumber)));
        imports.addAll(imports(source));
      } else {
        if (line.startsWith("#") && !text.toString().isBlank()) {
          flushMarkdown(text, cells);
        }
        text.append(line).append('\n');
      }
    }
    if (code != null) {
      throw new IllegalArgumentException(markdown + ": a ```java block is not closed");
    }
    flushMarkdown(text, cells);
    if (!imports.isEmpty()) {
      int first = 0;
      while (first < cells.size() && !cells.get(first).type().equals("code")) {
        first++;
      }
      cells.add(first, new Cell("code", String.join("\n", imports)));
    }
    return new NotebookSource(file.substring(0, file.length() - ".md".length()), cells);
  }

  /** Every notebook of {@code srcDir} ({@code *.md}, by name). */
  public static List<NotebookSource> readAll(Path srcDir, Path chapters) {
    try (Stream<Path> files = Files.list(srcDir)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".md"))
          .sorted()
          .map(p -> read(p, chapters))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + srcDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * SHA-256 over each cell's type and text (a zero char after each), in hex: the same as {@code
   * notebooks/run.py} computes from a notebook's cells.
   */
  public String sourceHash() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Cell cell : cells) {
        digest.update((cell.type() + "\0" + cell.source() + "\0").getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The notebook as nbformat 4.5 JSON, without outputs, its source hash in the metadata. */
  public String toJson() {
    StringBuilder json = new StringBuilder("{\n \"cells\": [");
    for (int i = 0; i < cells.size(); i++) {
      Cell cell = cells.get(i);
      json.append(i == 0 ? "\n" : ",\n").append("  {\n   \"cell_type\": \"").append(cell.type());
      json.append("\",\n   \"id\": \"").append(String.format("cell-%02d", i)).append("\",\n");
      if (cell.type().equals("code")) {
        json.append("   \"execution_count\": null,\n   \"metadata\": {},\n   \"outputs\": [],\n");
      } else {
        json.append("   \"metadata\": {},\n");
      }
      json.append("   \"source\": ").append(quote(cell.source())).append("\n  }");
    }
    json.append("\n ],\n \"metadata\": {\n  \"homl\": {\"source_hash\": \"")
        .append(sourceHash())
        .append("\"},\n  \"kernelspec\": {\"display_name\": \"Java (homl chapter 17)\",")
        .append(" \"language\": \"java\", \"name\": \"")
        .append(KERNEL)
        .append("\"},\n  \"language_info\": {\"name\": \"java\"}\n },\n")
        .append(" \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n");
    return json.toString();
  }

  /**
   * Writes every notebook of {@code notebooks/src} to {@code args[0]} (default {@code notebooks}),
   * unexecuted: {@code notebooks/run.py} executes them.
   */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "notebooks");
    Files.createDirectories(out);
    for (NotebookSource notebook : readAll(Path.of("notebooks", "src"), Path.of("chapters"))) {
      Path target = out.resolve(notebook.name() + ".ipynb");
      Files.writeString(target, notebook.toJson(), StandardCharsets.UTF_8);
      System.out.println(target + ": " + notebook.cells().size() + " cells");
    }
  }

  private static void flushMarkdown(StringBuilder text, List<Cell> cells) {
    String markdown = text.toString().strip();
    if (!markdown.isEmpty()) {
      cells.add(new Cell("markdown", markdown));
    }
    text.setLength(0);
  }

  /** The lines between {@code // begin listing name} and {@code // end listing}, dedented. */
  static String region(Path source, String name, Path markdown, int lineNumber) {
    List<String> lines = readLines(source);
    int begin = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals("// begin listing " + name)) {
        if (begin >= 0) {
          throw new IllegalArgumentException(source + ": listing '" + name + "' is marked twice");
        }
        begin = i;
      }
    }
    if (begin < 0) {
      throw new IllegalArgumentException(
          markdown + ":" + lineNumber + ": " + source + " has no '// begin listing " + name + "'");
    }
    List<String> body = new ArrayList<>();
    for (int i = begin + 1; i < lines.size(); i++) {
      if (lines.get(i).strip().equals("// end listing")) {
        int indent =
            body.stream()
                .filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length())
                .min()
                .orElse(0);
        return String.join(
                "\n", body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList())
            .strip();
      }
      body.add(lines.get(i));
    }
    throw new IllegalArgumentException(source + ": listing '" + name + "' has no '// end listing'");
  }

  /**
   * The imports of {@code source}, the class itself and the public classes of its own package it
   * names (the kernel has no package, so what the source needs no import for, the cell does).
   */
  private static List<String> imports(Path source) {
    List<String> lines = readLines(source);
    List<String> imports = new ArrayList<>();
    String className = source.getFileName().toString().replace(".java", "");
    String pkg =
        lines.stream()
            .filter(l -> l.startsWith("package "))
            .findFirst()
            .map(p -> p.substring(8, p.length() - 1))
            .orElse("");
    imports.add("import " + pkg + "." + className + ";");
    // a static import of the section's own package names a package-private constant, which the
    // kernel (outside the package) cannot see: the listings that use it declare it themselves
    lines.stream()
        .filter(l -> IMPORT.matcher(l).matches())
        .filter(l -> !l.startsWith("import static " + pkg + "."))
        .forEach(imports::add);
    String text = String.join("\n", lines);
    for (String sibling : publicSiblings(source)) {
      if (!sibling.equals(className)
          && Pattern.compile("\\b" + sibling + "\\b").matcher(text).find()) {
        imports.add("import " + pkg + "." + sibling + ";");
      }
    }
    return imports;
  }

  /** The public top-level classes in {@code source}'s folder, by name. */
  private static List<String> publicSiblings(Path source) {
    try (Stream<Path> files = Files.list(source.toAbsolutePath().getParent())) {
      return files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !p.getFileName().toString().equals("package-info.java"))
          .filter(p -> readLines(p).stream().anyMatch(l -> l.startsWith("public ")))
          .map(p -> p.getFileName().toString().replace(".java", ""))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path find(Path chapters, String fileName, Path markdown, int lineNumber) {
    try (Stream<Path> files = Files.walk(chapters)) {
      List<Path> found = files.filter(p -> p.getFileName().toString().equals(fileName)).toList();
      if (found.size() != 1) {
        throw new IllegalArgumentException(
            markdown
                + ":"
                + lineNumber
                + ": "
                + found.size()
                + " files "
                + fileName
                + " under "
                + chapters
                + " (expected one)");
      }
      return found.get(0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot search " + chapters + ": " + e.getMessage(), e);
    }
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** A JSON array of the lines of {@code text}, each but the last ending in a newline. */
  private static String quote(String text) {
    List<String> lines = new ArrayList<>();
    String[] split = text.split("\n", -1);
    for (int i = 0; i < split.length; i++) {
      lines.add(i < split.length - 1 ? split[i] + "\n" : split[i]);
    }
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < lines.size(); i++) {
      out.append(i == 0 ? "\n    " : ",\n    ").append(Scores.quote(lines.get(i)));
    }
    return out.append("\n   ]").toString();
  }
}
