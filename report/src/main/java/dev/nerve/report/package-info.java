/**
 * Pictures of a finished training run: line charts as PNG or SVG, and one self-contained HTML
 * report page.
 *
 * <p>Everything here works on plain data (records of strings, numbers and arrays), so this module
 * does not depend on {@code nerve-core}: whoever holds a training history fills a {@link
 * dev.nerve.report.RunReport} and calls {@link dev.nerve.report.HtmlReport#render}, or builds a
 * {@link dev.nerve.report.Chart} and calls {@link dev.nerve.report.Charts#png} or {@link
 * dev.nerve.report.Charts#svg}. The results are bytes and strings; writing them to disk (and doing
 * so atomically) is the caller's job.
 *
 * <pre>{@code
 * Chart loss = new Chart("Loss per epoch", "epoch", "loss",
 *     List.of(Series.of("train", trainLoss), Series.of("validation", validationLoss)), false);
 * byte[] png = Charts.png(loss, 900, 400);
 *
 * String html = HtmlReport.render(RunReport.builder("MNIST 784-128-10")
 *     .seed(42).trainLoss(trainLoss).validationLoss(validationLoss).build());
 * }</pre>
 *
 * <p>Why these choices:
 *
 * <ul>
 *   <li>Charts are drawn by JFreeChart (pure Java, no dependencies) onto a {@code BufferedImage}
 *       for PNG and onto JFreeSVG's {@code Graphics2D} for SVG, so both formats come from one piece
 *       of chart code. AWT runs headless; the JDK needs fontconfig and one font (DejaVu on Debian)
 *       to measure text.
 *   <li>The HTML page embeds its charts as inline SVG rather than PNG data URLs: smaller, sharp at
 *       any zoom and in print, and its text is selectable. Long series are thinned for SVG by
 *       min/max bucketing, which keeps the curve's envelope (see {@link dev.nerve.report.Charts}).
 *   <li>The page has no script and a Content-Security-Policy that forbids every fetch, so it opens
 *       from {@code file://} anywhere, offline, and cannot leak or break.
 *   <li>Output is deterministic: the same data gives the same SVG and HTML text, so reports can be
 *       diffed and tested.
 * </ul>
 */
package dev.nerve.report;
