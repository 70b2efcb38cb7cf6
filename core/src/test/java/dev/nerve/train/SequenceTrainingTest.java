package dev.nerve.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.Batch;
import dev.nerve.data.Batcher;
import dev.nerve.data.Dataset;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Parameter;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.Tanh;
import dev.nerve.optim.Adam;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import dev.nerve.testing.GradientCheck;
import org.junit.jupiter.api.Test;

/**
 * Data with shapes end to end: padded sequences {@code [n, t, f]} with per-step targets and masks,
 * a network of dense layers applied at every step, trained, evaluated per token.
 */
class SequenceTrainingTest {
  static final int N = 24;
  static final int T = 6;
  static final int F = 3;
  static final int C = 2;

  /** Lengths 2 to 6; the class of a step is whether its first feature is positive. */
  static Dataset sequences(float padding) {
    Rng r = new Rng(31);
    Tensor x = Tensor.zeros(N, T, F);
    Tensor y = Tensor.zeros(N, T, C);
    Tensor mask = Tensor.zeros(N, T);
    for (int i = 0; i < N; i++) {
      int length = 2 + i % (T - 1);
      for (int t = 0; t < T; t++) {
        boolean real = t < length;
        mask.setInPlace(real ? 1 : 0, i, t);
        for (int f = 0; f < F; f++) {
          x.setInPlace(real ? r.nextFloat() * 2 - 1 : padding, i, t, f);
        }
        int c = real ? (x.get(i, t, 0) > 0 ? 1 : 0) : (padding > 0 ? 1 : 0);
        y.setInPlace(1, i, t, c);
      }
    }
    return new Dataset(x, y).withMask(mask);
  }

  static Sequential net() {
    return new Sequential(Shape.of(T, F), new Dense(F, 8), new Tanh(), new Dense(8, C))
        .initialize(5);
  }

  static float[] train(Dataset data, Sequential net, int epochs) {
    Trainer.builder(net, new SoftmaxCrossEntropy(), new Adam(net.parameters(), 0.05f))
        .epochs(epochs)
        .batchSize(8)
        .shuffle(2)
        .build()
        .fit(data);
    int n = 0;
    for (Parameter p : net.parameters()) {
      n += p.value().size();
    }
    float[] all = new float[n];
    int at = 0;
    for (Parameter p : net.parameters()) {
      System.arraycopy(p.value().data(), 0, all, at, p.value().size());
      at += p.value().size();
    }
    return all;
  }

