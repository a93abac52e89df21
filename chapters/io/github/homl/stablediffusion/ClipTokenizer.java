package io.github.homl.stablediffusion;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * CLIP's byte-pair tokenizer as KerasCV's {@code SimpleTokenizer} and {@code
 * StableDiffusion.encode_text} run it: the prompt is HTML-unescaped twice, its whitespace runs
 * become one space, it is stripped and lower-cased, split by CLIP's pattern (the special tokens,
 * the contractions {@code 's 't 're 've 'm 'll 'd}, runs of letters, single digits, runs of other
 * symbols), each piece's UTF-8 bytes are mapped to printable characters and merged by the 48,894
 * ranked merges of {@code bpe_simple_vocab_16e6.txt.gz}. The ids are framed by {@value #START} and
 * {@value #END}, and {@link #tokens} pads them with {@value #END} to {@value #MAX_LENGTH}, the text
 * encoder's length, or rejects a longer prompt, as KerasCV does.
 *
 * <p>The vocabulary is the file of the {@code open-clip-torch} wheel that {@code
 * savedmodels/keras/setup_sd.sh} fetches at set-up and the export copies beside the SavedModels;
 * its SHA-256 is checked here before use, and nothing is downloaded at run time.
 */
public final class ClipTokenizer {

  /** KerasCV's {@code MAX_PROMPT_LENGTH}: the text encoder reads 77 ids. */
  public static final int MAX_LENGTH = 77;

  /** {@code <|startoftext|>}. */
  public static final int START = 49406;

  /** {@code <|endoftext|>}, also the padding. */
  public static final int END = 49407;

  /** The file name of CLIP's vocabulary. */
  public static final String VOCAB_FILE = "bpe_simple_vocab_16e6.txt.gz";

  /** SHA-256 of CLIP's {@code bpe_simple_vocab_16e6.txt.gz}, the one KerasCV downloads. */
  public static final String VOCAB_SHA256 =
      "924691ac288e54409236115652ad4aa250f48203de50a9e4722a6ecd48d6804a";

  private static final int MERGES = 49152 - 256 - 2;

  /** Python's {@code str.isspace()}: Unicode White_Space and the separators U+001C..U+001F. */
  private static final String PY_SPACE = "[\\p{IsWhite_Space}\\x1c-\\x1f]";

  private static final Pattern WHITESPACE =
      Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern STRIP =
      Pattern.compile("^" + PY_SPACE + "+|" + PY_SPACE + "+$", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern PIECES =
      Pattern.compile(
          "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]"
              + "|[^\\s\\p{L}\\p{N}]+",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);

  private final String[] byteEncoder = bytesToUnicode();
  private final Map<String, Integer> encoder = new HashMap<>();
  private final Map<String, Integer> bpeRanks = new HashMap<>();
  private final Map<String, String> cache = new HashMap<>();

  private ClipTokenizer(String merges) {
    String[] lines = merges.split("\n", -1);
    if (lines.length < MERGES + 1) {
      throw new IllegalArgumentException(
          "the vocabulary has " + lines.length + " lines, expected at least " + (MERGES + 1));
    }
    List<String> vocab = new ArrayList<>(bytesInVocabularyOrder());
    for (String b : bytesInVocabularyOrder()) {
      vocab.add(b + "</w>");
    }
    for (int i = 1; i <= MERGES; i++) {
      String[] pair = lines[i].trim().split("\\s+");
      vocab.add(pair[0] + pair[1]);
      bpeRanks.put(pair[0] + " " + pair[1], i - 1);
    }
    vocab.add("<|startoftext|>");
    vocab.add("<|endoftext|>");
    for (int i = 0; i < vocab.size(); i++) {
      encoder.put(vocab.get(i), i);
    }
    cache.put("<|startoftext|>", "<|startoftext|>");
    cache.put("<|endoftext|>", "<|endoftext|>");
  }

  /**
   * Reads CLIP's vocabulary from {@code vocabGz}, after checking its SHA-256.
   *
   * @throws IllegalArgumentException if the file is missing or is not CLIP's vocabulary
   */
  public static ClipTokenizer load(Path vocabGz) {
    if (!Files.isRegularFile(vocabGz)) {
      throw new IllegalArgumentException(
          vocabGz
              + ": no such file; CLIP's vocabulary comes with an export "
              + "(savedmodels/keras/export_stable_diffusion.py) or from savedmodels/keras/setup_sd.sh");
    }
    try {
      byte[] gz = Files.readAllBytes(vocabGz);
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(gz));
      if (!sha.equals(VOCAB_SHA256)) {
        throw new IllegalArgumentException(
            vocabGz + ": SHA-256 is " + sha + ", expected CLIP's " + VOCAB_SHA256);
      }
      try (InputStream in = new GZIPInputStream(Files.newInputStream(vocabGz))) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return new ClipTokenizer(out.toString(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** KerasCV's {@code SimpleTokenizer.encode}: the ids with start and end, not padded. */
  public int[] encode(String text) {
    String clean = clean(text);
    List<Integer> ids = new ArrayList<>();
    ids.add(START);
    Matcher m = PIECES.matcher(clean);
    while (m.find()) {
      StringBuilder token = new StringBuilder();
      for (byte b : m.group().getBytes(StandardCharsets.UTF_8)) {
        token.append(byteEncoder[b & 0xFF]);
      }
      for (String piece : bpe(token.toString()).split(" ")) {
        ids.add(encoder.get(piece));
      }
    }
    ids.add(END);
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The {@value #MAX_LENGTH} ids the text encoder reads: {@link #encode} padded with {@value #END}.
   *
   * @throws IllegalArgumentException if the prompt is longer than {@value #MAX_LENGTH} tokens
   */
  public int[] tokens(String prompt) {
    int[] ids = encode(prompt);
    if (ids.length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "the prompt is too long: "
              + ids.length
              + " tokens with the start and end tokens, KerasCV's text encoder reads at most "
              + MAX_LENGTH);
    }
    int[] padded = Arrays.copyOf(ids, MAX_LENGTH);
    Arrays.fill(padded, ids.length, MAX_LENGTH, END);
    return padded;
  }

  /** {@code whitespace_clean(basic_clean(text)).lower()}. */
  static String clean(String text) {
    String s = strip(HtmlUnescape.unescape(HtmlUnescape.unescape(text)));
    s = strip(WHITESPACE.matcher(s).replaceAll(" "));
    return s.toLowerCase(Locale.ROOT);
  }

  private static String strip(String s) {
    return STRIP.matcher(s).replaceAll("");
  }

  private String bpe(String token) {
    String cached = cache.get(token);
    if (cached != null) {
      return cached;
    }
    List<String> word = new ArrayList<>();
    token.codePoints().forEach(c -> word.add(new String(Character.toChars(c))));
    word.set(word.size() - 1, word.get(word.size() - 1) + "</w>");
    if (word.size() == 1) {
      return word.get(0); // no pairs: Python returns token + "</w>" without caching
    }
    List<String> current = word;
    while (true) {
      String best = null;
      int bestRank = Integer.MAX_VALUE;
      for (int i = 0; i + 1 < current.size(); i++) {
        Integer rank = bpeRanks.get(current.get(i) + " " + current.get(i + 1));
        if (rank != null && rank < bestRank) {
          bestRank = rank;
          best = current.get(i) + " " + current.get(i + 1);
        }
      }
      if (best == null) {
        break;
      }
      String first = best.substring(0, best.indexOf(' '));
      String second = best.substring(best.indexOf(' ') + 1);
      List<String> merged = new ArrayList<>();
      for (int i = 0; i < current.size(); ) {
        if (i + 1 < current.size()
            && current.get(i).equals(first)
            && current.get(i + 1).equals(second)) {
          merged.add(first + second);
          i += 2;
        } else {
          merged.add(current.get(i));
          i++;
        }
      }
      current = merged;
      if (current.size() == 1) {
        break;
      }
    }
    String result = String.join(" ", current);
    cache.put(token, result);
    return result;
  }

  /**
   * The byte characters in the order of Python's {@code bytes_to_unicode().values()}, the first 256
   * ids: the printable bytes first, then the characters 256.. of the others.
   */
  private List<String> bytesInVocabularyOrder() {
    List<String> order = new ArrayList<>();
    for (String c : byteEncoder) {
      if (c.charAt(0) < 256) {
        order.add(c);
      }
    }
    for (String c : byteEncoder) {
      if (c.charAt(0) >= 256) {
        order.add(c);
      }
    }
    return order;
  }

  /** GPT-2's byte-to-printable-character table ({@code bytes_to_unicode}), indexed by byte. */
  private static String[] bytesToUnicode() {
    String[] table = new String[256];
    int n = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable =
          (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      if (printable) {
        table[b] = String.valueOf((char) b);
      }
    }
    for (int b = 0; b < 256; b++) {
      if (table[b] == null) {
        table[b] = String.valueOf((char) (256 + n++));
      }
    }
    return table;
  }
}
