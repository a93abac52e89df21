package io.github.homl.stablediffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java CLIP tokenizer against KerasCV's {@code SimpleTokenizer} on the 1,200 strings of {@code
 * clip_tokenizer_cases.txt} (written by {@code savedmodels/keras/make_clip_tokenizer_cases.py}, so
 * no Python runs here). The vocabulary is the one {@code savedmodels/keras/fetch_clip_vocab.sh}
 * fetches; without it the test is skipped, or fails under {@code HOML_REQUIRE_PYTHON=1} (CI).
 */
public class ClipTokenizerTest {

  public static final Path VOCAB = Path.of("savedmodels/keras/.cache", ClipTokenizer.VOCAB_FILE);
  private static final Path CASES =
      Path.of("src-test/io/github/homl/stablediffusion/clip_tokenizer_cases.txt");

  private static ClipTokenizer tokenizer;

  @BeforeAll
  static void load() {
    tokenizer = loadOrSkip();
  }

  /** The tokenizer on the fetched vocabulary, or the test skipped (failed in CI) without it. */
  public static ClipTokenizer loadOrSkip() {
    if (!Files.isRegularFile(VOCAB)) {
      String why = VOCAB + " is missing: run savedmodels/keras/fetch_clip_vocab.sh";
      if ("1".equals(System.getenv("HOML_REQUIRE_PYTHON"))) {
        throw new IllegalStateException(why);
      }
      Assumptions.abort(why);
    }
    return ClipTokenizer.load(VOCAB);
  }

  record Case(String text, int[] ids) {}

  static List<Case> cases() throws IOException {
    List<Case> cases = new ArrayList<>();
    for (String line : Files.readAllLines(CASES, StandardCharsets.UTF_8)) {
      int tab = line.indexOf('\t');
      int[] ids =
          Arrays.stream(line.substring(0, tab).split(" ")).mapToInt(Integer::parseInt).toArray();
      cases.add(new Case(jsonString(line.substring(tab + 1)), ids));
    }
    return cases;
  }

  @Test
  void equalsKerasCvsSimpleTokenizerOnEveryFixtureString() throws IOException {
    List<Case> cases = cases();
    List<String> wrong = new ArrayList<>();
    int longer = 0;
    for (Case c : cases) {
      int[] ids = tokenizer.encode(c.text());
      if (!Arrays.equals(c.ids(), ids)) {
        wrong.add(
            jsonLiteral(c.text())
                + "\n  KerasCV "
                + Arrays.toString(c.ids())
                + "\n  Java    "
                + Arrays.toString(ids));
      }
      longer += c.ids().length > ClipTokenizer.MAX_LENGTH ? 1 : 0;
    }
    assertTrue(cases.size() >= 1000, "the fixture has only " + cases.size() + " strings");
    assertTrue(longer > 10, "the fixture has only " + longer + " strings beyond 77 tokens");
    System.out.printf(
        "ClipTokenizer: %d of %d strings equal to KerasCV's SimpleTokenizer (%d beyond 77 tokens)%n",
        cases.size() - wrong.size(), cases.size(), longer);
    assertEquals(
        0,
        wrong.size(),
        wrong.size()
            + " strings differ, the first: "
            + String.join("\n", wrong.subList(0, Math.min(5, wrong.size()))));
  }

  @Test
  void tokensArePaddedWithTheEndTokenAndTooLongPromptsAreRejectedAsKerasCvDoes()
      throws IOException {
    int[] ids = tokenizer.tokens("a salamander reading a book");
    assertEquals(ClipTokenizer.MAX_LENGTH, ids.length);
    assertArrayEquals(
        new int[] {ClipTokenizer.START, 320, 19007, 3935, 2337, 320, 1116}, Arrays.copyOf(ids, 7));
    for (int i = 7; i < ids.length; i++) {
      assertEquals(ClipTokenizer.END, ids[i]);
    }
    for (Case c : cases()) {
      if (c.ids().length <= ClipTokenizer.MAX_LENGTH) {
        int[] padded = tokenizer.tokens(c.text());
        assertArrayEquals(c.ids(), Arrays.copyOf(padded, c.ids().length));
      } else {
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> tokenizer.tokens(c.text()));
        assertTrue(e.getMessage().contains("too long"), e.getMessage());
      }
    }
    // 75 words of one token ("book" is 1116) fit exactly; the 76th does not
    assertEquals(77, tokenizer.tokens("book ".repeat(75)).length);
    assertThrows(IllegalArgumentException.class, () -> tokenizer.tokens("book ".repeat(76)));
  }

  @Test
  void aVocabularyWithAnotherChecksumIsRefused(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    Path fake = dir.resolve(ClipTokenizer.VOCAB_FILE);
    Files.write(fake, new byte[] {31, -117, 8, 0});
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.load(fake));
    assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> ClipTokenizer.load(dir.resolve("none.gz")));
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
  }

  /** Reads a JSON string literal, as Python's {@code json.dumps} writes it. */
  static String jsonString(String literal) {
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < literal.length() - 1; i++) {
      char c = literal.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = literal.charAt(++i);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> {
          out.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> out.append(e); // \" \\ \/
      }
    }
    return out.toString();
  }

  private static String jsonLiteral(String s) {
    StringBuilder out = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            c -> {
              if (c < 0x20 || c == '"' || c == '\\') {
                out.append(String.format("\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.append('"').toString();
  }
}
