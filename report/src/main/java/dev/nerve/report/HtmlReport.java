package dev.nerve.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Renders a {@link RunReport} as one self-contained HTML5 page.
 *
 * <p>The page carries everything inline: its CSS in a {@code <style>} element and its charts as SVG
 * drawn by {@link Charts#svg(Chart, int, int, String)}. It has no script, loads no font, image or
 * style sheet, and opens from {@code file://} without a server. A Content-Security-Policy meta tag
 * ({@value #CONTENT_SECURITY_POLICY}) makes that a promise the browser enforces: anything that
 * tried to fetch would be refused, not fetched.
 *
 * <p>Sections, each left out when its data is absent: the header (title, creation time, versions,
 * seed, data hash); the outcome, first because it is what a reader looks for; the hyper-parameters
 * and the data; the model summary; the curves (loss per iteration, loss per epoch for training and
 * validation, accuracy per epoch); time per epoch; the confusion matrix with per-class precision,
 * recall and F1; the regression metrics. A loss curve whose values are all positive and span a
 * factor of at least {@value #LOG_SCALE_RATIO} gets a logarithmic axis.
 *
 * <p>Every string from the report is HTML-escaped, so a class name such as {@code <script>} shows
 * as text. The output depends only on the report: the same report gives the same page. Print styles
 * keep sections and charts whole and keep the confusion matrix's shading.
 *
 * <pre>{@code
 * String html = HtmlReport.render(report);
 * Files.writeString(tmp, html);   // then move tmp into place atomically
 * }</pre>
 */
public final class HtmlReport {

  /** The policy in the page's Content-Security-Policy meta tag. */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

  /** A loss curve spanning at least this factor (max / min) is drawn on a log axis. */
  public static final double LOG_SCALE_RATIO = 20;

  /** Iteration-loss curves at least this long also get a smoothed line. */
  private static final int SMOOTH_MIN_POINTS = 200;

  // Chart sizes match the page's content box (1,056 px wide; 504 px per column), so a chart
  // on a wide screen is drawn at scale 1 and its 1-pixel grid lines stay sharp.
  private static final int WIDE_W = 1056;
  private static final int WIDE_H = 380;
  private static final int HALF_W = 504;
  private static final int HALF_H = 340;

  private HtmlReport() {}

  /**
   * Renders the report.
   *
   * @param r the report
   * @return a complete HTML5 document, UTF-8 text (declared in a meta tag)
   */
  public static String render(RunReport r) {
    Objects.requireNonNull(r, "report");
    StringBuilder h = new StringBuilder(64 * 1024);
    String title = r.title() == null || r.title().isBlank() ? "Training run" : r.title();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .append(CONTENT_SECURITY_POLICY)
        .append("\">\n");
    h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.append("<meta name=\"generator\" content=\"Nerve report\">\n");
    h.append("<title>").append(esc(title)).append(" \u2014 Nerve training report</title>\n");
    h.append("<style>").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");

    header(h, r, title);
    List<String[]> toc = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    outcome(body, r, toc);
    setup(body, r, toc);
    inputs(body, r, toc);
    model(body, r, toc);
    curves(body, r, toc);
    time(body, r, toc);
    classification(body, r, toc);
    regression(body, r, toc);
    if (toc.size() > 1) {
      h.append("<nav aria-label=\"Sections\"><ul>");
      for (String[] t : toc) {
        h.append("<li><a href=\"#").append(t[0]).append("\">").append(t[1]).append("</a></li>");
      }
      h.append("</ul></nav>\n");
    }
    h.append(body);
    h.append(
        "<footer>Made by Nerve. This page is self-contained: no scripts, no network.</footer>\n");
    h.append("</main>\n</body>\n</html>\n");
    return h.toString();
  }

  // ---------------------------------------------------------------------------------- sections

  private static void header(StringBuilder h, RunReport r, String title) {
    h.append("<header>\n<p class=\"kicker\">Nerve training report</p>\n<h1>")
        .append(esc(title))
        .append("</h1>\n<dl class=\"meta\">\n");
    if (r.createdAt() != null) {
      meta(h, "Created", esc(r.createdAt()));
    }
    meta(h, "Seed", "<code>" + r.seed() + "</code>");
    for (Map.Entry<String, String> e : r.versions().entrySet()) {
      meta(h, esc(e.getKey()), esc(e.getValue()));
    }
    if (r.dataHash() != null && !r.dataHash().isEmpty()) {
      h.append("<div class=\"hash\"><dt>Data SHA-256</dt><dd><code>")
          .append(esc(r.dataHash()))
          .append("</code></dd></div>\n");
    }
    h.append("</dl>\n</header>\n");
  }

  private static void meta(StringBuilder h, String term, String valueHtml) {
    h.append("<div><dt>")
        .append(term)
        .append("</dt><dd>")
        .append(valueHtml)
        .append("</dd></div>\n");
  }

  private static void outcome(StringBuilder h, RunReport r, List<String[]> toc) {
    if (r.outcome().isEmpty()) {
      return;
    }
    open(h, toc, "outcome", "Outcome");
    h.append("<div class=\"outcome\">");
    keyValues(h, r.outcome());
    h.append("</div>\n</section>\n");
  }

  private static void setup(StringBuilder h, RunReport r, List<String[]> toc) {
    boolean hp = !r.hyperParameters().isEmpty();
    boolean data = !r.dataDescription().isEmpty();
    if (!hp && !data) {
      return;
    }
    h.append("<div class=\"cols\">\n");
    if (hp) {
      open(h, toc, "hyper-parameters", "Hyper-parameters");
      keyValues(h, r.hyperParameters());
      h.append("</section>\n");
    }
    if (data) {
      open(h, toc, "data", "Data");
      keyValues(h, r.dataDescription());
      h.append("</section>\n");
    }
    h.append("</div>\n");
  }

  /** The examples of the inputs, as pictures (spectrograms: band upwards, time to the right). */
  private static void inputs(StringBuilder h, RunReport r, List<String[]> toc) {
    if (r.inputs().isEmpty()) {
      return;
    }
    open(h, toc, "inputs", "Inputs");
    h.append("<div class=\"pictures\">\n");
    for (Picture p : r.inputs()) {
      h.append("<figure class=\"picture\"><img alt=\"")
          .append(esc(p.caption()))
          .append("\" width=\"")
          .append(p.cols() * 2)
          .append("\" height=\"")
          .append(p.rows() * 2)
          .append("\" src=\"data:image/png;base64,")
          .append(java.util.Base64.getEncoder().encodeToString(p.png(2)))
          .append("\"><figcaption>")
          .append(esc(p.caption()))
          .append("</figcaption></figure>\n");
    }
    Picture first = r.inputs().get(0);
    h.append("</div>\n<p class=\"note\">")
        .append(first.rows())
        .append(" rows (the lowest at the bottom) × ")
        .append(first.cols())
        .append(" columns each; dark is the picture's smallest value, bright its largest.</p>\n")
        .append("</section>\n");
  }

  private static void model(StringBuilder h, RunReport r, List<String[]> toc) {
    if (r.layers().isEmpty() && r.totalParameters() == 0) {
      return;
    }
    open(h, toc, "model", "Model");
    h.append("<table class=\"grid\">\n<thead><tr><th class=\"num\">#</th><th>Layer</th>")
        .append("<th>Output shape</th><th class=\"num\">Parameters</th></tr></thead>\n<tbody>\n");
    for (LayerRow l : r.layers()) {
      h.append("<tr><td class=\"num\">")
          .append(l.index())
          .append("</td><td><code>")
          .append(esc(l.layer()))
          .append("</code></td><td><code>")
          .append(esc(l.outputShape()))
          .append("</code></td><td class=\"num\">")
          .append(count(l.parameters()))
          .append("</td></tr>\n");
    }
    h.append("</tbody>\n<tfoot><tr><th colspan=\"3\">Total parameters</th><td class=\"num\">")
        .append(count(r.totalParameters()))
        .append("</td></tr></tfoot>\n</table>\n</section>\n");
  }

  private static void curves(StringBuilder h, RunReport r, List<String[]> toc) {
    double[] iterations = r.iterationLoss();
    double[] train = r.trainLoss();
    double[] validation = r.validationLoss();
    double[] trainAcc = r.trainAccuracy();
    double[] validationAcc = r.validationAccuracy();
    boolean hasIterations = anyFinite(iterations);
    boolean hasEpochLoss = anyFinite(train) || anyFinite(validation);
    boolean hasAccuracy = anyFinite(trainAcc) || anyFinite(validationAcc);
    if (!hasIterations && !hasEpochLoss && !hasAccuracy) {
      return;
    }
    open(h, toc, "curves", "Curves");
    if (hasIterations) {
      boolean log = logScale(iterations);
      List<Series> s = new ArrayList<>();
      s.add(Series.of("training loss", iterations));
      if (iterations.length >= SMOOTH_MIN_POINTS) {
        int w = smoothingWindow(iterations.length);
        s.add(Series.of("mean of last " + w, movingAverage(iterations, w)));
      }
      Chart c =
          new Chart("Loss per iteration", "iteration", log ? "loss (log scale)" : "loss", s, log);
      figure(h, c, WIDE_W, WIDE_H, "iteration-loss-", iterationNote(iterations.length));
    }
    if (hasEpochLoss || hasAccuracy) {
      h.append("<div class=\"cols\">\n");
      if (hasEpochLoss) {
        List<Series> s = new ArrayList<>();
        if (anyFinite(train)) {
          s.add(Series.of("training", train));
        }
        if (anyFinite(validation)) {
          s.add(Series.of("validation", validation));
        }
        boolean log = logScale(train) && (validation.length == 0 || logScale(validation));
        Chart c = new Chart("Loss per epoch", "epoch", log ? "loss (log scale)" : "loss", s, log);
        figure(h, c, HALF_W, HALF_H, "epoch-loss-", null);
      }
      if (hasAccuracy) {
        List<Series> s = new ArrayList<>();
        if (anyFinite(trainAcc)) {
          s.add(Series.of("training", trainAcc));
        }
        if (anyFinite(validationAcc)) {
          s.add(Series.of("validation", validationAcc));
        }
        Chart c = new Chart("Accuracy per epoch", "epoch", "accuracy", s, false);
        figure(h, c, HALF_W, HALF_H, "epoch-accuracy-", null);
      }
      h.append("</div>\n");
    }
    h.append("</section>\n");
  }

  /**
   * The trailing window of the smoothed iteration loss: about 2% of the run, at least 10 and at
   * most 500 iterations.
   */
  static int smoothingWindow(int n) {
    return Math.max(10, Math.min(500, n / 50));
  }

  /** The mean of the finite values among {@code v[i - w + 1 .. i]} (fewer at the start). */
  static double[] movingAverage(double[] v, int w) {
    double[] out = new double[v.length];
    double sum = 0;
    int n = 0;
    for (int i = 0; i < v.length; i++) {
      if (Double.isFinite(v[i])) {
        sum += v[i];
        n++;
      }
      if (i >= w && Double.isFinite(v[i - w])) {
        sum -= v[i - w];
        n--;
      }
      out[i] = n == 0 ? Double.NaN : sum / n;
    }
    return out;
  }

  private static String iterationNote(int n) {
    if (n <= Charts.SVG_MAX_POINTS) {
      return null;
    }
    return count(n)
        + " iterations, drawn from at most "
        + count(Charts.SVG_MAX_POINTS)
        + " points per line that keep each stretch's lowest and highest loss.";
  }

  private static void time(StringBuilder h, RunReport r, List<String[]> toc) {
    double[] s = r.epochSeconds();
    if (!anyFinite(s)) {
      return;
    }
    double total = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    int minAt = 0;
    int maxAt = 0;
    int n = 0;
    for (int i = 0; i < s.length; i++) {
      if (Double.isFinite(s[i])) {
        total += s[i];
        n++;
        if (s[i] < min) {
          min = s[i];
          minAt = i + 1;
        }
        if (s[i] > max) {
          max = s[i];
          maxAt = i + 1;
        }
      }
    }
    open(h, toc, "time", "Time per epoch");
    h.append("<div class=\"cols time\">\n<table class=\"kv\">\n");
    row(h, "Total", "<strong>" + seconds(total) + "</strong>");
    row(h, "Epochs", count(s.length));
    row(h, "Mean per epoch", seconds(total / n));
    row(h, "Fastest", seconds(min) + " <span class=\"note\">(epoch " + minAt + ")</span>");
    row(h, "Slowest", seconds(max) + " <span class=\"note\">(epoch " + maxAt + ")</span>");
    h.append("</table>\n");
    if (s.length > 1) {
      Chart c =
          new Chart(
              "Seconds per epoch",
              "epoch",
              "seconds",
              List.of(Series.of("wall-clock time", s)),
              false);
      figure(h, c, HALF_W, 260, "epoch-time-", null);
    }
    h.append("</div>\n</section>\n");
  }

  private static void classification(StringBuilder h, RunReport r, List<String[]> toc) {
    Classification c = r.classification();
    if (c == null) {
      return;
    }
    String set = c.setName() == null || c.setName().isEmpty() ? "" : " (" + esc(c.setName()) + ")";
    List<String> names = c.classNames();
    long[][] m = c.confusion();
    int k = names.size();
    long total = 0;
    for (int t = 0; t < k; t++) {
      total += c.support(t);
    }

    open(h, toc, "confusion", "Confusion matrix" + set);
    h.append("<p class=\"note\">Rows are the true class, columns the predicted class. Each cell")
        .append(" shows its count and its share of the row; the shading follows that share,")
        .append(" <span class=\"swatch ok\"></span> blue on the diagonal (correct),")
        .append(" <span class=\"swatch bad\"></span> orange off it (confused).</p>\n");
    h.append("<div class=\"scroll\"><table class=\"confusion")
        .append(k > 12 ? " many" : "")
        .append("\">\n<thead><tr><th class=\"corner\" colspan=\"2\" rowspan=\"2\"></th>")
        .append("<th class=\"axis\" colspan=\"")
        .append(k)
        .append("\">predicted class</th><th class=\"total\" rowspan=\"2\">total</th></tr>\n<tr>");
    for (String name : names) {
      h.append("<th class=\"pred\" scope=\"col\">").append(esc(name)).append("</th>");
    }
    h.append("</tr>\n</thead>\n<tbody>\n");
    for (int t = 0; t < k; t++) {
      long support = c.support(t);
      h.append("<tr>");
      if (t == 0) {
        h.append("<th class=\"axis vertical\" rowspan=\"")
            .append(k)
            .append("\"><span>true class</span></th>");
      }
      h.append("<th class=\"true\" scope=\"row\">").append(esc(names.get(t))).append("</th>");
      for (int p = 0; p < k; p++) {
        double share = support == 0 ? 0 : (double) m[t][p] / support;
        String rgb = t == p ? "0,114,178" : "213,94,0";
        h.append("<td style=\"background:rgba(")
            .append(rgb)
            .append(',')
            .append(String.format(Locale.ROOT, "%.3f", share))
            .append(')')
            .append(share > 0.5 ? ";color:#fff" : "")
            .append("\" title=\"true ")
            .append(esc(names.get(t)))
            .append(", predicted ")
            .append(esc(names.get(p)))
            .append(": ")
            .append(m[t][p])
            .append("\">")
            .append(count(m[t][p]));
        if (m[t][p] > 0) {
          h.append("<small>").append(percent(share)).append("</small>");
        }
        h.append("</td>");
      }
      h.append("<td class=\"support\">").append(count(support)).append("</td></tr>\n");
    }
    h.append("</tbody>\n</table></div>\n<p class=\"note\">")
        .append(count(total))
        .append(" examples.</p>\n</section>\n");

    open(h, toc, "per-class", "Per-class metrics" + set);
    h.append("<p>Accuracy <strong>")
        .append(metric(c.accuracy()))
        .append("</strong>")
        .append(
            Double.isFinite(c.accuracy())
                ? String.format(Locale.ROOT, " (%.2f%%)", 100 * c.accuracy())
                : "")
        .append("</p>\n");
    double[] precision = c.precision();
    double[] recall = c.recall();
    double[] f1 = c.f1();
    h.append("<table class=\"grid metrics\">\n<thead><tr><th>Class</th><th class=\"num\">")
        .append("Precision</th><th class=\"num\">Recall</th><th class=\"num\">F1</th>")
        .append("<th class=\"num\">Support</th></tr></thead>\n<tbody>\n");
    for (int i = 0; i < k; i++) {
      h.append("<tr><td>")
          .append(esc(names.get(i)))
          .append("</td><td class=\"num\">")
          .append(metric(precision[i]))
          .append("</td><td class=\"num\">")
          .append(metric(recall[i]))
          .append("</td><td class=\"num\">")
          .append(metric(f1[i]))
          .append("</td><td class=\"num\">")
          .append(count(c.support(i)))
          .append("</td></tr>\n");
    }
    h.append("</tbody>\n<tfoot><tr><th>Macro average</th><td class=\"num\">")
        .append(metric(mean(precision)))
        .append("</td><td class=\"num\">")
        .append(metric(mean(recall)))
        .append("</td><td class=\"num\">")
        .append(metric(mean(f1)))
        .append("</td><td class=\"num\">")
        .append(count(total))
        .append("</td></tr></tfoot>\n</table>\n")
        .append("<p class=\"note\">A dash marks a metric that divides by zero (a class never")
        .append(" predicted, or never present); the macro average leaves it out.</p>\n")
        .append("</section>\n");
  }

  private static void regression(StringBuilder h, RunReport r, List<String[]> toc) {
    Regression g = r.regression();
    if (g == null) {
      return;
    }
    String set = g.setName() == null || g.setName().isEmpty() ? "" : " (" + esc(g.setName()) + ")";
    open(h, toc, "regression", "Regression metrics" + set);
    h.append("<table class=\"kv\">\n");
    row(h, "Mean squared error", metric(g.mse()));
    row(h, "Mean absolute error", metric(g.mae()));
    row(h, "R\u00b2", metric(g.r2()));
    h.append("</table>\n</section>\n");
  }

  // ----------------------------------------------------------------------------------- helpers

  private static void open(StringBuilder h, List<String[]> toc, String id, String titleHtml) {
    toc.add(new String[] {id, titleHtml.replaceAll(" \\(.*", "")});
    h.append("<section id=\"").append(id).append("\">\n<h2>").append(titleHtml).append("</h2>\n");
  }

  private static void figure(
      StringBuilder h, Chart c, int w, int ht, String idPrefix, String note) {
    h.append("<figure role=\"img\" aria-label=\"")
        .append(esc(c.title()))
        .append("\">\n")
        .append(Charts.svg(c, w, ht, idPrefix))
        .append('\n');
    if (note != null) {
      h.append("<figcaption class=\"note\">").append(esc(note)).append("</figcaption>\n");
    }
    h.append("</figure>\n");
  }

  private static void keyValues(StringBuilder h, Map<String, String> m) {
    h.append("<table class=\"kv\">\n");
    for (Map.Entry<String, String> e : m.entrySet()) {
      row(h, esc(e.getKey()), esc(e.getValue()));
    }
    h.append("</table>\n");
  }

  private static void row(StringBuilder h, String keyHtml, String valueHtml) {
    h.append("<tr><th scope=\"row\">")
        .append(keyHtml)
        .append("</th><td>")
        .append(valueHtml)
        .append("</td></tr>\n");
  }

  /** Escapes text for HTML element content and for quoted attribute values; null gives "". */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      String rep =
          switch (ch) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> null;
          };
      if (rep != null && b == null) {
        b = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (b != null) {
        if (rep != null) {
          b.append(rep);
        } else {
          b.append(ch);
        }
      }
    }
    return b == null ? s : b.toString();
  }

  private static boolean anyFinite(double[] v) {
    for (double d : v) {
      if (Double.isFinite(d)) {
        return true;
      }
    }
    return false;
  }

  /** True when the finite values are all positive and span at least {@link #LOG_SCALE_RATIO}. */
  private static boolean logScale(double[] v) {
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (double d : v) {
      if (Double.isFinite(d)) {
        if (d <= 0) {
          return false;
        }
        min = Math.min(min, d);
        max = Math.max(max, d);
      }
    }
    return max > 0 && max / min >= LOG_SCALE_RATIO;
  }

  private static double mean(double[] v) {
    double s = 0;
    int n = 0;
    for (double d : v) {
      if (Double.isFinite(d)) {
        s += d;
        n++;
      }
    }
    return n == 0 ? Double.NaN : s / n;
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String metric(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "\u2014";
  }

  private static String percent(double share) {
    double p = 100 * share;
    return String.format(Locale.ROOT, p >= 10 || p == 0 ? "%.0f%%" : "%.1f%%", p);
  }

  /** Seconds for a person: 12.3 ms, 4.56 s, 3 min 07 s, 2 h 05 min. */
  static String seconds(double s) {
    if (!Double.isFinite(s)) {
      return "\u2014";
    }
    if (s < 1) {
      return String.format(Locale.ROOT, "%.1f ms", s * 1000);
    }
    if (s < 60) {
      return String.format(Locale.ROOT, "%.2f s", s);
    }
    long whole = Math.round(s);
    if (whole < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", whole / 3600, (whole % 3600) / 60);
  }

  private static final String CSS =
      """

      :root { color-scheme: light; --ink: #1f2328; --muted: #5b6573; --rule: #d8dee4;
        --accent: #0072b2; --soft: #f3f6f9; }
      * { box-sizing: border-box; }
      html { background: #fff; }
      body { margin: 0; color: var(--ink);
        font: 15px/1.5 "DejaVu Sans", system-ui, -apple-system, "Segoe UI", Roboto,
          Helvetica, Arial, sans-serif; }
      main { max-width: 1120px; margin: 0 auto; padding: 28px 32px 40px; }
      header { border-bottom: 3px solid var(--accent); padding-bottom: 14px; }
      .kicker { margin: 0; font-size: 12px; letter-spacing: .08em; text-transform: uppercase;
        color: var(--muted); }
      h1 { margin: 2px 0 12px; font-size: 28px; line-height: 1.25; overflow-wrap: anywhere; }
      h2 { margin: 0 0 12px; padding-bottom: 4px; font-size: 19px;
        border-bottom: 1px solid var(--rule); }
      dl.meta { display: flex; flex-wrap: wrap; gap: 6px 32px; margin: 0; }
      dl.meta dt { font-size: 11px; letter-spacing: .05em; text-transform: uppercase;
        color: var(--muted); }
      dl.meta dd { margin: 0; font-weight: 600; }
      dl.meta .hash { flex-basis: 100%; }
      dl.meta .hash dd { font-weight: normal; }
      code { font-family: "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace;
        font-size: .87em; overflow-wrap: anywhere; }
      nav ul { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 10px 0 0; padding: 0;
        list-style: none; font-size: 14px; }
      nav a { color: var(--accent); text-decoration: none; }
      nav a:hover { text-decoration: underline; }
      .pictures { display: flex; flex-wrap: wrap; gap: 12px; }
      .picture { margin: 0; }
      .picture img { image-rendering: pixelated; display: block; }
      .picture figcaption { font-size: 0.85em; }
      section { margin: 30px 0 0; }
      .cols { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr));
        gap: 0 48px; align-items: start; }
      .cols > section { min-width: 0; }
      .time { align-items: center; }
      .cols > table { justify-self: start; }
      table { border-collapse: collapse; }
      table.kv th { padding: 3px 20px 3px 0; text-align: left; vertical-align: top;
        font-weight: normal; color: var(--muted); white-space: nowrap; }
      table.kv td { padding: 3px 0; overflow-wrap: anywhere; }
      table.grid { min-width: 60%; }
      table.grid th, table.grid td { padding: 5px 14px 5px 0; border-bottom: 1px solid var(--rule);
        text-align: left; }
      table.grid thead th { font-size: 13px; font-weight: 600; color: var(--muted);
        border-bottom: 2px solid var(--rule); }
      table.grid tfoot th, table.grid tfoot td { font-weight: 600; border-top: 2px solid var(--rule);
        border-bottom: 0; }
      .num, table.grid .num { text-align: right; font-variant-numeric: tabular-nums; }
      .outcome { background: var(--soft); border-left: 4px solid var(--accent);
        padding: 10px 16px; }
      .outcome table.kv td { font-weight: 600; }
      figure { margin: 6px 0 14px; }
      figure svg { display: block; width: 100%; height: auto; }
      .note, figcaption { color: var(--muted); font-size: 13px; }
      .scroll { overflow-x: auto; }
      table.confusion { margin: 4px 0; font-variant-numeric: tabular-nums; }
      table.confusion td { min-width: 3.6em; padding: 5px 6px; border: 1px solid #fff;
        text-align: center; font-size: 14px; line-height: 1.2; }
      table.confusion td small { display: block; font-size: 10.5px; opacity: .85; }
      table.confusion td.support { color: var(--muted); background: var(--soft); }
      table.confusion th.total { vertical-align: bottom; padding: 4px 6px 6px; color: var(--muted);
        font-weight: normal; }
      table.confusion th { font-size: 12.5px; font-weight: 600; }
      table.confusion th.pred { width: 6.4em; max-width: 6.4em; padding: 4px 4px 6px;
        vertical-align: bottom; text-align: center; overflow-wrap: break-word; }
      table.confusion th.true { padding: 0 10px 0 4px; text-align: right; white-space: nowrap; }
      table.confusion th.axis { color: var(--muted); font-weight: normal; font-size: 12px;
        letter-spacing: .05em; text-transform: uppercase; padding: 2px; }
      table.confusion th.vertical span { writing-mode: vertical-rl; transform: rotate(180deg); }
      table.confusion.many td { min-width: 2.6em; padding: 3px; font-size: 12px; }
      table.confusion.many th.pred { width: 3.4em; max-width: 3.4em; font-size: 11px; }
      table.confusion.many td small { display: none; }
      .swatch { display: inline-block; width: .9em; height: .9em; vertical-align: -1px;
        border-radius: 2px; }
      .swatch.ok { background: rgb(0,114,178); }
      .swatch.bad { background: rgb(213,94,0); }
      footer { margin-top: 40px; padding-top: 10px; border-top: 1px solid var(--rule);
        color: var(--muted); font-size: 12px; }
      @media print {
        body { font-size: 10.5pt; }
        main { max-width: none; padding: 0; }
        nav, footer { display: none; }
        section, figure, table, .outcome { break-inside: avoid; }
        .cols { grid-template-columns: 1fr 1fr; }
        * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      }
      """;
}
