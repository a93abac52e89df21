package io.github.homl.text;

import java.util.List;
import java.util.Random;

/**
 * Captions made from the Fashion-MNIST class names, a few templates and a few synonyms per class
 * ("a photo of an ankle boot", "a boot", "sandals"): the text half of the training pairs.
 */
public final class Captions {

  /** Synonyms per class, Fashion-MNIST order; the first is the class name. */
  private static final List<List<String>> NAMES =
      List.of(
          List.of("t-shirt", "top", "tee", "t-shirt top"),
          List.of("trouser", "trousers", "pants", "jeans", "pair of trousers"),
          List.of("pullover", "sweater", "jumper"),
          List.of("dress", "gown"),
          List.of("coat", "jacket"),
          List.of("sandal", "sandals"),
          List.of("shirt", "blouse"),
          List.of("sneaker", "sneakers", "trainer", "running shoe"),
          List.of("bag", "handbag", "purse"),
          List.of("ankle boot", "boot", "boots"));

  /** {@code %s} is the name, with "a"/"an" in front where the template says {@code %a}. */
  private static final List<String> TEMPLATES =
      List.of(
          "%s",
          "%a",
          "a photo of %a",
          "an image of %a",
          "a picture of %a",
          "a small %s",
          "a black and white photo of %a");

  private Captions() {}

  public static int classes() {
    return NAMES.size();
  }

  /** The plain prompt of a class, "a photo of an ankle boot": one row of the prompt grid. */
  public static String prompt(int label) {
    return "a photo of " + withArticle(name(label, 0));
  }

  /** A caption of class {@code label}: a random template around a random synonym. */
  public static String random(int label, Random random) {
    List<String> names = NAMES.get(checked(label));
    String name = names.get(random.nextInt(names.size()));
    String template = TEMPLATES.get(random.nextInt(TEMPLATES.size()));
    return template.replace("%a", withArticle(name)).replace("%s", name);
  }

  /** Synonym {@code i} of class {@code label}. */
  public static String name(int label, int i) {
    return NAMES.get(checked(label)).get(i);
  }

  private static String withArticle(String name) {
    // "an" before a vowel sound; plurals and "jeans"/"pants" take no article
    if (name.endsWith("s") && !name.equals("dress") && !name.startsWith("pair")) {
      return name;
    }
    return ("aeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
  }

  private static int checked(int label) {
    if (label < 0 || label >= NAMES.size()) {
      throw new IllegalArgumentException(
          "class must be 0.." + (NAMES.size() - 1) + ", got " + label);
    }
    return label;
  }
}
