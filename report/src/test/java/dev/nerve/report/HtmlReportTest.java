package dev.nerve.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

  private static final String CLASSIFICATION = HtmlReport.render(SampleReports.classification());

  private static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void containsEverySection() {
    String h = CLASSIFICATION;
    assertTrue(h.startsWith("<!DOCTYPE html>"));
    assertTrue(h.contains("<h1>Fashion-MNIST, MLP 784-256-128-10</h1>"));
    for (String id :
        List.of("outcome", "hyper-parameters", "data", "model", "curves", "time", "confusion")) {
      assertEquals(1, count(h, "<section id=\"" + id + "\">"), "section " + id);
      assertTrue(h.contains("<a href=\"#" + id + "\">"), "table of contents links " + id);
    }
    assertTrue(h.contains("<section id=\"per-class\">"));
    assertFalse(h.contains("<section id=\"regression\">"), "no regression data, no section");
    // header
    assertTrue(h.contains("2025-06-01T12:34:56Z"));
    assertTrue(h.contains("<code>42</code>"));
    assertTrue(h.contains("17.0.15"));
    assertTrue(h.contains("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
    // tables
    assertTrue(h.contains("Adam(lr=0.001, beta1=0.9, beta2=0.999)"));
    assertTrue(h.indexOf(">optimizer<") < h.indexOf(">loss<"), "hyper-parameters keep order");
    assertTrue(h.contains("Dense(in=784, out=256)"));
    assertTrue(h.contains("235,146"), "total parameters");
    assertTrue(h.contains("early stopping at epoch 9; best epoch 6 restored"));
    // charts: four, each with its own ids
    for (String prefix :
        List.of("iteration-loss-", "epoch-loss-", "epoch-accuracy-", "epoch-time-")) {
      assertEquals(1, count(h, "<svg id='" + prefix + "svg'"), prefix);
    }
    assertTrue(h.contains("mean of last 200"), "smoothed iteration loss");
    assertTrue(h.contains(">\u2191 loss (log scale)</text>"), "log axis for the iteration loss");
    // time
    assertTrue(h.contains("Total</th><td><strong>"));
    // confusion matrix: 10 × 10 shaded cells with counts, and the metrics table
    assertEquals(100, count(h, "<td style=\"background:rgba("));
    assertTrue(h.contains("Macro average"));
    assertTrue(h.contains("Accuracy <strong>0.8720</strong>"));
  }

  @Test
  void shadingFollowsTheRowShare() {
    long[][] m = {{3, 1}, {0, 4}};
    RunReport r =
        RunReport.builder("t")
            .classification(Classification.of("test", List.of("a", "b"), m))
            .build();
    String h = HtmlReport.render(r);
    assertTrue(h.contains("background:rgba(0,114,178,0.750)"), "3 of 4 correct");
    assertTrue(h.contains("background:rgba(213,94,0,0.250)"), "1 of 4 confused");
    assertTrue(h.contains("background:rgba(213,94,0,0.000)"), "none confused");
    assertTrue(h.contains("background:rgba(0,114,178,1.000);color:#fff"), "dark cell, light text");
  }

  @Test
  void userTextIsEscaped() {
    String evil = "<script>alert('x')</script>";
    RunReport r =
        RunReport.builder(evil + " title")
            .hyperParameter("lr\"><img src=x onerror=alert(1)>", evil)
            .data("a & b", "<b>bold</b>")
            .layer(new LayerRow(1, evil, "<[3]>", 3))
            .classification(
                Classification.of(evil, List.of(evil, "cat"), new long[][] {{1, 0}, {0, 1}}))
            .trainLoss(new double[] {1, 0.5})
            .outcome(evil, evil)
            .build();
    String h = HtmlReport.render(r);
    assertFalse(h.contains("<script"), "a <script> tag leaked into the page");
    assertFalse(h.contains("<img"), "an <img> tag leaked into the page");
    assertFalse(h.contains("<b>bold"), "markup in a value leaked into the page");
    assertTrue(h.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), "shown as text");
    assertTrue(h.contains("lr&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assertTrue(h.contains("a &amp; b"));
    assertTrue(h.contains("title=\"true &lt;script&gt;"), "attribute values are escaped too");
  }

  @Test
  void pageIsSelfContained() {
    String h = CLASSIFICATION;
    assertTrue(
        h.contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\""
                + "default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"));
    assertFalse(h.contains("<script"));
    assertFalse(h.contains("<link"));
    assertFalse(h.contains("@import"));
    assertFalse(Pattern.compile("\\bsrc\\s*=").matcher(h).find(), "nothing is loaded");
    // The only absolute URLs allowed are XML namespace names, which are never fetched.
    String withoutNamespaces = h.replaceAll("xmlns(:\\w+)?='[^']*'", "");
    assertFalse(withoutNamespaces.contains("http:"), "an http URL in the page");
    assertFalse(withoutNamespaces.contains("https:"), "an https URL in the page");
    Matcher href = Pattern.compile("href=\"([^\"]*)\"").matcher(h);
    while (href.find()) {
      assertTrue(href.group(1).startsWith("#"), "only in-page links: " + href.group(1));
    }
  }

  @Test
  void idsAreUniqueInThePage() {
    Matcher m = Pattern.compile("\\bid=['\"]([^'\"]+)['\"]").matcher(CLASSIFICATION);
    Set<String> seen = new HashSet<>();
    int n = 0;
    while (m.find()) {
      n++;
      assertTrue(seen.add(m.group(1)), "duplicate id " + m.group(1));
    }
    assertTrue(n > 10, "found only " + n + " ids");
  }

  @Test
  void sameReportGivesSamePageWhateverTheLocale() {
    assertEquals(CLASSIFICATION, HtmlReport.render(SampleReports.classification()));
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY); // decimal comma, dot for thousands
      assertEquals(CLASSIFICATION, HtmlReport.render(SampleReports.classification()));
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void regressionRunShowsItsMetricsAndNoClassification() {
    String h = HtmlReport.render(SampleReports.regression());
    assertTrue(h.contains("<section id=\"regression\">"));
    assertTrue(h.contains("Regression metrics (test)"));
    assertTrue(h.contains("0.0421") && h.contains("0.1510") && h.contains("0.8730"));
    assertFalse(h.contains("id=\"confusion\""));
    assertFalse(h.contains("epoch-accuracy-"), "no accuracy, no accuracy chart");
    assertFalse(h.contains("id=\"time\""), "no timings, no time section");
  }

  @Test
  void minimalReportRendersWithoutOptionalSections() {
    String h = HtmlReport.render(RunReport.builder(null).build());
    assertTrue(h.contains("<h1>Training run</h1>"));
    assertFalse(h.contains("<svg"));
    assertFalse(h.contains("<section"));
    assertFalse(h.contains("<nav"));
    assertTrue(h.endsWith("</html>\n"));
  }

  @Test
  void inputPicturesAreInlinePngsWithTheLowestRowAtTheBottom() throws Exception {
    // A 2 x 3 picture: row 0 (bottom) 0, 1, 2; row 1 (top) 3, 4, 5.
    Picture p = new Picture("seven <spoken>", 2, 3, new float[] {0, 1, 2, 3, 4, 5});
    String h = HtmlReport.render(RunReport.builder("t").input(p).build());
    assertTrue(h.contains("<section id=\"inputs\">"), h);
    assertTrue(h.contains("<figcaption>seven &lt;spoken&gt;</figcaption>"), h);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)").matcher(h);
    assertTrue(m.find(), "an inline PNG");
    java.awt.image.BufferedImage img =
        javax.imageio.ImageIO.read(
            new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(m.group(1))));
    assertEquals(6, img.getWidth());
    assertEquals(4, img.getHeight());
    assertEquals(Picture.colour(0) & 0xffffff, img.getRGB(0, 3) & 0xffffff, "0 at bottom left");
    assertEquals(Picture.colour(1) & 0xffffff, img.getRGB(5, 0) & 0xffffff, "5 at top right");
    assertFalse(HtmlReport.render(RunReport.builder("t").build()).contains("id=\"inputs\""));
    assertThrows(IllegalArgumentException.class, () -> new Picture("x", 2, 2, new float[3]));
  }

  @Test
  void nanMetricsShowAsDashes() {
    long[][] m = {{2, 0}, {0, 0}};
    RunReport r =
        RunReport.builder("t").classification(Classification.of("t", List.of("a", "b"), m)).build();
    assertTrue(HtmlReport.render(r).contains("<td class=\"num\">\u2014</td>"));
  }

  @Test
  void movingAverageUsesTheLastWValues() {
    double[] v = {1, 2, 3, Double.NaN, 5};
    assertArrayEquals(new double[] {1, 1.5, 2.5, 3, 5}, HtmlReport.movingAverage(v, 2), 1e-12);
    assertEquals(200, HtmlReport.smoothingWindow(10_000));
    assertEquals(10, HtmlReport.smoothingWindow(200));
    assertEquals(500, HtmlReport.smoothingWindow(1_000_000));
  }

  @Test
  void secondsReadNaturally() {
    assertEquals("12.3 ms", HtmlReport.seconds(0.0123));
    assertEquals("4.56 s", HtmlReport.seconds(4.56));
    assertEquals("3 min 07 s", HtmlReport.seconds(187));
    assertEquals("2 h 05 min", HtmlReport.seconds(7500));
  }
}
