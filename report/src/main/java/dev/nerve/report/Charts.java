package dev.nerve.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.VerticalAlignment;
import org.jfree.data.xy.DefaultXYDataset;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * Renders a {@link Chart} as a PNG image or as SVG text, with JFreeChart.
 *
 * <p>Both work without a display: the first call sets {@code java.awt.headless=true} unless the
 * application has already chosen a value. The look is fixed (white background, light grid,
 * colour-blind-safe Okabe–Ito colours in series order, markers on series of at most {@value
 * #MARKER_MAX_POINTS} points) so charts from different runs compare at a glance. Text uses the
 * JDK's logical font {@code SansSerif}, which fontconfig maps to DejaVu Sans on Debian.
 *
 * <p><b>Size.</b> A PNG always draws every point. SVG is text, and a series of 10,000 iteration
 * losses would make a page of half a megabyte, so {@link #svg} keeps at most {@value
 * #SVG_MAX_POINTS} points per series: the first and last points, and from each of about 1,000 equal
 * runs of indices in between the points with the smallest and the largest y, in their original
 * order (min/max bucketing). At the width of a chart on screen, a run is narrower than a pixel, so
 * the envelope of a noisy curve (its spikes included) looks the same; a gap (NaN) inside a run is
 * kept as a gap.
 *
 * <p><b>Determinism.</b> The same chart at the same size gives the same SVG text, and, within one
 * JDK, the same PNG bytes (the PNG has no time stamp; anti-aliased pixels may differ between JDK
 * versions, whose rasterisers differ).
 *
 * <pre>{@code
 * Chart c = new Chart("Loss per iteration", "iteration", "loss",
 *     List.of(Series.of("train", history.iterationLosses())), true);
 * Files.write(tmp, Charts.png(c, 900, 400));          // the caller moves tmp into place
 * String svg = Charts.svg(c, 900, 400);
 * }</pre>
 */
public final class Charts {

  /** The largest number of points per series that {@link #svg} writes. */
  public static final int SVG_MAX_POINTS = 2000;

  /** Series with at most this many points get a marker at each point. */
  public static final int MARKER_MAX_POINTS = 60;

  /** The id prefix {@link #svg(Chart, int, int)} uses. */
  public static final String DEFAULT_ID_PREFIX = "nerve-chart-";

  private static final int MAX_SIDE = 16_384;
  private static final Pattern ID_PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

  /** Okabe & Ito's colour-blind-safe palette, the yellow moved last (it is faint on white). */
  private static final Color[] PALETTE = {
    new Color(0x0072B2),
    new Color(0xE69F00),
    new Color(0x009E73),
    new Color(0xD55E00),
    new Color(0xCC79A7),
    new Color(0x56B4E9),
    new Color(0x000000),
    new Color(0xF0E442),
  };

  private static final Color TEXT = new Color(0x222222);
  private static final Color AXIS = new Color(0x888888);
  private static final Color GRID = new Color(0xE3E3E3);
  private static final String FONT = Font.SANS_SERIF;

  private Charts() {}

  /**
   * Draws the chart into a PNG image of exactly {@code width × height} pixels.
   *
   * @param c the chart
   * @param width the width in pixels, 1 to 16,384
   * @param height the height in pixels, 1 to 16,384
   * @return the PNG file's bytes (RGB, no alpha)
   * @throws IllegalArgumentException if a size is out of range
   */
  public static byte[] png(Chart c, int width, int height) {
    Objects.requireNonNull(c, "chart");
    checkSize(width, height);
    ensureHeadless();
    JFreeChart chart = build(c, false, width);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
    } finally {
      g.dispose();
    }
    return encodePng(image);
  }

  /**
   * Draws the chart as one SVG element of {@code width × height} user units, with ids prefixed
   * {@value #DEFAULT_ID_PREFIX}. To put several charts in one HTML page use {@link #svg(Chart, int,
   * int, String)} with a different prefix for each, since ids must be unique in a page.
   *
   * @param c the chart
   * @param width the width, 1 to 16,384
   * @param height the height, 1 to 16,384
   * @return an {@code <svg>} element with its namespace, without an XML declaration: it can be
   *     placed inside HTML as it is, or written as a {@code .svg} file
   * @throws IllegalArgumentException if a size is out of range
   */
  public static String svg(Chart c, int width, int height) {
    return svg(c, width, height, DEFAULT_ID_PREFIX);
  }

  /**
   * Draws the chart as one SVG element whose ids (the element's own and its clip paths') all begin
   * with {@code idPrefix}. The element has a {@code viewBox}, so CSS may scale it (for example
   * {@code width: 100%; height: auto}). Series longer than {@value #SVG_MAX_POINTS} points are
   * thinned as the class description says.
   *
   * @param c the chart
   * @param width the width, 1 to 16,384
   * @param height the height, 1 to 16,384
   * @param idPrefix a letter followed by letters, digits, '-' or '_'
   * @return an {@code <svg>} element with its namespace, without an XML declaration
   * @throws IllegalArgumentException if a size is out of range or the prefix is not as above
   */
  public static String svg(Chart c, int width, int height, String idPrefix) {
    Objects.requireNonNull(c, "chart");
    Objects.requireNonNull(idPrefix, "id prefix");
    checkSize(width, height);
    if (!ID_PREFIX.matcher(idPrefix).matches()) {
      throw new IllegalArgumentException(
          "id prefix '" + idPrefix + "' must be a letter followed by letters, digits, - or _");
    }
    ensureHeadless();
    JFreeChart chart = build(c, true, width);
    SVGGraphics2D g = new SVGGraphics2D(width, height);
    g.setDefsKeyPrefix(idPrefix);
    g.setGeomDoubleConverter(Charts::twoDecimals);
    chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
    return g.getSVGElement(idPrefix + "svg", true, new ViewBox(0, 0, width, height), null, null);
  }

  /**
   * Builds the JFreeChart for {@code c}; with {@code thin}, long series are thinned. Tick labels
   * are formatted in {@link Locale#ROOT}, so the output does not depend on the default locale.
   */
  private static JFreeChart build(Chart c, boolean thin, int width) {
    DefaultXYDataset data = new DefaultXYDataset();
    boolean integralX = true;
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    for (Series s : c.series()) {
      double[][] xy = drawable(s.x(), s.y(), c.logY());
      if (thin) {
        xy = Thinning.minMax(xy[0], xy[1], SVG_MAX_POINTS);
      }
      for (double x : xy[0]) {
        if (!Double.isNaN(x)) {
          integralX &= x == Math.rint(x);
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
        }
      }
      data.addSeries(s.name(), xy);
    }

    NumberAxis xAxis = new NumberAxis(c.xLabel());
    xAxis.setAutoRangeIncludesZero(false);
    if (integralX && maxX >= minX) {
      // Whole numbers (epochs, iterations): integer ticks spaced for their widest label, so 9
      // epochs get a tick each and 10,000 iterations one per 1,000.
      double plotWidth = Math.max(100, width - 120);
      long widest = (long) Math.max(Math.abs(minX), Math.abs(maxX));
      int labelChars = String.format(Locale.ROOT, "%,d", widest).length() + (minX < 0 ? 1 : 0);
      double spacing = 24 + 7 * labelChars;
      xAxis.setStandardTickUnits(integerTickUnits((maxX - minX) * spacing / plotWidth));
    } else {
      xAxis.setStandardTickUnits(decimalTickUnits());
    }
    ValueAxis yAxis;
    if (c.logY()) {
      LogAxis log = new NiceLogAxis(null);
      log.setNumberFormatOverride(new CompactFormat());
      log.setMinorTickMarksVisible(true);
      yAxis = log;
    } else {
      NumberAxis linear = new NumberAxis(null);
      linear.setAutoRangeIncludesZero(false);
      linear.setStandardTickUnits(decimalTickUnits());
      yAxis = linear;
    }
    for (ValueAxis axis : List.of(xAxis, yAxis)) {
      axis.setLabelFont(new Font(FONT, Font.PLAIN, 12));
      axis.setLabelPaint(TEXT);
      axis.setTickLabelFont(new Font(FONT, Font.PLAIN, 11));
      axis.setTickLabelPaint(TEXT);
      axis.setAxisLinePaint(AXIS);
      axis.setTickMarkPaint(AXIS);
    }

    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setDrawSeriesLineAsPath(true);
    renderer.setDrawOutlines(false);
    for (int i = 0; i < c.series().size(); i++) {
      Series s = c.series().get(i);
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      float w = s.size() > 500 ? 1.25f : 2f;
      renderer.setSeriesStroke(
          i, new BasicStroke(w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND), false);
      if (s.size() <= MARKER_MAX_POINTS) {
        renderer.setSeriesShapesVisible(i, true);
        renderer.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6), false);
      }
    }

    XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
    plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD); // later series on top
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlineVisible(false);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setDomainGridlineStroke(new BasicStroke(1f));
    plot.setRangeGridlineStroke(new BasicStroke(1f));
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
    plot.setInsets(new RectangleInsets(8, 4, 4, 16));

    JFreeChart chart =
        new JFreeChart(
            c.title().isEmpty() ? null : c.title(),
            new Font(FONT, Font.BOLD, 14),
            plot,
            !c.series().isEmpty());
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(true);
    chart.setPadding(new RectangleInsets(6, 6, 6, 6));
    if (chart.getTitle() != null) {
      chart.getTitle().setPaint(TEXT);
    }
    if (!c.yLabel().isEmpty()) {
      // The y label sits above the axis, horizontal: easier to read than rotated text, and it
      // stays real text in SVG (JFreeChart draws rotated strings as glyph outlines).
      TextTitle yLabel =
          new TextTitle(
              "\u2191 " + c.yLabel(),
              new Font(FONT, Font.PLAIN, 12),
              TEXT,
              RectangleEdge.TOP,
              HorizontalAlignment.LEFT,
              VerticalAlignment.BOTTOM,
              new RectangleInsets(4, 8, 0, 0));
      chart.addSubtitle(yLabel);
    }
    LegendTitle legend = chart.getLegend();
    if (legend != null) {
      legend.setItemFont(new Font(FONT, Font.PLAIN, 12));
      legend.setItemPaint(TEXT);
      legend.setFrame(BlockBorder.NONE);
      legend.setBackgroundPaint(Color.WHITE);
      legend.setPosition(RectangleEdge.BOTTOM);
    }
    return chart;
  }

  /**
   * The points as JFreeChart will draw them: a point that cannot be drawn (non-finite, or not
   * positive on a log axis) becomes (NaN, NaN), which the path renderer draws as a gap.
   */
  private static double[][] drawable(double[] x, double[] y, boolean logY) {
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i]) || !Double.isFinite(y[i]) || (logY && y[i] <= 0)) {
        x[i] = Double.NaN;
        y[i] = Double.NaN;
      }
    }
    return new double[][] {x, y};
  }

  /**
   * Tick units 1, 2, 2.5 and 5 times a power of ten, each labelled with as many decimals as its
   * step needs (0.25 → "0.75", 0.05 → "0.80"), so the labels of one axis line up.
   */
  private static TickUnits decimalTickUnits() {
    TickUnits units = new TickUnits();
    DecimalFormatSymbols symbols = DecimalFormatSymbols.getInstance(Locale.ROOT);
    for (int k = -12; k <= 12; k++) {
      for (int m : new int[] {10, 20, 25, 50}) {
        BigDecimal step = BigDecimal.valueOf(m).scaleByPowerOfTen(k - 1).stripTrailingZeros();
        int decimals = Math.max(0, step.scale());
        String pattern = decimals == 0 ? "#,##0" : "#,##0." + "0".repeat(decimals);
        units.add(new NumberTickUnit(step.doubleValue(), new DecimalFormat(pattern, symbols)));
      }
    }
    return units;
  }

  /** Tick units 1, 2, 5, 10, 20, ... that are at least {@code smallest}, labelled 1,000. */
  private static TickUnits integerTickUnits(double smallest) {
    TickUnits units = new TickUnits();
    DecimalFormat f = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT));
    for (long p = 1; p <= 1_000_000_000_000L; p *= 10) {
      for (long m : new long[] {1, 2, 5}) {
        if (m * p >= smallest || (m == 5 && p == 1_000_000_000_000L)) {
          units.add(new NumberTickUnit(m * p, f));
        }
      }
    }
    return units;
  }

  private static String twoDecimals(double v) {
    if (!(Math.abs(v) < 1e9)) {
      return Double.toString(v);
    }
    long r = Math.round(v * 100);
    if (r % 100 == 0) {
      return Long.toString(r / 100);
    }
    return Double.toString(r / 100.0);
  }

  private static void checkSize(int width, int height) {
    if (width < 1 || width > MAX_SIDE || height < 1 || height > MAX_SIDE) {
      throw new IllegalArgumentException(
          "chart size "
              + width
              + "x"
              + height
              + " is out of range: each side must be 1 to "
              + MAX_SIDE);
    }
  }

  /**
   * Chooses headless AWT unless the application already chose. Must run before AWT's graphics
   * environment starts; after that the property is no longer read.
   */
  private static void ensureHeadless() {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  static byte[] encodePng(BufferedImage image) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    // An in-memory stream: ImageIO.write would otherwise consult the global cache setting and
    // may spill to a temporary file.
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the chart as PNG", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
