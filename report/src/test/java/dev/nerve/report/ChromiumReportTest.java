package dev.nerve.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the report in headless Chromium, as a person would open the file, and checks what a person
 * would see: a screenshot that is not blank and shows the charts, no console message (a script
 * error or a Content-Security-Policy refusal would log one), and no network request made by the
 * page.
 *
 * <p>How it knows: Chromium runs with {@code --enable-logging=stderr}, which prints every console
 * message as a line containing {@code :CONSOLE}, and with {@code --log-net-log}, which records
 * every URL request as JSON, one event per line; a request made for the page carries the page's
 * initiator, while Chromium's own background requests carry {@code "initiator":"not an origin"}.
 * These are log formats, not APIs, so {@link #theDetectorsCatchABadPage} first shows them a page
 * that errs and fetches: if Chromium changes its logs, that test fails instead of the report test
 * passing blindly. Chromium's own background traffic is switched off where flags allow, and every
 * host name resolves to nothing, so no packet leaves the machine.
 *
 * <p>Without Chromium the tests are skipped, unless {@code NERVE_CI=1} in the environment (set by
 * {@code .ci/run}) or {@code -Dnerve.requireChromium=true}, which make them fail. {@code
 * -Dnerve.chromium=/path} chooses the binary; {@code -Dnerve.reportScreenshot=/path.png} keeps a
 * copy of the screenshot.
 */
class ChromiumReportTest {

  private static final long TIMEOUT_SECONDS = 120;
  private static final Pattern PAGE_REQUEST =
      Pattern.compile("\"initiator\":\"(?!not an origin\")[^\"]*\".*?\"url\":\"([^\"]*)\"");

  private Path chromium;

  @TempDir Path dir;

  @BeforeEach
  void needChromium() {
    Optional<Path> found = locate();
    if (found.isEmpty()) {
      String msg =
          "Chromium not found (looked at -Dnerve.chromium, chromium, chromium-browser,"
              + " google-chrome on PATH); Debian: apt-get install chromium";
      if (Boolean.getBoolean("nerve.requireChromium") || "1".equals(System.getenv("NERVE_CI"))) {
        fail(msg + ", and CI requires it (NERVE_CI=1 or -Dnerve.requireChromium=true)");
      }
      assumeTrue(false, msg);
    }
    chromium = found.get();
  }

  private static Optional<Path> locate() {
    String chosen = System.getProperty("nerve.chromium");
    if (chosen != null && !chosen.isBlank()) {
      return Optional.of(Path.of(chosen)).filter(Files::isExecutable);
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String d : path.split(File.pathSeparator)) {
        Path p = Path.of(d.isEmpty() ? "." : d, name);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** What one headless Chromium run left behind. */
  private record Run(
      int exitCode,
      BufferedImage screenshot,
      List<String> console,
      List<String> requests,
      String log) {}

  private Run open(String html, String name, int width, int height)
      throws IOException, InterruptedException {
    Path page = dir.resolve(name + ".html");
    Files.writeString(page, html, StandardCharsets.UTF_8);
    Path shot = dir.resolve(name + ".png");
    Path netLog = dir.resolve(name + ".netlog.json");
    Path stderr = dir.resolve(name + ".stderr.txt");
    List<String> cmd =
        List.of(
            chromium.toString(),
            "--headless",
            "--no-sandbox", // tests may run as root, where the sandbox refuses to start
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-sync",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-breakpad",
            "--no-pings",
            "--disable-features=SpellCheck,Translate,OptimizationHints,MediaRouter",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--user-data-dir=" + dir.resolve(name + "-profile"),
            "--enable-logging=stderr",
            "--v=0",
            "--log-net-log=" + netLog,
            "--screenshot=" + shot,
            "--window-size=" + width + "," + height,
            page.toUri().toString());
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(stderr.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      fail("Chromium did not finish in " + TIMEOUT_SECONDS + " s:\n" + read(stderr));
    }
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    String log = read(stderr);
    List<String> console = new ArrayList<>();
    for (String line : log.split("\n")) {
      if (line.contains(":CONSOLE")) {
        console.add(line);
      }
    }
    List<String> requests = new ArrayList<>();
    if (Files.exists(netLog)) {
      try (Stream<String> lines = Files.lines(netLog, StandardCharsets.UTF_8)) {
        lines.forEach(
            line -> {
              Matcher m = PAGE_REQUEST.matcher(line);
              if (m.find()) {
                requests.add(m.group(1));
              }
            });
      }
    }
    BufferedImage img = Files.exists(shot) ? ImageIO.read(shot.toFile()) : null;
    String keep = System.getProperty("nerve.reportScreenshot");
    if (keep != null && !keep.isBlank() && name.equals("report") && Files.exists(shot)) {
      Files.copy(shot, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return new Run(p.exitValue(), img, console, requests, log);
  }

  private static String read(Path p) throws IOException {
    return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
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
    Run run = open(HtmlReport.render(SampleReports.classification()), "report", 1280, 4000);
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
    Run blocked = open(withPolicy, "blocked", 400, 300);
    assertTrue(
        blocked.console().stream().anyMatch(l -> l.contains("Content Security Policy")),
        "a blocked fetch must show as a console message:\n" + blocked.log());
    assertTrue(
        blocked.requests().isEmpty(), "the policy should have stopped " + blocked.requests());

    String withoutPolicy = withPolicy.replaceFirst("<meta http-equiv=[^>]*>", "");
    Run open = open(withoutPolicy, "open", 400, 300);
    assertTrue(
        open.console().stream().anyMatch(l -> l.contains("missing is not defined")),
        "a script error must show as a console message:\n" + open.log());
    assertTrue(
        open.requests().contains("https://example.invalid/a.png"),
        "a fetch must show in the net log: " + open.requests());
    assertFalse(open.console().isEmpty());
  }
}
