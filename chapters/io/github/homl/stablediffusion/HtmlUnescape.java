package io.github.homl.stablediffusion;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code html.unescape}, which CLIP's tokenizer applies twice to every prompt: numeric
 * character references ({@code &#39;}, {@code &#x27;}) with HTML5's replacements for invalid ones,
 * and HTML5's 2,231 named references ({@code &amp;}, {@code &nbsp;}), also without their semicolon
 * and as the longest prefix of a longer name, as the standard and Python do. The names come from
 * {@code html5_entities.txt} beside this class, written from Python's {@code html.entities.html5}.
 */
final class HtmlUnescape {

  private static final Pattern CHARREF =
      Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");

  /** Code points 0x00 and 0x80-0x9F: HTML5 reads them as Windows-1252 (Python's table). */
  private static final Map<Integer, String> INVALID_CHARREFS = new HashMap<>();

  static {
    INVALID_CHARREFS.put(0x00, "\uFFFD");
    INVALID_CHARREFS.put(0x0D, "\r");
    String cp1252 =
        "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D"
            + "\u017D\u008F\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161"
            + "\u203A\u0153\u009D\u017E\u0178";
    for (int i = 0; i < cp1252.length(); i++) {
      INVALID_CHARREFS.put(0x80 + i, String.valueOf(cp1252.charAt(i)));
    }
  }

  private static final Map<String, String> NAMED = readNamed();

  private HtmlUnescape() {}

  /** {@code html.unescape(text)}. */
  static String unescape(String text) {
    if (text.indexOf('&') < 0) {
      return text;
    }
    Matcher m = CHARREF.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(replace(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String replace(String s) {
    if (s.charAt(0) == '#') {
      boolean hex = s.charAt(1) == 'x' || s.charAt(1) == 'X';
      String digits = s.substring(hex ? 2 : 1).replaceFirst(";$", "").replaceFirst("^0+", "");
      // more than 8 digits is beyond 0x10FFFF either way, as Python's int() would find
      long num = digits.isEmpty() ? 0 : digits.length() > 8 ? Long.MAX_VALUE : parse(digits, hex);
      String invalid = INVALID_CHARREFS.get((int) Math.min(num, Integer.MAX_VALUE));
      if (num <= 0x9F && invalid != null) {
        return invalid;
      }
      if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) {
        return "\uFFFD";
      }
      return invalidCodePoint((int) num) ? "" : new String(Character.toChars((int) num));
    }
    String whole = NAMED.get(s);
    if (whole != null) {
      return whole;
    }
    int[] cps = s.codePoints().toArray();
    for (int x = cps.length - 1; x > 1; x--) {
      String prefix = NAMED.get(new String(cps, 0, x));
      if (prefix != null) {
        return prefix + new String(cps, x, cps.length - x);
      }
    }
    return "&" + s;
  }

  private static long parse(String digits, boolean hex) {
    return Long.parseLong(digits, hex ? 16 : 10);
  }

  /** Python's {@code html._invalid_codepoints}: C0/C1 controls, noncharacters. */
  private static boolean invalidCodePoint(int c) {
    return (c >= 0x1 && c <= 0x8)
        || c == 0xB
        || (c >= 0xE && c <= 0x1F)
        || (c >= 0x7F && c <= 0x9F)
        || (c >= 0xFDD0 && c <= 0xFDEF)
        || (c & 0xFFFF) >= 0xFFFE;
  }

  private static Map<String, String> readNamed() {
    Map<String, String> named = new HashMap<>();
    try (InputStream in = HtmlUnescape.class.getResourceAsStream("html5_entities.txt")) {
      if (in == null) {
        throw new IllegalStateException("html5_entities.txt is missing beside HtmlUnescape");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\t");
        StringBuilder value = new StringBuilder();
        for (String hex : parts[1].split(" ")) {
          value.appendCodePoint(Integer.parseInt(hex, 16));
        }
        named.put(parts[0], value.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return named;
  }
}
