package dev.nerve.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.Dataset;
import dev.nerve.loss.MeanSquaredError;
import dev.nerve.nn.Identity;
import dev.nerve.nn.Sequential;
import dev.nerve.tensor.Tensor;
import dev.nerve.testing.Reference;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Classification and regression metrics against scikit-learn (fixture and script: {@code
 * reference/metrics_sklearn.py}).
 */
class MetricsTest {
  @Test
  void confusionMatrixMatchesScikitLearn() throws Exception {
    Map<?, ?> ref = Reference.json("metrics_sklearn.json");
    double[] truth = Reference.flat(ref.get("truth"));
    double[] pred = Reference.flat(ref.get("pred"));
    ConfusionMatrix cm = new ConfusionMatrix(4);
    for (int i = 0; i < truth.length; i++) {
      cm.add((int) truth[i], (int) pred[i]);
    }
    double[] want = Reference.flat(ref.get("confusion"));
    long[][] got = cm.counts();
    for (int t = 0; t < 4; t++) {
      for (int p = 0; p < 4; p++) {
        assertEquals((long) want[t * 4 + p], got[t][p], "count " + t + "," + p);
      }
    }
    double[] precision = Reference.flat(ref.get("precision"));
    double[] recall = Reference.flat(ref.get("recall"));
    double[] f1 = Reference.flat(ref.get("f1"));
    for (int c = 0; c < 4; c++) {
      assertEquals(precision[c], cm.precision(c), 1e-12, "precision " + c);
      assertEquals(recall[c], cm.recall(c), 1e-12, "recall " + c);
      assertEquals(f1[c], cm.f1(c), 1e-12, "f1 " + c);
    }
    assertEquals(0.0, cm.precision(3), "class 3 is never predicted");
    assertEquals(truth.length, cm.total());
  }

  @Test
  void evaluationOfOneHotTargetsBuildsTheConfusionMatrix() {
    // An identity network: the predictions are the inputs.
    Tensor p = Tensor.of(new float[][] {{0.9f, 0.1f, 0}, {0.2f, 0.7f, 0.1f}, {0.6f, 0.3f, 0.1f}});
    Tensor y = Tensor.of(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
    Sequential id = new Sequential(new Identity());
    id.markInitialized();
    Evaluation e = Evaluation.of(id, new MeanSquaredError(), new Dataset(p, y));
    assertEquals(2.0 / 3, e.accuracy(), 1e-12);
    assertArrayEquals(new long[] {1, 0, 0}, e.confusion().counts()[0]);
    assertArrayEquals(new long[] {1, 0, 0}, e.confusion().counts()[2]);
    assertEquals(0.5, e.confusion().precision(0), 1e-12);
  }

  @Test
  void regressionMetricsMatchScikitLearn() throws Exception {
    Map<?, ?> ref = Reference.json("metrics_sklearn.json");
    double[] y = Reference.flat(ref.get("y"));
    double[] yhat = Reference.flat(ref.get("yhat"));
    float[] yf = new float[y.length];
    float[] pf = new float[y.length];
    for (int i = 0; i < y.length; i++) {
      yf[i] = (float) y[i];
      pf[i] = (float) yhat[i];
    }
    Sequential id = new Sequential(new Identity());
    id.markInitialized();
    // More rows than one evaluation chunk would need to be exact: sums run in double.
    Evaluation e =
        Evaluation.of(
            id,
            new MeanSquaredError(),
            new Dataset(Tensor.wrap(pf, y.length / 2, 2), Tensor.wrap(yf, y.length / 2, 2)));
    assertNull(e.confusion(), "real-valued targets are not classes");
    assertTrue(Double.isNaN(e.accuracy()));
    assertEquals(((Number) ref.get("mse")).doubleValue(), e.regression().mse(), 1e-7);
    assertEquals(((Number) ref.get("mae")).doubleValue(), e.regression().mae(), 1e-7);
    assertEquals(((Number) ref.get("r2")).doubleValue(), e.regression().r2(), 1e-7);
  }

  @Test
  void formatShowsNamesCountsAndRatios() {
    ConfusionMatrix cm = new ConfusionMatrix(2);
    cm.add(0, 0);
    cm.add(0, 1);
    cm.add(1, 1);
    String text = cm.format(java.util.List.of("cat", "dog"));
    assertTrue(text.contains("true\\pred"), text);
    assertTrue(text.contains("   0.5000   1.0000   0.6667"), text);
  }
}
