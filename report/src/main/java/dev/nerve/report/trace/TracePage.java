package dev.nerve.report.trace;

import dev.nerve.io.AtomicFiles;
import dev.nerve.io.Json;
import dev.nerve.tensor.Tensor;
import dev.nerve.train.Trace;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The step-by-step backpropagation walkthrough as one self-contained HTML page: every step of
 * {@link Walkthrough} on its own screen, the matrices drawn as coloured tables (feature maps as
 * small images, kernels as small grids), a slider over the recorded iterations and the loss curve.
 * Pointing at a cell of a result highlights the cells it came from and shows its arithmetic;
 * clicking keeps it. The page opens from disk: its script and data are inline, its
 * Content-Security-Policy allows that one script (by hash) and nothing from the network.
 *
 * <pre>{@code
 * TracePage.write(recorder.trace(), "Tutorial 1", Path.of("trace.html"));
 * }</pre>
 *
 * <p>Deep links: {@code page.html#step=4&it=0} opens step 4 of the first recorded iteration, {@code
 * &cell=0:5} also selects cell 5 (row-major) of the step's first result, {@code #all} shows every
 * step one after another (for printing), {@code &exact} shows values unrounded.
 */
public final class TracePage {
  /** Values kept per matrix per iteration unless told otherwise; the rest are summarised. */
  public static final int DEFAULT_MAX_VALUES = 1 << 15;

  /** Points of the loss curve at most (thinned on a logarithmic scale). */
  static final int CURVE_POINTS = 1500;

  private TracePage() {}

  /** Writes the page for {@code trace} to {@code file}, atomically. */
  public static void write(Trace trace, String title, Path file) throws IOException {
    write(trace, title, file, DEFAULT_MAX_VALUES);
  }

  /**
   * Writes the page for {@code trace} to {@code file}, atomically, keeping up to {@code maxValues}
   * values per matrix (see {@link #html(Trace, String, int)}).
   */
  public static void write(Trace trace, String title, Path file, int maxValues) throws IOException {
    AtomicFiles.writeString(file, html(trace, title, maxValues));
  }

  /** The page for {@code trace}, keeping up to {@link #DEFAULT_MAX_VALUES} values per matrix. */
  public static String html(Trace trace, String title) {
    return html(trace, title, DEFAULT_MAX_VALUES);
  }

  /**
   * The page for {@code trace}, keeping up to {@code maxValues} values of each matrix in each
   * iteration (row-major from the start: the first rows, or the first examples' feature maps).
   */
  public static String html(Trace trace, String title, int maxValues) {
    if (maxValues < 1) {
      throw new IllegalArgumentException("maxValues must be at least 1, got " + maxValues);
    }
    Walkthrough w = Walkthrough.of(trace);
    String data = Json.writeLine(data(w, title, maxValues)).replace("<", "\\u003c");
    String script = resource("trace.js");
    String css = resource("trace.css");
    String policy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src '"
            + sha256(script)
            + "'";
    StringBuilder h = new StringBuilder(data.length() + script.length() + 4096);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .append(policy)
        .append("\">\n<title>")
        .append(escape(title))
        .append("</title>\n<style>\n")
        .append(css)
        .append("</style></head>\n<body>\n<header><div>\n<h1>")
        .append(escape(title))
        .append("</h1>\n<p class=\"meta\">")
        .append(escape(networkLine(trace)))
        .append("</p>\n<p class=\"meta\">loss ")
        .append(escape(trace.lossName()))
        .append(", optimiser ")
        .append(escape(trace.iterations().get(0).optimizer()))
        .append(", ")
        .append(trace.losses().length)
        .append(" iterations in the run, ")
        .append(trace.iterations().size())
        .append(" recorded</p>\n<div id=\"controls\">")
        .append("<button id=\"prev\" type=\"button\">◀ previous</button>")
        .append("<button id=\"next\" type=\"button\">next ▶</button>")
        .append("<span id=\"pos\"></span>")
        .append("<button id=\"all\" type=\"button\">all steps / one step</button>")
        .append("<label><input id=\"exact\" type=\"checkbox\"> exact values</label></div>\n")
        .append("<div id=\"controls2\"><label>recorded iteration ")
        .append("<input id=\"slider\" type=\"range\" min=\"0\" max=\"0\" step=\"1\" value=\"0\">")
        .append("</label> <span id=\"iteration\"></span></div>\n</div>\n")
        .append("<svg id=\"curve\" viewBox=\"0 0 560 150\" role=\"img\"")
        .append(" aria-label=\"loss per iteration\"></svg>\n</header>\n")
        .append("<div class=\"layout\"><nav><ol id=\"toc\"></ol></nav><main id=\"steps\"></main>")
        .append("</div>\n<footer>Made by Nerve. One file: no network, no server.")
        .append(" Keys ← → move between steps.</footer>\n")
        .append("<script type=\"application/json\" id=\"trace-data\">")
        .append(data)
        .append("</script>\n<script>")
        .append(script)
        .append("</script>\n</body></html>\n");
    return h.toString();
  }

