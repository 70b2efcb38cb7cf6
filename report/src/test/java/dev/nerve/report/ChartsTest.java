package dev.nerve.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class ChartsTest {

  private static Chart trainAndValidation() {
    return new Chart(
        "Loss per epoch",
        "epoch",
        "loss",
        List.of(
            Series.of("training", new double[] {0.9, 0.6, 0.45, 0.4, 0.38}),
            Series.of("validation", new double[] {0.95, 0.7, 0.55, Double.NaN, 0.52})),
        false);
  }

  private static Chart iterations(int n) {
    Random r = new Random(11);
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = (0.2 + 2 * Math.exp(-i / 800.0)) * Math.exp(0.3 * r.nextGaussian());
    }
    y[n / 2] = 100; // one spike that must still show
    return new Chart(
        "Loss per iteration", "iteration", "loss", List.of(Series.of("loss", y)), true);
  }

  static Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
  }

  private static String allText(Document d) {
    StringBuilder b = new StringBuilder();
    NodeList texts = d.getElementsByTagNameNS("*", "text");
    for (int i = 0; i < texts.getLength(); i++) {
      b.append(texts.item(i).getTextContent()).append('\n');
    }
    return b.toString();
  }

  @Test
  void svgIsWellFormedAndShowsTitleLabelsAndSeriesNames() throws Exception {
    String svg = Charts.svg(trainAndValidation(), 640, 360);
    Document d = parse(svg);
    Element root = d.getDocumentElement();
    assertEquals("svg", root.getLocalName());
    assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
    assertEquals("0 0 640 360", root.getAttribute("viewBox"));
    String text = allText(d);
    for (String s : List.of("Loss per epoch", "epoch", "\u2191 loss", "training", "validation")) {
      assertTrue(text.contains(s), "SVG text lacks '" + s + "':\n" + text);
    }
  }

  @Test
  void svgEscapesUserText() throws Exception {
    String evil = "<script>alert('x')</script> & \"q\"";
    Chart c = new Chart(evil, "x", "y", List.of(Series.of(evil, new double[] {1, 2, 3})), false);
    Document d = parse(Charts.svg(c, 400, 300));
    assertEquals(0, d.getElementsByTagNameNS("*", "script").getLength());
    assertTrue(allText(d).contains(evil), "the name must show as text");
  }

  @Test
  void everyIdCarriesThePrefix() throws Exception {
    String svg = Charts.svg(trainAndValidation(), 500, 300, "loss-a");
    Matcher m = Pattern.compile("\\bid='([^']*)'").matcher(svg);
    int ids = 0;
    while (m.find()) {
      ids++;
      assertTrue(m.group(1).startsWith("loss-a"), "id " + m.group(1));
    }
    assertTrue(ids >= 2, "expected the svg id and clip-path ids, found " + ids);
    assertEquals("loss-asvg", parse(svg).getDocumentElement().getAttribute("id"));
  }

  @Test
  void pngDecodesAtTheRequestedSizeAndIsNotBlank() throws IOException {
    byte[] png = Charts.png(trainAndValidation(), 800, 450);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertNotNull(img, "ImageIO cannot read the PNG");
    assertEquals(800, img.getWidth());
    assertEquals(450, img.getHeight());
    int blue = 0;
    int orange = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y) & 0xFFFFFF;
        blue += rgb == 0x0072B2 ? 1 : 0;
        orange += rgb == 0xE69F00 ? 1 : 0;
      }
    }
    assertTrue(blue > 100, "first series (blue) not drawn: " + blue + " pixels");
    assertTrue(orange > 100, "second series (orange) not drawn: " + orange + " pixels");
  }

  @Test
  void renderingRunsHeadless() {
    Charts.png(trainAndValidation(), 10, 10);
    assertTrue(GraphicsEnvironment.isHeadless());
  }

  @Test
  void sameChartGivesSameBytes() {
    // The PNG comparison holds within one JDK; pixels may differ between JDK versions.
    assertEquals(Charts.svg(iterations(3000), 900, 400), Charts.svg(iterations(3000), 900, 400));
    assertArrayEquals(
        Charts.png(trainAndValidation(), 600, 300), Charts.png(trainAndValidation(), 600, 300));
  }

  @Test
  void tenThousandPointsRenderAndTheSvgStaysSmall() throws Exception {
    Chart c = iterations(10_000);
    String svg = Charts.svg(c, 1000, 400);
    parse(svg);
    int vertices = 0;
    for (char ch : svg.toCharArray()) {
      vertices += ch == 'L' ? 1 : 0;
    }
    assertTrue(vertices < Charts.SVG_MAX_POINTS + 200, "SVG has " + vertices + " line segments");
    assertTrue(svg.length() < 60_000, "SVG is " + svg.length() + " chars");
    assertTrue(allText(parse(svg)).contains("100"), "the log axis must reach the spike at 100");
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(Charts.png(c, 1000, 400)));
    assertEquals(1000, img.getWidth());
  }

  @Test
  void nanAndNonPositiveValuesOnALogAxisAreGaps() throws Exception {
    double inf = Double.POSITIVE_INFINITY;
    double[] y = {1, 0.5, Double.NaN, 0.3, 0.25, 0, 0.2, 0.18, -1, 0.1, 0.09, inf, 0.06, 0.05};
    Chart c = new Chart("gaps", "x", "y", List.of(Series.of("s", y)), true);
    String svg = Charts.svg(c, 500, 300);
    // The series is one path; each gap starts a new sub-path with M.
    Matcher m =
        Pattern.compile("stroke:rgb\\(0,114,178\\)[^>]*>\\s*<path d='([^']*)'").matcher(svg);
    String line = "";
    while (m.find()) {
      line = m.group(1).length() > line.length() ? m.group(1) : line;
    }
    assertEquals(5, line.split("M", -1).length - 1, "four gaps make five pieces: " + line);
    assertEquals(5, line.split("L", -1).length - 1, "one segment per piece: " + line);
    assertNotNull(ImageIO.read(new ByteArrayInputStream(Charts.png(c, 500, 300))));
  }

  @Test
  void emptyAndAllNaNChartsStillRender() throws Exception {
    Chart empty = new Chart("", "", "", List.of(), false);
    parse(Charts.svg(empty, 300, 200));
    assertNotNull(ImageIO.read(new ByteArrayInputStream(Charts.png(empty, 300, 200))));
    List<Series> nan = new ArrayList<>();
    nan.add(Series.of("nothing", new double[] {Double.NaN, Double.NaN}));
    Chart allNaN = new Chart("t", "x", "y", nan, true);
    parse(Charts.svg(allNaN, 300, 200));
    assertNotNull(ImageIO.read(new ByteArrayInputStream(Charts.png(allNaN, 300, 200))));
  }

  @Test
  void badSizesAndPrefixesAreRejected() {
    Chart c = trainAndValidation();
    assertThrows(IllegalArgumentException.class, () -> Charts.png(c, 0, 100));
    assertThrows(IllegalArgumentException.class, () -> Charts.png(c, 100, 20_000));
    assertThrows(IllegalArgumentException.class, () -> Charts.svg(c, -1, 100));
    assertThrows(IllegalArgumentException.class, () -> Charts.svg(c, 100, 100, "1abc"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Charts.svg(c, 100, 100, "a b"));
    assertTrue(e.getMessage().contains("'a b'"), e.getMessage());
    assertThrows(NullPointerException.class, () -> Charts.png(null, 100, 100));
    assertFalse(Charts.svg(c, 100, 100).isEmpty());
  }
}
