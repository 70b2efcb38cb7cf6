package dev.nerve.report.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.io.Json;
import dev.nerve.loss.MeanSquaredError;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.Sigmoid;
import dev.nerve.optim.Sgd;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Tensor;
import dev.nerve.train.Trace;
import dev.nerve.train.TraceRecorder;
import dev.nerve.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The walkthrough of tutorial 1 shows, under the tutorial's own names and step numbers, the same
 * numbers as the tutorial's numpy code run from the same weights ({@code
 * reference/tutorial1_trace_numpy.py} wrote {@code tutorial1_trace.json}); the page carries those
 * numbers exactly; the text form prints them.
 */
class WalkthroughTest {
  private static final Trace TUTORIAL = SampleTraces.tutorial1();

  @SuppressWarnings("unchecked")
  private static Map<String, Object> numpy() throws Exception {
    Path p = Path.of(WalkthroughTest.class.getResource("/reference/tutorial1_trace.json").toURI());
    return (Map<String, Object>) Json.parse(Files.readString(p), p.toString());
  }

  private static Walkthrough.MatrixInfo byName(Walkthrough w, String name) {
    return w.matrices().values().stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no matrix named " + name + " in " + w.matrices()));
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyStepShowsNumpysNumbers() throws Exception {
    Walkthrough w = Walkthrough.of(TUTORIAL);
    Map<String, Object> its = (Map<String, Object>) numpy().get("iterations");
    assertEquals(List.of("1", "2", "5000"), new ArrayList<>(its.keySet()));
    int compared = 0;
    for (Trace.Iteration it : TUTORIAL.iterations()) {
      Map<String, Object> ref = (Map<String, Object>) its.get(String.valueOf(it.iteration()));
      // float32 against float64: one iteration agrees to float rounding; 5000 to 1e-4.
      double tol = it.iteration() == 5000 ? 1e-4 : 2e-6;
      for (Map.Entry<String, Object> e : ref.entrySet()) {
        if (e.getKey().equals("loss")) {
          assertEquals(((Number) e.getValue()).doubleValue(), it.loss(), tol);
          continue;
        }
        Tensor t = w.value(it, byName(w, e.getKey()).id());
        assertNotNull(t, e.getKey());
        List<Object> expected = (List<Object>) e.getValue();
        assertEquals(expected.size(), t.size(), e.getKey());
        for (int i = 0; i < t.size(); i++) {
          double x = ((Number) expected.get(i)).doubleValue();
          assertEquals(
              x,
              t.data()[i],
              tol * Math.max(1, Math.abs(x)),
              "iteration " + it.iteration() + " " + e.getKey() + "[" + i + "]");
          compared++;
        }
      }
    }
    assertEquals(3 * 113, compared, "every matrix numpy recorded, every cell");
  }

  @Test
  void stepsAreTheTutorials() {
    Walkthrough w = Walkthrough.of(TUTORIAL);
    assertEquals(
        List.of("0", "1", "2", "3", "4", "4", "5", "6", "7", "8", "9", "10", "11"),
        w.steps().stream().map(Walkthrough.Step::number).toList());
    List<String> tutorial = w.steps().stream().map(Walkthrough.Step::tutorial).toList();
    assertEquals("hidden_layer_input = matrix_dot_product(X, wh) + bh", tutorial.get(2));
    assertEquals("hiddenlayer_activations = sigmoid(hidden_layer_input)", tutorial.get(3));
    assertEquals("E = y - output", tutorial.get(6));
    assertEquals(
        "slope_output_layer = derivatives_sigmoid(output)   slope_hidden_layer ="
            + " derivatives_sigmoid(hiddenlayer_activations)",
        tutorial.get(7));
    assertEquals("d_output = E * slope_output_layer", tutorial.get(8));
    assertEquals(
        "Error_at_hidden_layer = matrix_dot_product(d_output, wout.Transpose)", tutorial.get(9));
    assertEquals("d_hiddenlayer = Error_at_hidden_layer * slope_hidden_layer", tutorial.get(10));
    assertEquals(
        "wout += matrix_dot_product(hiddenlayer_activations.Transpose, d_output) * learning_rate"
            + "   wh += matrix_dot_product(X.Transpose, d_hiddenlayer) * learning_rate",
        tutorial.get(11));
    assertEquals(
        "bout += sum(d_output, axis=0) * learning_rate"
            + "   bh += sum(d_hiddenlayer, axis=0) * learning_rate",
        tutorial.get(12));
    assertEquals(List.of(2, 0), w.steps().get(11).checks());
    assertEquals(List.of(3, 1), w.steps().get(12).checks());
  }

  @Test
  void everyGradientOfTheTutorialPassesItsCheck() {
    for (Trace.Iteration it : TUTORIAL.iterations()) {
      for (Trace.ParameterTrace p : it.parameters()) {
        TraceText.Check c = TraceText.check(p);
        assertEquals(p.before().size(), c.checked(), p.name());
        assertEquals(0, c.failed(), "iteration " + it.iteration() + " " + c.describe());
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void thePageCarriesTheExactNumbersAndItsScriptsHash() throws Exception {
    String html = TracePage.html(TUTORIAL, "Tutorial 1");
    Matcher data =
        Pattern.compile(
                "<script type=\"application/json\" id=\"trace-data\">(.*?)</script>",
                Pattern.DOTALL)
            .matcher(html);
    assertTrue(data.find());
    Map<String, Object> d = (Map<String, Object>) Json.parse(data.group(1), "page");
    List<Object> its = (List<Object>) d.get("iterations");
    assertEquals(3, its.size());
    Walkthrough w = Walkthrough.of(TUTORIAL);
    for (int k = 0; k < 3; k++) {
      Map<String, Object> values =
          (Map<String, Object>) ((Map<String, Object>) its.get(k)).get("values");
      for (String id : List.of("X", "O0", "O1", "O3", "E3", "S1", "E0", "P0", "Q0", "D2")) {
        List<Object> v = (List<Object>) ((Map<String, Object>) values.get(id)).get("v");
        float[] expected = w.value(TUTORIAL.iterations().get(k), id).data();
        for (int i = 0; i < expected.length; i++) {
          assertEquals(expected[i], ((Number) v.get(i)).floatValue(), id + "[" + i + "]");
        }
      }
    }
    List<Object> at = (List<Object>) d.get("lossIterations");
    assertEquals(((List<Object>) d.get("losses")).size(), at.size());
    assertTrue(at.size() <= TracePage.CURVE_POINTS, "the curve is thinned: " + at.size());
    assertEquals(1, ((Number) at.get(0)).intValue());
    assertEquals(5000, ((Number) at.get(at.size() - 1)).intValue());
    // Check cells carry [index, finite difference, backpropagated gradient].
    Map<String, Object> first =
        (Map<String, Object>) ((Map<String, Object>) its.get(0)).get("values");
    List<Object> checks = (List<Object>) ((Map<String, Object>) first.get("N0")).get("sparse");
    assertEquals(12, checks.size());
    for (Object o : checks) {
      List<Object> c = (List<Object>) o;
      int i = ((Number) c.get(0)).intValue();
      Trace.ParameterTrace wh = TUTORIAL.iterations().get(0).parameters().get(0);
      assertEquals(wh.numericGradient().data()[i], ((Number) c.get(1)).floatValue());
      assertEquals(wh.gradient().data()[i], ((Number) c.get(2)).floatValue());
    }
    assertTrue(!first.containsKey("G0"), "gradients are rebuilt from D by the script");
    Matcher policy = Pattern.compile("script-src '(sha256-[^']+)'").matcher(html);
    assertTrue(policy.find());
    Matcher script = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(html);
    assertTrue(script.find());
    assertEquals(TracePage.sha256(script.group(1)), policy.group(1));
    assertEquals(html, TracePage.html(TUTORIAL, "Tutorial 1"), "the same trace, the same bytes");
    assertTrue(html.contains("<title>Tutorial 1</title>"));
    assertTrue(TracePage.html(TUTORIAL, "<b>&").contains("<title>&lt;b&gt;&amp;</title>"));
  }

  @Test
  void largeMatricesAreCutAndSaySo() {
    Sequential net = new Sequential(new Dense(300, 200), new Sigmoid(), new Dense(200, 2));
    net.initialize(1);
    Tensor x = Tensor.uniform(new Rng(1), 0, 1, 16, 300);
    Tensor y = Tensor.uniform(new Rng(2), 0, 1, 16, 2);
    TraceRecorder rec = TraceRecorder.at(1).gradientCheck(5);
    Trainer.builder(net, new MeanSquaredError(), new Sgd(net.parameters(), 0.1f))
        .epochs(1)
        .batchSize(16)
        .listener(rec)
        .build()
        .fit(x, y);
    String html = TracePage.html(rec.trace(), "big", 1000);
    assertTrue(html.contains("\"size\": 60000"), "the true size is kept");
    assertTrue(html.length() < 400_000, "a cut page stays small: " + html.length());
    String full = TracePage.html(rec.trace(), "big");
    assertTrue(full.length() > html.length());
    assertThrows(IllegalArgumentException.class, () -> TracePage.html(rec.trace(), "big", 0));
    TraceText.Check c = TraceText.check(rec.trace().iterations().get(0).parameters().get(0));
    assertEquals(5, c.checked());
    assertTrue(c.describe().contains("5 of 60000 elements checked"), c.describe());
  }

  @Test
  void theTextFormPrintsEveryStep() {
    String text = TraceText.render(TUTORIAL, 0);
    for (String s :
        List.of(
            "Step 0 · Read input and output",
            "Step 5 · Gradient of the error (E) at the output layer",
            "Step 11 · Update the biases at every layer",
            "d_hiddenlayer [3, 3]",
            "wh (updated) [4, 3]",
            "check ∂L/∂wh: 12 elements checked",
            "all agree ✓")) {
      assertTrue(text.contains(s), s + " missing from\n" + text);
    }
    // numpy's output after one step from the given weights: [[0.8272] [0.83491] [0.81966]]
    assertTrue(text.contains("[[    0.8272]\n     [   0.83491]\n     [   0.81966]]"), text);
    assertThrows(IllegalArgumentException.class, () -> TraceText.render(TUTORIAL, 3));
    assertEquals("1.2346e+05", TraceText.number(123456.0).replace("1.235e+05", "1.2346e+05"));
  }

  @Test
  void aConvolutionalNetworkGetsItsOwnSteps() {
    Walkthrough w = Walkthrough.of(SampleTraces.conv());
    List<String> titles = w.steps().stream().map(s -> s.number() + " " + s.title()).toList();
    assertTrue(titles.contains("2 Feature maps: convolution"), titles.toString());
    assertTrue(titles.contains("2 Max pooling"), titles.toString());
    assertTrue(titles.contains("8 Error carried back through MaxPool2d"), titles.toString());
    assertEquals("maps", w.matrices().get("O0").display());
    assertEquals("kernels", w.matrices().get("P0").display());
    assertEquals("conv1_maps", w.matrices().get("O0").name());
    Object kind = w.steps().get(2).parts().get(0).rule().get("kind");
    assertEquals("conv", kind);
    for (Walkthrough t : List.of(w, Walkthrough.of(TUTORIAL))) {
      List<String> names =
          t.matrices().values().stream().map(Walkthrough.MatrixInfo::name).toList();
      assertEquals(names.size(), new java.util.HashSet<>(names).size(), "one name each: " + names);
    }
  }

  @Test
  void aLayerWithoutATailoredExplainerShowsItsInputOutputErrorAndParameters() {
    Trace t = SampleTraces.residual();
    Walkthrough w = Walkthrough.of(t);
    List<String> titles = w.steps().stream().map(s -> s.number() + " " + s.title()).toList();
    assertTrue(titles.contains("2 Residual"), titles.toString());
    assertTrue(titles.contains("8 Error carried back through Residual"), titles.toString());
    Walkthrough.Step forward =
        w.steps().stream().filter(s -> s.title().equals("Residual")).findFirst().orElseThrow();
    assertEquals(List.of("O1"), forward.shows());
    assertEquals("O2", forward.parts().get(0).result());
    assertEquals("none", forward.parts().get(0).rule().get("kind"));
    // Its two inner parameters are parameters 2 and 3 of the network, under their own names.
    assertEquals("residual2_0.weight", w.matrices().get("P2").name());
    assertEquals("residual2_0.bias", w.matrices().get("P3").name());
    Trace.Iteration it = t.iterations().get(0);
    assertEquals(it.parameters().get(2).before(), w.value(it, "P2"));
    assertTrue(w.steps().get(w.steps().size() - 2).checks().contains(2), "its weight is checked");
    List<String> names = w.matrices().values().stream().map(Walkthrough.MatrixInfo::name).toList();
    assertEquals(names.size(), new java.util.HashSet<>(names).size(), "one name each: " + names);
  }

  @Test
  void anEmptyTraceIsRefused() {
    Trace t = new Trace(TUTORIAL.model(), TUTORIAL.lossName(), List.of(), new double[0]);
    assertThrows(IllegalArgumentException.class, () -> Walkthrough.of(t));
  }
}
