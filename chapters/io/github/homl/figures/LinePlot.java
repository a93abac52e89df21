package io.github.homl.figures;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.xy.DefaultXYDataset;

/**
 * A line plot in the spirit of {@code plt.plot(x, y, style, label=name)} followed by {@code
 * plt.grid(True)}, {@code plt.axis([...])} and {@code plt.legend()}, drawn with JFreeChart on a
 * white background. Axes autoscale (without forcing zero in) unless a range is given. A series with
 * an empty name is drawn but left out of the legend, as matplotlib does for an unlabeled line.
 *
 * <p>Used for {@code sparsity_loss_plot} (x {@code [0, 1]}, y {@code [0, 0.95]}) and {@code
 * variance_schedule_plot}.
 *
 * @see Figures#saveFig
 */
public final class LinePlot {
  public static final int DEFAULT_WIDTH = 800;
  public static final int DEFAULT_HEIGHT = 500;

  /** How a series is drawn: matplotlib's {@code "-"}, {@code "--"}, {@code ":"} and {@code "."}. */
  public enum Style {
    SOLID,
    DASHED,
    DOTTED,
    POINTS
  }

  /**
   * Where the legend sits inside the axes, as matplotlib's {@code legend(loc=...)}; {@link #BEST},
   * matplotlib's default, takes the first of the others (in matplotlib's order) that covers the
   * fewest points of the lines.
   */
  public enum LegendLocation {
    BEST(Double.NaN, Double.NaN, null),
    UPPER_RIGHT(0.98, 0.98, RectangleAnchor.TOP_RIGHT),
    UPPER_LEFT(0.02, 0.98, RectangleAnchor.TOP_LEFT),
    LOWER_LEFT(0.02, 0.02, RectangleAnchor.BOTTOM_LEFT),
    LOWER_RIGHT(0.98, 0.02, RectangleAnchor.BOTTOM_RIGHT),
    CENTER_RIGHT(0.98, 0.5, RectangleAnchor.RIGHT),
    CENTER_LEFT(0.02, 0.5, RectangleAnchor.LEFT),
    LOWER_CENTER(0.5, 0.02, RectangleAnchor.BOTTOM),
    UPPER_CENTER(0.5, 0.98, RectangleAnchor.TOP);

    private final double x;
    private final double y;
    private final RectangleAnchor anchor;

    LegendLocation(double x, double y, RectangleAnchor anchor) {
      this.x = x;
      this.y = y;
      this.anchor = anchor;
    }
  }

