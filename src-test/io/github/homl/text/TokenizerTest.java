package io.github.homl.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenizerTest {

  private final Tokenizer tokenizer = Tokenizer.standard();

  @Test
  void encodeAllIsEachPromptsIdsRowByRow() {
    Tokenizer tokenizer = Tokenizer.standard();
    int[] both = tokenizer.encodeAll(List.of("an ankle boot", ""));
    assertEquals(2 * Tokenizer.MAX_TOKENS, both.length);
    int[] first = java.util.Arrays.copyOfRange(both, 0, Tokenizer.MAX_TOKENS);
    int[] second = java.util.Arrays.copyOfRange(both, Tokenizer.MAX_TOKENS, both.length);
    assertArrayEquals(tokenizer.encode("an ankle boot"), first);
    assertArrayEquals(tokenizer.encode(""), second);
  }

  @Test
  void knownWordsGetTheirLineNumberAndThePromptIsPaddedToMaxTokens() {
    int[] ids = tokenizer.encode("a photo of an ankle boot");

    assertEquals(Tokenizer.MAX_TOKENS, ids.length);
    assertEquals("a photo of an ankle boot", tokenizer.decode(ids));
    assertEquals(2, ids[0]); // "a" is line 3 of vocabulary.txt
    for (int i = 6; i < ids.length; i++) {
      assertEquals(Tokenizer.PAD, ids[i], "position " + i);
    }
  }

  @Test
  void caseAndPunctuationDoNotMatterAndHyphensStayInsideWords() {
    assertArrayEquals(tokenizer.encode("t-shirt top"), tokenizer.encode("  T-Shirt/TOP!"));
  }

  @Test
  void unknownWordsBecomeUnkAndAreListed() {
    String prompt = "a salamander reading a book";
    int[] ids = tokenizer.encode(prompt);

    assertArrayEquals(
        new int[] {2, Tokenizer.UNKNOWN, Tokenizer.UNKNOWN, 2, Tokenizer.UNKNOWN},
        java.util.Arrays.copyOf(ids, 5));
    assertEquals(List.of("salamander", "reading", "book"), tokenizer.unknownWords(prompt));
  }

  @Test
  void theEmptyPromptIsAllPaddingTheUnconditionalPrompt() {
    int[] empty = new int[Tokenizer.MAX_TOKENS];

    assertArrayEquals(empty, tokenizer.encode(""));
    assertArrayEquals(empty, tokenizer.encode("   "));
    assertArrayEquals(empty, tokenizer.encode("?!"));
  }

  @Test
  void aPromptLongerThanMaxTokensIsAnErrorThatSaysBothCounts() {
    String prompt = "a b c d e f g h i j k l m";
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> tokenizer.encode(prompt));

    assertEquals(
        "the prompt '" + prompt + "' has 13 words; at most " + Tokenizer.MAX_TOKENS + " fit",
        e.getMessage());
  }

  @Test
  void aPromptOfExactlyMaxTokensFits() {
    assertEquals(
        Tokenizer.MAX_TOKENS, tokenizer.encode("boot ".repeat(Tokenizer.MAX_TOKENS)).length);
  }

  @Test
  void aMissingPromptIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> tokenizer.encode(null));
  }

  @Test
  void everyTrainingCaptionFitsAndUsesOnlyVocabularyWords() {
    Random random = new Random(42);
    for (int label = 0; label < Captions.classes(); label++) {
      assertEquals(List.of(), tokenizer.unknownWords(Captions.prompt(label)), "class " + label);
      for (int draw = 0; draw < 500; draw++) {
        String caption = Captions.random(label, random);
        assertEquals(List.of(), tokenizer.unknownWords(caption), caption);
        assertEquals(Tokenizer.MAX_TOKENS, tokenizer.encode(caption).length, caption);
      }
    }
  }

  @Test
  void captionsUseTheClassNamesAndTheirSynonyms() {
    assertEquals("a photo of an ankle boot", Captions.prompt(9));
    assertEquals("a photo of a t-shirt", Captions.prompt(0));
    Random random = new Random(1);
    boolean sawSynonym = false;
    for (int draw = 0; draw < 200; draw++) {
      String caption = Captions.random(5, random);
      assertTrue(caption.contains("sandal"), caption);
      sawSynonym |= caption.contains("sandals");
    }
    assertTrue(sawSynonym, "200 captions of class 5 never said 'sandals'");
  }

  @Test
  void aVocabularyMustStartWithPadAndUnk() {
    assertThrows(IllegalArgumentException.class, () -> Tokenizer.of(List.of("a", "<pad>")));
    assertThrows(
        IllegalArgumentException.class, () -> Tokenizer.of(List.of("<pad>", "<unk>", "a", "a")));
  }
}
