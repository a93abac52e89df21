package io.github.homl.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny word tokenizer with a fixed vocabulary file (one word per line, its line number is its
 * id), for prompts such as "a photo of an ankle boot".
 *
 * <p>Defined behaviour:
 *
 * <ul>
 *   <li>a prompt is lower-cased and cut into words, a word being a run of letters, digits and
 *       hyphens ("T-shirt/top" gives {@code t-shirt}, {@code top}); everything else separates
 *       words;
 *   <li>every prompt becomes exactly {@link #MAX_TOKENS} ids, padded at the end with {@code <pad>}
 *       (id 0);
 *   <li>a word that is not in the vocabulary becomes {@code <unk>} (id 1); {@link #unknownWords}
 *       lists them, so a caller can warn;
 *   <li>an empty (or blank) prompt is all {@code <pad>}: the unconditional prompt of
 *       classifier-free guidance;
 *   <li>a prompt of more than {@link #MAX_TOKENS} words is an error that says how many words it has
 *       and how many fit (no silent truncation).
 * </ul>
 */
public final class Tokenizer {

  /** Ids per prompt: the longest caption ("a black and white photo of a pair of trousers") fits. */
  public static final int MAX_TOKENS = 12;

  public static final int PAD = 0;
  public static final int UNKNOWN = 1;

  /** The committed vocabulary, beside this class. */
  public static final String VOCABULARY = "vocabulary.txt";

  private static final Pattern WORD = Pattern.compile("[a-z0-9-]+");

  private final List<String> words;
  private final Map<String, Integer> ids = new HashMap<>();

  private Tokenizer(List<String> words) {
    if (words.size() < 2
        || !words.get(PAD).equals("<pad>")
        || !words.get(UNKNOWN).equals("<unk>")) {
      throw new IllegalArgumentException(
          "a vocabulary starts with <pad> and <unk> on its first two lines");
    }
    this.words = List.copyOf(words);
    for (int i = 0; i < words.size(); i++) {
      if (ids.put(words.get(i), i) != null) {
        throw new IllegalArgumentException("the vocabulary lists '" + words.get(i) + "' twice");
      }
    }
  }

  /** The tokenizer of the committed vocabulary ({@value #VOCABULARY}). */
  public static Tokenizer standard() {
    try (InputStream in = Tokenizer.class.getResourceAsStream(VOCABULARY)) {
      if (in == null) {
        throw new IllegalStateException(VOCABULARY + " is missing from the classpath");
      }
      return of(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A tokenizer of these words, {@code <pad>} and {@code <unk>} first. */
  public static Tokenizer of(List<String> words) {
    return new Tokenizer(words);
  }

  public int vocabularySize() {
    return words.size();
  }

  /** {@link #MAX_TOKENS} ids for {@code prompt}, padded with {@code <pad>}. */
  public int[] encode(String prompt) {
    List<String> promptWords = split(prompt);
    if (promptWords.size() > MAX_TOKENS) {
      throw new IllegalArgumentException(
          "the prompt '"
              + prompt
              + "' has "
              + promptWords.size()
              + " words; at most "
              + MAX_TOKENS
              + " fit");
    }
    int[] tokens = new int[MAX_TOKENS]; // zeros: <pad>
    for (int i = 0; i < promptWords.size(); i++) {
      tokens[i] = ids.getOrDefault(promptWords.get(i), UNKNOWN);
    }
    return tokens;
  }

  /** The ids of every prompt, {@code [prompts.size(), MAX_TOKENS]} flattened row by row. */
  public int[] encodeAll(List<String> prompts) {
    int[] ids = new int[prompts.size() * MAX_TOKENS];
    for (int i = 0; i < prompts.size(); i++) {
      System.arraycopy(encode(prompts.get(i)), 0, ids, i * MAX_TOKENS, MAX_TOKENS);
    }
    return ids;
  }

  /** The prompt's words that are not in the vocabulary, in order. */
  public List<String> unknownWords(String prompt) {
    return split(prompt).stream().filter(word -> !ids.containsKey(word)).toList();
  }

  /** The words of {@code ids}, without padding. */
  public String decode(int[] tokens) {
    List<String> out = new ArrayList<>();
    for (int id : tokens) {
      if (id != PAD) {
        out.add(id >= 0 && id < words.size() ? words.get(id) : "<unk>");
      }
    }
    return String.join(" ", out);
  }

  private static List<String> split(String prompt) {
    if (prompt == null) {
      throw new IllegalArgumentException("the prompt is missing (use \"\" for no prompt)");
    }
    List<String> out = new ArrayList<>();
    Matcher matcher = WORD.matcher(prompt.toLowerCase(Locale.ROOT));
    while (matcher.find()) {
      out.add(matcher.group());
    }
    return out;
  }
}
