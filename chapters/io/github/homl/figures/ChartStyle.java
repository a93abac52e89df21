package io.github.homl.figures;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Line2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.block.ColumnArrangement;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;

/** Makes a JFreeChart look like matplotlib's defaults with {@code plt.grid(True)}. */
final class ChartStyle {
  static final String FONT = "DejaVu Sans"; // matplotlib's default font
  private static final Color GRID = new Color(0xb0b0b0);
  private static final int MAX_TICK_INTERVALS = 9; // as matplotlib's MaxNLocator("auto")
  private static final double[] NICE_STEPS = {1, 2, 2.5, 5, 10};

  private ChartStyle() {}

  static void styleChart(JFreeChart chart, XYPlot plot, XYLineAndShapeRenderer renderer) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.setPadding(new RectangleInsets(8, 8, 8, 24)); // room for the last x tick label
    chart.getTitle().setFont(new Font(FONT, Font.PLAIN, 20));
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlinePaint(Color.BLACK);
    plot.setOutlineStroke(new BasicStroke(1f));
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setDomainGridlineStroke(new BasicStroke(1f));
    plot.setRangeGridlineStroke(new BasicStroke(1f));
    renderer.setDrawSeriesLineAsPath(true); // otherwise dashes restart at every data point
    renderer.setLegendLine(new Line2D.Double(-14, 0, 14, 0));
  }

  /** Fonts, an optional fixed range, and at most nine "nice" tick intervals. */
  static void styleAxis(ValueAxis axis, double[] range) {
    axis.setLabelFont(new Font(FONT, Font.PLAIN, 18));
    axis.setTickLabelFont(new Font(FONT, Font.PLAIN, 14));
    axis.setLabelPaint(Color.BLACK);
    axis.setTickLabelPaint(Color.BLACK);
    axis.setAxisLineVisible(false); // the plot outline draws matplotlib's spines
    if (axis instanceof NumberAxis numberAxis) {
      numberAxis.setAutoRangeIncludesZero(false);
    }
    if (range != null) {
      axis.setRange(range[0], range[1]);
    }
    if (axis instanceof NumberAxis numberAxis) {
      double step = niceStep(numberAxis.getRange().getLength() / MAX_TICK_INTERVALS);
      numberAxis.setTickUnit(new NumberTickUnit(step, tickFormat(step)));
    } else if (axis instanceof LogAxis logAxis) {
      logAxis.setTickUnit(new NumberTickUnit(1, tickFormat(1))); // one per decade
    }
  }

  /** The legend as a framed column inside the plot area, as {@code plt.legend(loc=...)}. */
  static void addLegend(XYPlot plot, double x, double y, RectangleAnchor anchor) {
    LegendTitle legend = new LegendTitle(plot, new ColumnArrangement(), new ColumnArrangement());
    legend.setItemFont(new Font(FONT, Font.PLAIN, 16));
    legend.setBackgroundPaint(new Color(255, 255, 255, 220));
    legend.setFrame(new BlockBorder(new Color(0xcccccc)));
    legend.setMargin(new RectangleInsets(6, 6, 6, 6));
    legend.setItemLabelPadding(new RectangleInsets(2, 6, 2, 4));
    plot.addAnnotation(new XYTitleAnnotation(x, y, legend, anchor));
  }

  /** The smallest of 1, 2, 2.5, 5 or 10 times a power of ten that is at least {@code rawStep}. */
  static double niceStep(double rawStep) {
    if (!(rawStep > 0) || Double.isInfinite(rawStep)) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(rawStep)));
    for (double nice : NICE_STEPS) {
      if (nice * magnitude >= rawStep * (1 - 1e-9)) {
        return nice * magnitude;
      }
    }
    return 10 * magnitude;
  }

  /** As many decimals as the step needs, without digit grouping: "0.0 0.2", "0 1000". */
  private static DecimalFormat tickFormat(double step) {
    int decimals = 0;
    double scaled = step;
    while (decimals < 12 && Math.abs(scaled - Math.rint(scaled)) > 1e-9 * Math.max(1, scaled)) {
      decimals++;
      scaled *= 10;
    }
    DecimalFormat format = new DecimalFormat("0", DecimalFormatSymbols.getInstance(Locale.ROOT));
    format.setMinimumFractionDigits(decimals);
    format.setMaximumFractionDigits(decimals);
    return format;
  }
}
