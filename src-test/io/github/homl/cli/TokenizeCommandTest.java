package io.github.homl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.homl.stablediffusion.ClipTokenizer;
import io.github.homl.stablediffusion.ClipTokenizerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code tokenize --prompt TEXT}: KerasCV's 77 ids on one line, or one clear error. */
class TokenizeCommandTest {

  @RegisterExtension final StandardStreams streams = new StandardStreams();

  @Test
  void printsTheSeventySevenPaddedIdsOnOneLine() {
    ClipTokenizer tokenizer = ClipTokenizerTest.loadOrSkip();
    String prompt = "A salamander, reading a book!";

    int code =
        Main.execute("tokenize", "--prompt", prompt, "--vocab", ClipTokenizerTest.VOCAB.toString());

    assertEquals(0, code, streams.stderr());
    String[] ids = streams.stdout().strip().split(" ");
    assertEquals(ClipTokenizer.MAX_LENGTH, ids.length, streams.stdout());
    int[] expected = tokenizer.tokens(prompt);
    for (int i = 0; i < ids.length; i++) {
      assertEquals(expected[i], Integer.parseInt(ids[i]), "id " + i);
    }
    assertEquals(ClipTokenizer.START, expected[0]);
    assertEquals(ClipTokenizer.END, expected[ClipTokenizer.MAX_LENGTH - 1]);
  }

  @Test
  void aPromptBeyondSeventySevenTokensIsOneClearError() {
    ClipTokenizerTest.loadOrSkip();

    int code =
        Main.execute(
            "tokenize",
            "--prompt",
            "book ".repeat(80),
            "--vocab",
            ClipTokenizerTest.VOCAB.toString());

    assertEquals(2, code);
    assertTrue(streams.stderr().contains("the prompt is too long: 82 tokens"), streams.stderr());
  }
}
