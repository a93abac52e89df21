package io.github.homl.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
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
