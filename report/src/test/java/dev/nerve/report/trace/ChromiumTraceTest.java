package dev.nerve.report.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.report.HeadlessChromium;
import dev.nerve.train.Trace;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walkthrough page in headless Chromium: it loads with no console message and no network
 * request, every step renders, and selecting a cell (through the page's deep link, {@code
 * #step=S&cell=P:I}) highlights exactly the cells it came from. {@code
 * -Dnerve.traceScreenshots=DIR} keeps the screenshots for a person to look at.
 */
class ChromiumTraceTest {
  private static final Trace TUTORIAL = SampleTraces.tutorial1();
  private static final Pattern SOURCES = Pattern.compile("data-sources=\"([^\"]*)\"");

  @TempDir Path dir;

  private HeadlessChromium chromium;

  @BeforeEach
  void needChromium() {
    chromium = HeadlessChromium.require(dir);
  }

  private HeadlessChromium.Run dom(Trace t, String name, String fragment) throws Exception {
    HeadlessChromium.Run run =
        chromium.open(TracePage.html(t, name), name, fragment, 1400, 1000, true);
    assertEquals(0, run.exitCode(), run.log());
    assertTrue(run.console().isEmpty(), "console messages:\n" + String.join("\n", run.console()));
    assertTrue(run.requests().isEmpty(), "the page made requests: " + run.requests());
    assertTrue(run.dom().contains("data-ready=\"true\""), "the script did not finish");
    return run;
  }

  private static String sources(String dom) {
    Matcher m = SOURCES.matcher(dom);
    assertTrue(m.find(), "no cell selected");
    return m.group(1);
  }

