package io.github.homl.notebook;

import io.github.homl.data.Images;
import java.util.Map;

/** What the notebooks call besides the sections: scores, checked against their stated bounds. */
public final class Notebook {

  private Notebook() {}

  /**
   * Prints {@code name} from {@code scores} with its bounds, or fails the cell when it is missing
   * or outside {@code [low, high]}: the notebook run in CI stops there.
   */
  public static void check(Map<String, Double> scores, String name, double low, double high) {
    Double value = scores.get(name);
    if (value == null) {
      throw new IllegalStateException("no score '" + name + "'; the scores are " + scores.keySet());
    }
    boolean inside = value >= low && value <= high;
    System.out.println(String.format("%s: %.4g (bounds [%s, %s])", name, value, low, high));
    if (!inside) {
      throw new IllegalStateException(
          name + " = " + value + " is outside its bounds [" + low + ", " + high + "]");
    }
  }

  /** The mean squared difference of two image sets of the same size (a reconstruction error). */
  public static double mse(Images a, Images b) {
    if (a.pixels().length != b.pixels().length) {
      throw new IllegalArgumentException(
          "mse needs images of the same size, got " + a + " and " + b);
    }
    double sum = 0;
    for (int i = 0; i < a.pixels().length; i++) {
      double d = a.pixels()[i] - b.pixels()[i];
      sum += d * d;
    }
    return sum / a.pixels().length;
  }
}
