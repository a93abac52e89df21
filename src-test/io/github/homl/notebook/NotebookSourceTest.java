package io.github.homl.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed notebooks hold the cells the generator makes from today's listings: a listing
 * edited in a section class and not remade into its notebook fails here ({@code notebooks/run.py
 * --update} remakes and executes them; {@code notebooks/run.py} checks the outputs).
 */
class NotebookSourceTest {

  private static final Pattern HASH = Pattern.compile("\"source_hash\": \"([0-9a-f]{64})\"");

  @TempDir Path dir;

  @Test
  void everyCommittedNotebookHoldsTheCellsOfTodaysListings() throws IOException {
    List<NotebookSource> notebooks =
        NotebookSource.readAll(Path.of("notebooks", "src"), Path.of("chapters"));
    assertFalse(notebooks.isEmpty(), "no notebooks/src/*.md");
    for (NotebookSource notebook : notebooks) {
      Path committed = Path.of("notebooks", notebook.name() + ".ipynb");
      assertTrue(Files.isRegularFile(committed), committed + " is not committed");
      Matcher hash = HASH.matcher(Files.readString(committed, StandardCharsets.UTF_8));
      assertTrue(hash.find(), committed + " has no source_hash");
      assertEquals(
          notebook.sourceHash(),
          hash.group(1),
          committed
              + " differs from notebooks/src and today's listings: notebooks/run.sh --update");
    }
  }

  @Test
  void aListingCellIsTheMarkedRegionDedentedAndTheClassImportsComeFirst() throws IOException {
    Path chapters = Files.createDirectories(dir.resolve("chapters/a"));
    Files.writeString(
        chapters.resolve("Demo.java"),
        "package a;\n\nimport java.util.List;\n\nclass Demo {\n  void f() {\n"
            + "    // begin listing demo\n    int x = 1;\n      int y = x;\n    // end listing\n"
            + "  }\n}\n");
    Path markdown = dir.resolve("01_demo.md");
    Files.writeString(
        markdown, "# Demo\n\ntext\n\n<<listing Demo#demo>>\n\n```java\nint z = 3;\n```\n");

    NotebookSource notebook = NotebookSource.read(markdown, dir.resolve("chapters"));

    assertEquals(
        List.of(
            new NotebookSource.Cell("markdown", "# Demo\n\ntext"),
            new NotebookSource.Cell("code", "import a.Demo;\nimport java.util.List;"),
            new NotebookSource.Cell("code", "int x = 1;\n  int y = x;"),
            new NotebookSource.Cell("code", "int z = 3;")),
        notebook.cells());
  }

  @Test
  void aMissingListingIsAnErrorNamingTheMarkdownLineAndTheClass() throws IOException {
    Path chapters = Files.createDirectories(dir.resolve("chapters"));
    Files.writeString(chapters.resolve("Demo.java"), "package a;\nclass Demo {}\n");
    Path markdown = dir.resolve("01_demo.md");
    Files.writeString(markdown, "# Demo\n<<listing Demo#nosuch>>\n");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> NotebookSource.read(markdown, chapters));

    assertTrue(e.getMessage().contains("01_demo.md:2"), e.getMessage());
    assertTrue(e.getMessage().contains("no '// begin listing nosuch'"), e.getMessage());
  }
}
