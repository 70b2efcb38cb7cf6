package dev.nerve.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the report in headless Chromium ({@link HeadlessChromium}), as a person would open the
 * file, and checks what a person would see: a screenshot that is not blank and shows the charts, no
 * console message (a script error or a Content-Security-Policy refusal would log one), and no
 * network request made by the page. {@code -Dnerve.reportScreenshot=/path.png} keeps a copy of the
 * screenshot.
 */
class ChromiumReportTest {
  @TempDir Path dir;

  private HeadlessChromium chromium;

  @BeforeEach
  void needChromium() {
    chromium = HeadlessChromium.require(dir);
  }

  private HeadlessChromium.Run open(String html, String name, int width, int height)
      throws Exception {
    HeadlessChromium.Run run = chromium.open(html, name, "", width, height, false);
    String keep = System.getProperty("nerve.reportScreenshot");
    if (keep != null && !keep.isBlank() && name.equals("report") && run.shot() != null) {
      Files.copy(run.shot(), Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return run;
  }

  private static int pixels(BufferedImage img, int rgb) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        n += (img.getRGB(x, y) & 0xFFFFFF) == rgb ? 1 : 0;
      }
    }
    return n;
  }

  @Test
  void reportRendersWithoutErrorsOrRequests() throws Exception {
    HeadlessChromium.Run run =
        open(HtmlReport.render(SampleReports.classification()), "report", 1280, 4000);
    assertEquals(0, run.exitCode(), "Chromium failed:\n" + run.log());
    assertNotNull(run.screenshot(), "no screenshot:\n" + run.log());
    assertEquals(1280, run.screenshot().getWidth());
    assertEquals(4000, run.screenshot().getHeight());
    BufferedImage img = run.screenshot();
    long notWhite = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        notWhite += (img.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF ? 1 : 0;
      }
    }
    double inked = (double) notWhite / ((long) img.getWidth() * img.getHeight());
    assertTrue(inked > 0.03, "the page looks blank: " + inked + " of its pixels are not white");
    // The first two series colours (lines, markers, legend) mean the inline SVG charts drew.
    assertTrue(pixels(img, 0x0072B2) > 1000, "blue chart lines missing from the screenshot");
    assertTrue(pixels(img, 0xE69F00) > 300, "orange chart lines missing from the screenshot");
    assertTrue(run.console().isEmpty(), "console messages:\n" + String.join("\n", run.console()));
    assertTrue(run.requests().isEmpty(), "the page made requests: " + run.requests());
  }

  @Test
  void theDetectorsCatchABadPage() throws Exception {
    String withPolicy =
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
            + "<meta http-equiv=\"Content-Security-Policy\" content=\""
            + HtmlReport.CONTENT_SECURITY_POLICY
            + "\"><title>bad</title></head><body><p>bad</p>"
            + "<img src=\"https://example.invalid/a.png\"><script>missing();</script>"
            + "</body></html>";
    HeadlessChromium.Run blocked = open(withPolicy, "blocked", 400, 300);
    assertTrue(
        blocked.console().stream().anyMatch(l -> l.contains("Content Security Policy")),
        "a blocked fetch must show as a console message:\n" + blocked.log());
    assertTrue(
        blocked.requests().isEmpty(), "the policy should have stopped " + blocked.requests());

    String withoutPolicy = withPolicy.replaceFirst("<meta http-equiv=[^>]*>", "");
    HeadlessChromium.Run open = open(withoutPolicy, "open", 400, 300);
    assertTrue(
        open.console().stream().anyMatch(l -> l.contains("missing is not defined")),
        "a script error must show as a console message:\n" + open.log());
    assertTrue(
        open.requests().contains("https://example.invalid/a.png"),
        "a fetch must show in the net log: " + open.requests());
    assertFalse(open.console().isEmpty());
  }
}
