package io.github.homl.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import org.jfree.data.Range;
import org.junit.jupiter.api.Test;

class LinePlotTest {
  private static final double[] X = {0.0, 0.25, 0.5, 0.75, 1.0};
  private static final double[] Y = {0.9, 0.5, 0.2, 0.1, 0.05};

  private static long countPixels(BufferedImage image, int rgb) {
    long n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) == rgb) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void rendersANonBlankImageOfTheRequestedSize() {
    BufferedImage image = new LinePlot("Title", "x", "y").series("curve", X, Y).render(640, 360);

    assertEquals(640, image.getWidth());
    assertEquals(360, image.getHeight());
    long white = countPixels(image, 0xffffff);
    assertTrue(white < 640L * 360, "the plot is blank");
    assertTrue(white > 640L * 360 / 2, "the background is not mostly white");
  }

  @Test
  void defaultSizeIsEightHundredByFiveHundred() {
    BufferedImage image = new LinePlot("Title", "x", "y").series("curve", X, Y).render();

    assertEquals(800, image.getWidth());
    assertEquals(500, image.getHeight());
  }

  @Test
  void seriesAreDrawnInTheirColour() {
    BufferedImage image =
        new LinePlot("", "x", "y")
            .series("red", X, Y, Color.RED, LinePlot.Style.SOLID)
            .xRange(0, 1)
            .yRange(0, 0.95)
            .render(400, 300);

    assertTrue(countPixels(image, 0xff0000) > 50, "no pure red line pixels");
  }

  @Test
  void logYWithRangesAndTextRenders() {
    BufferedImage image =
        new LinePlot("Schedule", "t", "beta")
            .series("beta", X, Y, Color.BLUE, LinePlot.Style.DASHED)
            .series("", X, Y, Color.BLACK, LinePlot.Style.DOTTED)
            .text("Target", 0.5, 0.3)
            .logY()
            .yRange(0.01, 1)
            .legend(LinePlot.LegendLocation.UPPER_LEFT)
            .render(400, 300);

    assertTrue(countPixels(image, 0x0000ff) > 20, "no pure blue line pixels");
  }

  @Test
  void bestLegendAvoidsTheLines() {
    double[] epochs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    double[] high = {1.3, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3};
    double[] low = {0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6};
    LinePlot losses =
        new LinePlot("GAN", "epoch", "loss")
            .series("g_loss", epochs, high)
            .series("d_loss", epochs, low);
    Range x = new Range(0.5, 10.5);
    Range y = new Range(0.55, 1.35);
    double[] box = {0.2, 0.15};

    // g_loss runs along the top and d_loss along the bottom: the middle is free, and matplotlib
    // tries "right" before "center left"
    assertEquals(LinePlot.LegendLocation.CENTER_RIGHT, losses.bestLegendLocation(x, y, box));

    LinePlot rising = new LinePlot("rising", "x", "y").series("y", epochs, epochs);
    // a diagonal from lower left to upper right leaves the upper left corner free
    assertEquals(
        LinePlot.LegendLocation.UPPER_LEFT,
        rising.bestLegendLocation(new Range(1, 10), new Range(1, 10), box));

    LinePlot falling =
        new LinePlot("falling", "x", "y")
            .series("y", epochs, new double[] {10, 9, 8, 7, 6, 5, 4, 3, 2, 1});
    // nothing in the upper right: matplotlib's first choice wins the tie
    assertEquals(
        LinePlot.LegendLocation.UPPER_RIGHT,
        falling.bestLegendLocation(new Range(1, 10), new Range(1, 10), box));
  }

  @Test
  void seriesWithMismatchedLengthsIsRejected() {
    LinePlot plot = new LinePlot("Title", "x", "y");

    assertThrows(
        IllegalArgumentException.class, () -> plot.series("bad", X, new double[] {1.0, 2.0}));
  }

  @Test
  void plotWithoutSeriesCannotRender() {
    assertThrows(IllegalStateException.class, () -> new LinePlot("Empty", "x", "y").render());
  }
}