  private static String networkLine(Trace trace) {
    StringBuilder sb = new StringBuilder("network ");
    var layers = trace.model().layers();
    for (int i = 0; i < layers.size(); i++) {
      sb.append(i == 0 ? "" : " → ").append(layers.get(i));
    }
    return sb.toString();
  }

  static Map<String, Object> data(Walkthrough w, String title, int maxValues) {
    Trace trace = w.trace();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("title", title);
    Map<String, Object> mats = new LinkedHashMap<>();
    for (Walkthrough.MatrixInfo m : w.matrices().values()) {
      mats.put(m.id(), map("name", m.name(), "display", m.display()));
    }
    d.put("matrices", mats);
    List<Object> steps = new ArrayList<>();
    for (Walkthrough.Step s : w.steps()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("number", s.number());
      m.put("title", s.title());
      m.put("tutorial", s.tutorial());
      m.put("math", s.math());
      m.put("java", s.java());
      m.put("text", s.text());
      m.put("shows", s.shows());
      List<Object> parts = new ArrayList<>();
      for (Walkthrough.Part p : s.parts()) {
        parts.add(map("result", p.result(), "rule", p.rule()));
      }
      m.put("parts", parts);
      m.put("checks", s.checks());
      steps.add(m);
    }
    d.put("steps", steps);
    List<Object> its = new ArrayList<>();
    for (Trace.Iteration it : trace.iterations()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("iteration", it.iteration());
      m.put("epoch", it.epoch());
      m.put("batch", it.batch());
      m.put("loss", finite(it.loss()));
      m.put("learningRate", it.learningRate());
      m.put("optimizer", it.optimizer());
      Map<String, Object> values = new LinkedHashMap<>();
      for (String id : w.matrices().keySet()) {
        Tensor t = w.value(it, id);
        if (t == null || id.startsWith("G")) {
          continue; // the script rebuilds each gradient G from its step D = -G
        }
        values.put(
            id,
            id.startsWith("N")
                ? sparse(t, w.value(it, "G" + id.substring(1)))
                : dense(t, maxValues));
      }
      m.put("values", values);
      Map<String, Object> notes = new LinkedHashMap<>();
      for (int k = 0; k < it.parameters().size(); k++) {
        String note = it.parameters().get(k).checkNote();
        if (note != null) {
          notes.put("P" + k, note);
        }
      }
      m.put("notes", notes);
      its.add(m);
    }
    d.put("iterations", its);
    long[] at = curveIterations(trace);
    List<Object> losses = new ArrayList<>();
    for (long i : at) {
      losses.add(finite(trace.losses()[(int) (i - 1)]));
    }
    List<Object> atList = new ArrayList<>();
    for (long i : at) {
      atList.add(i);
    }
    d.put("lossIterations", atList);
    d.put("losses", losses);
    return d;
  }

  /** Iterations drawn on the curve: all of a short run, else log-spaced plus the recorded ones. */
  static long[] curveIterations(Trace trace) {
    int n = trace.losses().length;
    TreeSet<Long> at = new TreeSet<>();
    if (n <= CURVE_POINTS) {
      for (long i = 1; i <= n; i++) {
        at.add(i);
      }
    } else {
      for (int k = 0; k < CURVE_POINTS; k++) {
        at.add(Math.round(Math.exp(Math.log(n) * k / (CURVE_POINTS - 1))));
      }
    }
    for (Trace.Iteration it : trace.iterations()) {
      if (it.iteration() <= n) {
        at.add(it.iteration());
      }
    }
    return at.stream().mapToLong(Long::longValue).toArray();
  }

  private static Map<String, Object> dense(Tensor t, int maxValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("shape", t.shape().dims());
    m.put("size", t.size());
    float[] v = t.data();
    int n = Math.min(v.length, maxValues);
    boolean allFinite = true;
    for (int i = 0; i < n && allFinite; i++) {
      allFinite = Float.isFinite(v[i]);
    }
    if (allFinite) {
      m.put("v", java.util.Arrays.copyOf(v, n));
    } else {
      List<Object> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        list.add(finite(v[i]));
      }
      m.put("v", list);
    }
    return m;
  }

  /** The checked cells: [index, finite difference, backpropagated gradient] each. */
  private static Map<String, Object> sparse(Tensor t, Tensor gradient) {
    List<Object> pairs = new ArrayList<>();
    float[] v = t.data();
    float[] g = gradient.data();
    for (int i = 0; i < v.length; i++) {
      if (!Float.isNaN(v[i])) {
        pairs.add(java.util.Arrays.asList(i, finite(v[i]), finite(g[i])));
      }
    }
    return map("shape", t.shape().dims(), "size", t.size(), "sparse", pairs);
  }

  private static Map<String, Object> map(Object... kv) {
    return Walkthrough.orderedMap(kv);
  }

  /** JSON has no NaN or infinity: NaN becomes null, infinities the strings JS's Number reads. */
  private static Object finite(double x) {
    if (Double.isNaN(x)) {
      return null;
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "Infinity" : "-Infinity";
    }
    return x;
  }

  private static Object finite(float x) {
    return Float.isFinite(x) ? (Object) x : finite((double) x);
  }

  static String resource(String name) {
    try (InputStream in = TracePage.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " beside TracePage");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(String script) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
