package dev.nerve.report;

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

/**
 * Headless Chromium for the page tests: opens a file as a person would, with every host name
 * resolving to nothing, and returns what it left behind — the screenshot or the DOM after the
 * page's scripts ran, the console messages and the URLs the page requested.
 *
 * <p>How it knows: Chromium runs with {@code --enable-logging=stderr}, which prints every console
 * message as a line containing {@code :CONSOLE}, and with {@code --log-net-log}, which records
 * every URL request as JSON, one event per line; a request made for the page carries the page's
 * initiator, while Chromium's own background requests carry {@code "initiator":"not an origin"}.
 * These are log formats, not APIs, so {@code ChromiumReportTest.theDetectorsCatchABadPage} first
 * shows them a page that errs and fetches.
 *
 * <p>Without Chromium the tests are skipped, unless {@code NERVE_CI=1} in the environment (set by
 * {@code .ci/run}) or {@code -Dnerve.requireChromium=true}, which make them fail. {@code
 * -Dnerve.chromium=/path} chooses the binary.
 */
public final class HeadlessChromium {
  private static final long TIMEOUT_SECONDS = 120;
  private static final Pattern PAGE_REQUEST =
      Pattern.compile("\"initiator\":\"(?!not an origin\")[^\"]*\".*?\"url\":\"([^\"]*)\"");

  private final Path binary;
  private final Path dir;

  private HeadlessChromium(Path binary, Path dir) {
    this.binary = binary;
    this.dir = dir;
  }

  /** Chromium working in {@code dir}; skips or fails the test when there is none (see above). */
  public static HeadlessChromium require(Path dir) {
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
    return new HeadlessChromium(found.get(), dir);
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

  /**
   * What one run left behind.
   *
   * @param exitCode Chromium's exit code
   * @param screenshot the screenshot, or null when the DOM was dumped
   * @param dom the DOM after the scripts ran, or null for a screenshot
   * @param console the console messages
   * @param requests the URLs the page requested
   * @param log everything Chromium printed on stderr
   * @param shot where the screenshot is, if any
   */
  public record Run(
      int exitCode,
      BufferedImage screenshot,
      String dom,
      List<String> console,
      List<String> requests,
      String log,
      Path shot) {}

  /** Writes {@code html} as {@code name.html} and opens it with {@code fragment} (or ""). */
  public Run open(String html, String name, String fragment, int width, int height, boolean dom)
      throws IOException, InterruptedException {
    Path page = dir.resolve(name + ".html");
    Files.writeString(page, html, StandardCharsets.UTF_8);
    String tag = name + (fragment.isEmpty() ? "" : "-" + Integer.toHexString(fragment.hashCode()));
    Path shot = dir.resolve(tag + ".png");
    Path netLog = dir.resolve(tag + ".netlog.json");
    Path stderr = dir.resolve(tag + ".stderr.txt");
    Path stdout = dir.resolve(tag + ".stdout.txt");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                binary.toString(),
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
                "--user-data-dir=" + dir.resolve(tag + "-profile"),
                "--enable-logging=stderr",
                "--v=0",
                "--log-net-log=" + netLog,
                "--window-size=" + width + "," + height));
    cmd.add(dom ? "--dump-dom" : "--screenshot=" + shot);
    cmd.add(page.toUri() + fragment);
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(stderr.toFile())
            .redirectOutput(stdout.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      fail("Chromium did not finish in " + TIMEOUT_SECONDS + " s:\n" + read(stderr));
    }
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    String log = read(stderr) + read(dom ? null : stdout);
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
    BufferedImage img = !dom && Files.exists(shot) ? ImageIO.read(shot.toFile()) : null;
    return new Run(
        p.exitValue(), img, dom ? read(stdout) : null, console, requests, log, dom ? null : shot);
  }

  private static String read(Path p) throws IOException {
    return p != null && Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
  }
}
