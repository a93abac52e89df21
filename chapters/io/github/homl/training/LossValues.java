package io.github.homl.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Losses by name, in order: what one training or test step returns (Keras's {@code train_step}
 * returns the dict {@code {"d_loss": ..., "g_loss": ...}}), and their means over an epoch. The
 * values, not the loss functions ({@link Losses} holds those). Its {@link #toString} is the piece
 * of Keras's progress line, {@code d_loss: 0.2876 - g_loss: 0.1301}.
 *
 * @param names the losses' names, distinct, in order
 * @param values their values, in the same order
 */
public record LossValues(List<String> names, List<Double> values)
    implements Iterable<Map.Entry<String, Double>> {

  /** No loss: what a loop without losses shows. */
  public static final LossValues NONE = new LossValues(List.of(), List.of());

  public LossValues {
    names = List.copyOf(names);
    values = List.copyOf(values);
    if (names.size() != values.size()) {
      throw new IllegalArgumentException(
          names.size() + " loss names " + names + " but " + values.size() + " values");
    }
    if (names.stream().distinct().count() != names.size()) {
      throw new IllegalArgumentException("loss names repeat: " + names);
    }
  }

  /** One loss, e.g. an autoencoder's {@code loss}. */
  public static LossValues of(String name, double value) {
    return new LossValues(List.of(name), List.of(value));
  }

  /** Losses fetched together, e.g. a GAN's {@code d_loss} and {@code g_loss}. */
  public static LossValues of(List<String> names, float... values) {
    return new LossValues(
        names, IntStream.range(0, values.length).mapToObj(i -> (double) values[i]).toList());
  }

  /** The logs of a map, in its iteration order. */
  public static LossValues of(Map<String, Double> logs) {
    return new LossValues(List.copyOf(logs.keySet()), List.copyOf(logs.values()));
  }

  /** The value of loss {@code name}. */
  public double get(String name) {
    int i = names.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("no loss named '" + name + "'; the losses are " + names);
    }
    return values.get(i);
  }

  public int size() {
    return names.size();
  }

  /** The same values, each name preceded by {@code prefix} (Keras's {@code val_}). */
  public LossValues prefixed(String prefix) {
    return new LossValues(names.stream().map(name -> prefix + name).toList(), values);
  }

  /** These losses followed by {@code more}, whose names must differ from these. */
  public LossValues followedBy(LossValues more) {
    List<String> allNames = new ArrayList<>(names);
    allNames.addAll(more.names);
    List<Double> allValues = new ArrayList<>(values);
    allValues.addAll(more.values);
    return new LossValues(allNames, allValues);
  }

  /** The losses as an ordered, unmodifiable map from name to value. */
  public Map<String, Double> asMap() {
    Map<String, Double> map = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      map.put(names.get(i), values.get(i));
    }
    return Collections.unmodifiableMap(map);
  }

  /** The losses in order, as name–value pairs. */
  @Override
  public Iterator<Map.Entry<String, Double>> iterator() {
    return asMap().entrySet().iterator();
  }

  /** Keras's piece of a progress line: {@code loss: 0.0412 - val_loss: 0.0398}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      text.append(
          String.format(
              Locale.ROOT, "%s%s: %.4f", i == 0 ? "" : " - ", names.get(i), values.get(i)));
    }
    return text.toString();
  }

  /**
   * Running means of the losses of several batches, each batch weighted by its size as Keras's
   * metrics weigh them. Every batch must return the same names.
   */
  static final class Means {
    private List<String> names;
    private double[] sums;
    private long seen;

    /** Adds the losses of a batch of {@code size} examples; {@code source} names it in errors. */
    void add(LossValues losses, int size, String source) {
      if (names == null) {
        names = losses.names();
        sums = new double[names.size()];
      } else if (!names.equals(losses.names())) {
        throw new IllegalStateException(
            source + " returned the losses " + losses.names() + ", earlier batches " + names);
      }
      for (int k = 0; k < sums.length; k++) {
        sums[k] += losses.values().get(k) * size;
      }
      seen += size;
    }

    /** Whether no batch was added. */
    boolean isEmpty() {
      return names == null;
    }

    /** The means so far. */
    LossValues means() {
      if (names == null) {
        return NONE;
      }
      List<Double> means = new ArrayList<>();
      for (double sum : sums) {
        means.add(sum / seen);
      }
      return new LossValues(names, means);
    }
  }
}