  private static int count(String dom, String s) {
    int n = 0;
    for (int i = dom.indexOf(s); i >= 0; i = dom.indexOf(s, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void thePageLoadsCleanlyAndShowsItsMatrices() throws Exception {
    HeadlessChromium.Run run =
        chromium.open(
            TracePage.html(TUTORIAL, "Tutorial 1"), "t1", "#step=2&cell=0:5", 1400, 1000, false);
    assertEquals(0, run.exitCode(), run.log());
    assertTrue(run.console().isEmpty(), "console messages:\n" + String.join("\n", run.console()));
    assertTrue(run.requests().isEmpty(), "the page made requests: " + run.requests());
    BufferedImage img = run.screenshot();
    assertNotNull(img, run.log());
    long orange = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        int r = (rgb >> 16) & 255;
        int g = (rgb >> 8) & 255;
        int b = rgb & 255;
        orange += r > 200 && g > 110 && g < 200 && b < 140 ? 1 : 0;
      }
    }
    assertTrue(orange > 2000, "the coloured matrix cells are missing: " + orange + " pixels");
    keep(run, "tutorial1-step2.png");
    keep(
        chromium.open(
            TracePage.html(SampleTraces.conv(), "Small conv net"),
            "conv",
            "#step=2&cell=0:21",
            1400,
            1200,
            false),
        "conv-step2.png");
  }

  private static void keep(HeadlessChromium.Run run, String name) throws Exception {
    String keep = System.getProperty("nerve.traceScreenshots");
    if (keep != null && !keep.isBlank() && run.shot() != null) {
      Files.createDirectories(Path.of(keep));
      Files.copy(
          run.shot(), Path.of(keep, name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  void everyStepRenders() throws Exception {
    String dom = dom(TUTORIAL, "all", "#all").dom();
    Walkthrough w = Walkthrough.of(TUTORIAL);
    assertEquals(w.steps().size(), count(dom, "<article class=\"step\""));
    for (Walkthrough.Step s : w.steps()) {
      assertTrue(dom.contains(s.title()), s.title());
    }
    // The last step of the last iteration, reached by its own link.
    String last = dom(TUTORIAL, "last", "#step=12&it=2").dom();
    assertTrue(last.contains("Step 11"));
    assertTrue(last.contains("iteration 5000 (epoch 5000, batch 1)"));
  }

  @Test
  void aLayerWithoutATailoredExplainerRendersEveryStep() throws Exception {
    Trace t = SampleTraces.residual();
    HeadlessChromium.Run run = dom(t, "residual", "#all");
    assertTrue(run.console().isEmpty(), "console messages:\n" + String.join("\n", run.console()));
    String dom = run.dom();
    Walkthrough w = Walkthrough.of(t);
    assertEquals(w.steps().size(), count(dom, "<article class=\"step\""));
    for (Walkthrough.Step s : w.steps()) {
      assertTrue(dom.contains(s.title()), s.title());
    }
  }

  @Test
  void aRecurrentLayerUnrolledThroughTimeRendersAndPointsBack() throws Exception {
    Trace t = SampleTraces.echo();
    Walkthrough w = Walkthrough.of(t);
    String all = dom(t, "echo", "#all").dom();
    assertEquals(w.steps().size(), count(all, "<article class=\"step\""));
    int step = -1;
    for (int i = 0; i < w.steps().size(); i++) {
      step = w.steps().get(i).title().equals("RNN, time step 1 of 4") ? i : step;
    }
    // h⁽¹⁾[0, 1] = tanh(x⁽¹⁾[0] · W_ih[1] + b_ih[1] + h⁽⁰⁾[0] · W_hh[1] + b_hh[1]): the row of
    // the step's input, the row of the previous state and row 1 of each weight.
    String cell = dom(t, "echo-cell", "#step=" + step + "&cell=0:1").dom();
    assertEquals("X#1:0 P0:1 T0.h#0:0 P1:2 T0.h#0:1 P1:3 P2:1 P3:1", sources(cell));
    assertTrue(cell.contains("tanh →"), "the arithmetic is shown");
    int back = -1;
    for (int i = 0; i < w.steps().size(); i++) {
      back = w.steps().get(i).title().startsWith("Back through time: the error at h⁽²⁾") ? i : back;
    }
    // E_h⁽²⁾[0, 0] = δ⁽³⁾[0] · column 0 of W_hh + the output's error at step 2.
    String err = dom(t, "echo-back", "#step=" + back + "&cell=0:0").dom();
    assertEquals("T0.dA#3:0 P1:0 T0.dA#3:1 P1:2 E0#2:0", sources(err));
    int dense = -1;
    for (int i = 0; i < w.steps().size(); i++) {
      dense =
          w.steps().get(i).title().equals("Linear transformation at the output layer") ? i : dense;
    }
    // The dense layer after the RNN works on the last axis: output[0, step 1] = the RNN's
    // output at example 0, step 1 (cells 2 and 3 of [16, 4, 2]) · wout + bout.
    String d = dom(t, "echo-dense", "#step=" + dense + "&cell=0:1").dom();
    assertEquals("O0:2 P4:0 O0:3 P4:1 P5:0", sources(d));
  }

  @Test
  void attentionWeightsRenderAsHeatMapsAndPointBack() throws Exception {
    Trace t = SampleTraces.transformer();
    Walkthrough w = Walkthrough.of(t);
    HeadlessChromium.Run all = dom(t, "transformer", "#all");
    assertTrue(all.console().isEmpty(), "console messages:\n" + String.join("\n", all.console()));
    assertEquals(w.steps().size(), count(all.dom(), "<article class=\"step\""));
    int weights = -1;
    int norm = -1;
    for (int i = w.steps().size() - 1; i >= 0; i--) {
      String title = w.steps().get(i).title();
      weights = title.equals("Attention weights, head by head") ? i : weights;
      norm = title.startsWith("Layer norm ₁") ? i : norm;
    }
    // Weight [0, 0, 1, 0] (example 0, head 0, query 1, key 0; cell 5 of [2, 2, 5, 5]) comes from
    // query row 1 and key row 0 of head 0 (columns 0-1 and 4-5 of [Q K V], 12 wide), and the
    // softmax row it belongs to.
    HeadlessChromium.Run cell = dom(t, "attention-cell", "#step=" + weights + "&cell=0:5");
    assertTrue(cell.console().isEmpty(), String.join("\n", cell.console()));
    assertEquals(
        "T2.qkv:12 T2.qkv:4 T2.qkv:13 T2.qkv:5 T2.weights:5 T2.weights:6 T2.weights:7"
            + " T2.weights:8 T2.weights:9",
        sources(cell.dom()));
    assertTrue(cell.dom().contains("softmax over row 1 (the 2 keys it may see"), "the softmax row");
    HeadlessChromium.Run ln = dom(t, "layernorm-cell", "#step=" + norm + "&cell=0:1");
    assertTrue(ln.dom().contains("mean"), "the layer norm's arithmetic");
    assertTrue(sources(ln.dom()).startsWith("O1:0 O1:1 O1:2 O1:3"), sources(ln.dom()));
  }

  @Test
  void aSpectrogramAndConvolutionOutputsAreDrawnAsPictures() throws Exception {
    Trace t = SampleTraces.conv1d();
    Walkthrough w = Walkthrough.of(t);
    assertEquals("sheet", w.matrices().get("X").display());
    assertEquals("sheet", w.matrices().get("O0").display());
    assertEquals("sheet", w.matrices().get("O1").display(), "the ReLU after it too");
    HeadlessChromium.Run all = dom(t, "conv1d", "#all");
    assertEquals(w.steps().size(), count(all.dom(), "<article class=\"step\""));
    assertTrue(all.dom().contains("3 rows × 8 columns"), "the input as one picture");
    assertTrue(all.dom().contains("4 rows × 6 columns"), "the convolution's output");
  }

  @Test
  void aCellHighlightsTheCellsItCameFrom() throws Exception {
    // hidden_layer_input[1, 2] = row 1 of X · column 2 of wh + bh[2]
    String step2 = dom(TUTORIAL, "cell2", "#step=2&cell=0:5").dom();
    assertEquals("X:4 P0:2 X:5 P0:5 X:6 P0:8 X:7 P0:11 P1:2", sources(step2));
    assertEquals(9, count(step2, "class=\"c hl\""));
    assertTrue(step2.contains("row 1 of X · column 2 of wh + bh[2]"), "the arithmetic is shown");
    // Error_at_hidden_layer[1, 1] = d_output[1] · wout[1] (wout transposed)
    assertEquals("E2:1 P2:1", sources(dom(TUTORIAL, "cell8", "#step=9&cell=0:4").dom()));
    // Δwout[0] = column 0 of hiddenlayer_activations · d_output
    assertEquals(
        "O1:0 E2:0 O1:3 E2:1 O1:6 E2:2",
        sources(dom(TUTORIAL, "cell10", "#step=11&cell=0:0").dom()));
    // wout (updated)[2] = wout[2] + lr · Δwout[2]
    assertEquals("P2:2 D2:2", sources(dom(TUTORIAL, "cell10b", "#step=11&cell=1:2").dom()));
    // d_hiddenlayer[2, 0] = Error_at_hidden_layer[2, 0] × slope_hidden_layer[2, 0]
    assertEquals("E1:6 S1:6", sources(dom(TUTORIAL, "cell9", "#step=10&cell=0:6").dom()));
  }

  @Test
  void aFeatureMapPixelHighlightsItsReceptiveField() throws Exception {
    Trace conv = SampleTraces.conv();
    // Pixel (0, 0) of channel 0 with padding 1: the kernel's lower-right 2×2 meets the image.
    String dom = dom(conv, "conv", "#step=2&cell=0:0").dom();
    assertEquals("X:0 P0:4 X:1 P0:5 X:8 P0:7 X:9 P0:8 P1:0", sources(dom));
    // Max pooling: output (0, 1) of channel 1 reads the window rows 0-1, columns 2-3.
    String pool = dom(conv, "pool", "#step=4&cell=0:17").dom();
    assertEquals("O1:66 O1:67 O1:74 O1:75", sources(pool));
    assertTrue(dom(conv, "convall", "#all").dom().contains("Error carried back through MaxPool2d"));
  }

  @Test
  void aFewThousandWeightsStayResponsive() throws Exception {
    Trace t = SampleTraces.fewThousandWeights();
    String html = TracePage.html(t, "4,810 weights");
    // Eight iterations of about 31,000 values each (batch, activations, five views of the
    // parameters) at about 12 characters a value.
    assertTrue(html.length() < 4_000_000, "page size " + html.length());
    long t0 = System.nanoTime();
    String dom = dom(t, "big", "#all&it=7").dom();
    double seconds = (System.nanoTime() - t0) / 1e9;
    // Every step drawn at once, yet each matrix summarised: the DOM stays small.
    int cells = count(dom, "<td");
    assertTrue(cells < 12_000, cells + " cells drawn");
    assertTrue(dom.contains("show all"));
    System.out.printf(
        "4,810-weight page: %d bytes, %d cells, all steps in %.1f s%n",
        html.length(), cells, seconds);
  }
}