  /** Matplotlib's default colour cycle ("tab10"), used when a series names no colour. */
  private static final Color[] TAB10 = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
    new Color(0xbcbd22), new Color(0x17becf)
  };

  private static final float LINE_WIDTH = 2f; // matplotlib's 1.5 pt at 100 dpi

  private record Series(String name, double[] x, double[] y, Color color, Style style) {}

  private record Text(String text, double x, double y) {}

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private final List<Text> texts = new ArrayList<>();
  private double[] xRange;
  private double[] yRange;
  private boolean logY;
  private LegendLocation legendLocation = LegendLocation.BEST;

  public LinePlot(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  /** Adds a solid line in the next colour of matplotlib's default cycle. */
  public LinePlot series(String name, double[] x, double[] y) {
    return series(name, x, y, TAB10[series.size() % TAB10.length], Style.SOLID);
  }

  public LinePlot series(String name, double[] x, double[] y, Color color, Style style) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "series \"" + name + "\": x has " + x.length + " values but y has " + y.length);
    }
    series.add(new Series(name, x.clone(), y.clone(), color, style));
    return this;
  }

  /** {@code plt.text(x, y, text)}: one line of text whose baseline starts at data point (x, y). */
  public LinePlot text(String text, double x, double y) {
    texts.add(new Text(text, x, y));
    return this;
  }

  public LinePlot xRange(double lower, double upper) {
    xRange = checkedRange(lower, upper);
    return this;
  }

  /** Fixes the y axis; with {@link #logY()}, {@code lower} must be positive. */
  public LinePlot yRange(double lower, double upper) {
    yRange = checkedRange(lower, upper);
    return this;
  }

  /** {@code plt.yscale("log")}, one tick per decade; non-positive y values are not drawn. */
  public LinePlot logY() {
    logY = true;
    return this;
  }

  public LinePlot legend(LegendLocation location) {
    legendLocation = location;
    return this;
  }

  public BufferedImage render() {
    return render(DEFAULT_WIDTH, DEFAULT_HEIGHT);
  }

  /** Draws the plot on a white RGB image of {@code width × height} pixels. */
  public BufferedImage render(int width, int height) {
    if (series.isEmpty()) {
      throw new IllegalStateException("LinePlot \"" + title + "\" has no series to draw");
    }
    if (logY && yRange != null && yRange[0] <= 0) {
      throw new IllegalStateException(
          "a log y axis needs a positive lower bound, got " + yRange[0]);
    }
    DefaultXYDataset dataset = new DefaultXYDataset();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      // dataset keys must be unique, so unlabeled series get a placeholder kept out of the legend
      String key = s.name().isEmpty() ? "_unlabeled" + i : s.name();
      dataset.addSeries(key, new double[][] {s.x(), s.y()});
      styleSeries(renderer, i, s);
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, xLabel, yLabel, dataset, PlotOrientation.VERTICAL, false, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setRenderer(renderer);
    if (logY) {
      plot.setRangeAxis(new LogAxis(yLabel));
    }
    ChartStyle.styleChart(chart, plot, renderer);
    ChartStyle.styleAxis(plot.getDomainAxis(), xRange);
    ChartStyle.styleAxis(plot.getRangeAxis(), yRange);
    for (Text text : texts) {
      XYTextAnnotation annotation = new XYTextAnnotation(text.text(), text.x(), text.y());
      annotation.setFont(new Font(ChartStyle.FONT, Font.PLAIN, 18));
      annotation.setTextAnchor(TextAnchor.BASELINE_LEFT);
      plot.addAnnotation(annotation);
    }
    LegendLocation where =
        legendLocation != LegendLocation.BEST
            ? legendLocation
            : bestLegendLocation(
                plot.getDomainAxis().getRange(),
                plot.getRangeAxis().getRange(),
                legendBox(width, height));
    ChartStyle.addLegend(plot, where.x, where.y, where.anchor);
    return chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, null);
  }

  /**
   * The legend's size as fractions of the axes {@code {width, height}}, estimated from its labels
   * (16 px font, one row per labelled line) and the axes' share of the image.
   */
  private double[] legendBox(int width, int height) {
    int longest = 0;
    int rows = 0;
    for (Series s : series) {
      if (!s.name().isEmpty()) {
        longest = Math.max(longest, s.name().length());
        rows++;
      }
    }
    double axesWidth = width * 0.85;
    double axesHeight = height * 0.75;
    return new double[] {(longest * 9.0 + 50) / axesWidth, (rows * 22.0 + 14) / axesHeight};
  }

  /**
   * Matplotlib's {@code loc="best"}: the first location, in matplotlib's order, whose legend box
   * ({@code box} = width, height as fractions of the axes) covers the fewest points of the lines,
   * each segment sampled at 50 points within the axes' {@code xAxis} × {@code yAxis} ranges.
   */
  LegendLocation bestLegendLocation(Range xAxis, Range yAxis, double[] box) {
    LegendLocation best = LegendLocation.UPPER_RIGHT;
    long fewest = Long.MAX_VALUE;
    for (LegendLocation location : LegendLocation.values()) {
      if (location == LegendLocation.BEST) {
        continue;
      }
      double left = location.x - box[0] * anchorShare(location.anchor, true);
      double bottom = location.y - box[1] * anchorShare(location.anchor, false);
      long covered = 0;
      for (Series s : series) {
        for (int i = 0; i + 1 < s.x().length; i++) {
          for (int k = 0; k < 50; k++) {
            double t = k / 50.0;
            double fx = fraction(s.x()[i] + t * (s.x()[i + 1] - s.x()[i]), xAxis, false);
            double fy = fraction(s.y()[i] + t * (s.y()[i + 1] - s.y()[i]), yAxis, logY);
            if (fx >= left && fx <= left + box[0] && fy >= bottom && fy <= bottom + box[1]) {
              covered++;
            }
          }
        }
      }
      if (covered < fewest) {
        fewest = covered;
        best = location;
      }
    }
    return best;
  }

  /** How much of the box lies left of (or below) the anchor point: 0, 1/2 or 1. */
  private static double anchorShare(RectangleAnchor anchor, boolean horizontal) {
    if (horizontal) {
      return anchor == RectangleAnchor.TOP_RIGHT
              || anchor == RectangleAnchor.RIGHT
              || anchor == RectangleAnchor.BOTTOM_RIGHT
          ? 1
          : anchor == RectangleAnchor.TOP || anchor == RectangleAnchor.BOTTOM ? 0.5 : 0;
    }
    return anchor == RectangleAnchor.TOP_LEFT
            || anchor == RectangleAnchor.TOP
            || anchor == RectangleAnchor.TOP_RIGHT
        ? 1
        : anchor == RectangleAnchor.LEFT || anchor == RectangleAnchor.RIGHT ? 0.5 : 0;
  }

  private static double fraction(double value, Range range, boolean log) {
    if (log) {
      return value <= 0
          ? Double.NaN
          : (Math.log(value) - Math.log(range.getLowerBound()))
              / (Math.log(range.getUpperBound()) - Math.log(range.getLowerBound()));
    }
    return (value - range.getLowerBound()) / range.getLength();
  }

  private static void styleSeries(XYLineAndShapeRenderer renderer, int i, Series s) {
    renderer.setSeriesPaint(i, s.color());
    renderer.setSeriesVisibleInLegend(i, !s.name().isEmpty());
    float w = LINE_WIDTH;
    switch (s.style()) {
      case SOLID -> renderer.setSeriesStroke(i, new BasicStroke(w));
      case DASHED -> renderer.setSeriesStroke(i, dashed(w, 3.7f * w, 1.6f * w)); // matplotlib's
      case DOTTED -> renderer.setSeriesStroke(i, dashed(w, w, 1.65f * w)); // dash patterns
      case POINTS -> {
        renderer.setSeriesLinesVisible(i, false);
        renderer.setSeriesShapesVisible(i, true);
        renderer.setSeriesShape(i, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
      }
    }
  }

  private static BasicStroke dashed(float width, float on, float off) {
    return new BasicStroke(
        width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {on, off}, 0f);
  }

  private static double[] checkedRange(double lower, double upper) {
    if (!(lower < upper)) {
      throw new IllegalArgumentException(
          "a range needs lower < upper, got [" + lower + ", " + upper + "]");
    }
    return new double[] {lower, upper};
  }
}