  @Test
  void aDatasetCarriesItsShapesAndBatchesComeOutInThem() {
    Dataset d = sequences(0);
    assertEquals(Shape.of(T, F), d.inputShape());
    assertEquals(Shape.of(T, C), d.targetShape());
    assertEquals(N, d.size());
    Batcher b = new Batcher(d, 8, null);
    Batch batch = b.batch(1);
    assertEquals(Shape.of(8, T, F), batch.x().shape());
    assertEquals(Shape.of(8, T, C), batch.y().shape());
    assertEquals(Shape.of(8, T), batch.mask().shape());
    assertEquals(Shape.of(N, T, F), d.x().shape());
    Dataset sub = d.subset(new int[] {3, 1});
    assertEquals(d.mask().toTensor().get(3, 4), sub.mask().toTensor().get(0, 4));
    assertThrows(
        ShapeMismatchException.class,
        () ->
            new Dataset(Tensor.zeros(N, T, F), Tensor.zeros(N, T, C)).withMask(Tensor.zeros(N, 5)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Dataset(Tensor.zeros(2, 1), Tensor.zeros(2, 1)).withMask(Tensor.full(2f, 2, 1)));
  }

  @Test
  void denseTakesTheLastAxisOfAnyRankWithItsGradients() {
    Dense d = new Dense(3, 4);
    d.initialize(new Rng(1));
    d.bias().value().fillInPlace(0.1f);
    Tensor x = Tensor.uniform(new Rng(2), -1, 1, 2, 5, 3);
    Tensor y = d.forward(x, false);
    assertEquals(Shape.of(2, 5, 4), y.shape());
    Tensor rows = d.forward(x.reshape(10, 3), false);
    assertArrayEquals(rows.data(), y.data(), "the same as each position as a row");
    assertEquals(Shape.of(7, 4), d.outputShape(Shape.of(7, 3)));
    GradientCheck.checkLayer(d, x, 3);
  }

  @Test
  void paddedStepsChangeNoWeightAtAll() {
    // The same sequences with different garbage in the padding train to the same bits.
    float[] zeros = train(sequences(0f), net(), 3);
    float[] junk = train(sequences(7.5f), net(), 3);
    assertArrayEquals(zeros, junk);
  }

  @Test
  void itLearnsEveryStepAndIsEvaluatedPerToken() {
    Dataset d = sequences(0);
    Sequential net = net();
    Evaluation before = Evaluation.of(net, new SoftmaxCrossEntropy(), d);
    History h =
        Trainer.builder(net, new SoftmaxCrossEntropy(), new Adam(net.parameters(), 0.05f))
            .epochs(40)
            .batchSize(8)
            .build()
            .fit(d);
    Evaluation after = Evaluation.of(net, new SoftmaxCrossEntropy(), d);
    assertTrue(after.loss() < 0.5 * before.loss(), before.loss() + " → " + after.loss());
    assertTrue(after.accuracy() > 0.9, "per-token accuracy " + after.accuracy());
    // Tokens counted: the real steps only, 2+3+4+5+6 per five sequences.
    long real = 0;
    for (float v : d.mask().toTensor().data()) {
      real += (long) v;
    }
    assertEquals(real, after.confusion().total());
    double last = h.epochLosses()[h.epochCount() - 1];
    assertTrue(Math.abs(last - after.loss()) < 0.2, last + " vs " + after.loss());
  }

  @Test
  void edgeCasesOfShapesAndMasksAreHandledOrNamed() {
    // An empty dataset of sequences keeps its shapes.
    Dataset empty = new Dataset(Tensor.zeros(0, T, F), Tensor.zeros(0, T, C));
    assertEquals(Shape.of(T, F), empty.inputShape());
    assertEquals(0, empty.size());
    // Accuracy of per-step predictions, as a function too.
    Tensor y = Tensor.zeros(1, 2, 2);
    y.setInPlace(1, 0, 0, 1);
    y.setInPlace(1, 0, 1, 0);
    Tensor p = Tensor.zeros(1, 2, 2);
    p.setInPlace(0.9f, 0, 0, 1);
    p.setInPlace(0.8f, 0, 1, 1);
    assertEquals(0.5, Evaluation.accuracy(p, y), 0.0);
    // A mask that keeps nothing leaves nothing to learn from: said, not NaN.
    Dataset none =
        new Dataset(Tensor.zeros(4, T, F), Tensor.zeros(4, T, C)).withMask(Tensor.zeros(4, T));
    Sequential net = net();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Trainer.builder(net, new SoftmaxCrossEntropy(), new Adam(net.parameters(), 0.1f))
                    .batchSize(4)
                    .build()
                    .fit(none));
    assertTrue(e.getMessage().contains("the mask keeps no position"), e.getMessage());
  }

  @Test
  void aTraceOfMaskedSequencesChecksItsGradientsWithTheMask() {
    Sequential net = net();
    TraceRecorder rec = TraceRecorder.at(1);
    Trainer.builder(net, new SoftmaxCrossEntropy(), new Adam(net.parameters(), 0.05f))
        .epochs(1)
        .batchSize(8)
        .listener(rec)
        .build()
        .fit(sequences(3f));
    Trace.Iteration it = rec.trace().iterations().get(0);
    int checked = 0;
    for (Trace.ParameterTrace pt : it.parameters()) {
      for (int i = 0; i < pt.gradient().size(); i++) {
        float numeric = pt.numericGradient().data()[i];
        if (!Float.isNaN(numeric)) {
          assertEquals(numeric, pt.gradient().data()[i], 2e-3, pt.name() + "[" + i + "]");
          checked++;
        }
      }
    }
    assertEquals(3 * 8 + 8 + 8 * 2 + 2, checked, "every element of every parameter");
  }
}
