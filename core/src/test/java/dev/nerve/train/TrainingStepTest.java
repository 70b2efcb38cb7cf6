package dev.nerve.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.Batch;
import dev.nerve.loss.Loss;
import dev.nerve.loss.MeanSquaredError;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Parameter;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Sgd;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The step apart from the loop: one batch's loss sum, counts and gradients; slices of a batch whose
 * results combine into the batch's; a trainer fed by another source of gradients.
 */
class TrainingStepTest {
  private static Sequential net() {
    return new Sequential(Shape.of(5), new Dense(5, 7), new ReLU(), new Dense(7, 3)).initialize(3);
  }

  private static Batch batch(int n, long seed) {
    Rng r = new Rng(seed);
    Tensor x = Tensor.uniform(r, -1, 1, n, 5);
    Tensor y = Tensor.zeros(n, 3);
    for (int i = 0; i < n; i++) {
      y.setInPlace(1, i, r.nextInt(3));
    }
    return new Batch(x, y);
  }

  private static Batch rows(Batch b, int from, int to) {
    return new Batch(b.x().sliceRows(from, to), b.y().sliceRows(from, to));
  }

  private static List<float[]> gradients(Sequential net) {
    List<float[]> g = new ArrayList<>();
    for (Parameter p : net.parameters()) {
      g.add(p.grad().data().clone());
    }
    return g;
  }

  @Test
  void aStepReturnsTheLossSumTheCountsAndTheGradients() {
    Sequential net = net();
    Batch b = batch(10, 1);
    Loss loss = new SoftmaxCrossEntropy();
    StepResult r = new TrainingStep(net, loss).run(b);
    Tensor out = net.predict(b.x());
    assertEquals(loss.value(out, b.y()), r.loss(), 0.0);
    assertEquals(10, r.examples());
    assertEquals(10, r.positions());
    assertEquals(10, r.terms());
    assertEquals(Evaluation.accuracy(out, b.y()) * 10, r.correct(), 1e-9);
    assertEquals(net.parameters().size(), r.gradients().size());
    assertTrue(r.gradients().get(0).data() == net.parameters().get(0).grad().data(), "live views");
    // A second step replaces the gradients, it does not add to them.
    List<float[]> first = gradients(net);
    new TrainingStep(net, loss).run(b);
    for (int k = 0; k < first.size(); k++) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(first.get(k), gradients(net).get(k));
    }
  }

  @Test
  void slicesComputedWithTheBatchsCountCombineIntoTheBatchsGradient() {
    for (Loss loss : List.of(new SoftmaxCrossEntropy(), new MeanSquaredError())) {
      Sequential whole = net();
      Batch b = batch(12, 2);
      StepResult all = new TrainingStep(whole, loss).run(b);
      List<float[]> expected = gradients(whole);

      Sequential worker = net();
      TrainingStep step = new TrainingStep(worker, loss);
      List<StepResult> parts = new ArrayList<>();
      List<List<float[]>> copies = new ArrayList<>();
      int[] cuts = {0, 5, 9, 12};
      for (int s = 0; s < 3; s++) {
        StepResult r = step.run(rows(b, cuts[s], cuts[s + 1]), all.terms(), null, null);
        copies.add(gradients(worker)); // a worker would ship these
        parts.add(
            new StepResult(
                r.lossSum(),
                r.terms(),
                r.sums(),
                r.examples(),
                r.positions(),
                r.correct(),
                copies.get(s).stream().map(a -> Tensor.wrap(a, a.length)).toList()));
      }
      Sequential driver = net();
      StepResult combined = StepResult.combine(parts, driver.parameters());
      assertEquals(all.loss(), combined.loss(), 1e-12, loss.toString());
      assertEquals(all.terms(), combined.terms());
      assertEquals(all.correct(), combined.correct());
      assertEquals(12, combined.examples());
      List<float[]> got = gradients(driver);
      for (int k = 0; k < expected.size(); k++) {
        for (int i = 0; i < expected.get(k).length; i++) {
          float e = expected.get(k)[i];
          assertEquals(e, got.get(k)[i], 1e-6f + 1e-5f * Math.abs(e), loss + " parameter " + k);
        }
      }
    }
  }

  @Test
  void aDivergedBatchStopsBeforeBackpropagation() {
    Sequential net = net();
    Batch b = batch(4, 3);
    b.x().data()[0] = Float.NaN;
    StepResult r = new TrainingStep(net, new SoftmaxCrossEntropy()).run(b);
    assertFalse(r.finite());
    assertTrue(r.gradients().isEmpty());
    assertThrows(IllegalArgumentException.class, () -> StepResult.combine(List.of(), List.of()));
  }

  @Test
  void aTrainerFedByAnotherSourceOfGradientsTrainsTheSame() {
    Tensor x = Tensor.uniform(new Rng(4), -1, 1, 40, 5);
    Tensor y = Tensor.zeros(40, 3);
    for (int i = 0; i < 40; i++) {
      y.setInPlace(1, i, i % 3);
    }
    Sequential plain = net();
    Trainer.builder(plain, new SoftmaxCrossEntropy(), new Sgd(plain.parameters(), 0.1f))
        .epochs(5)
        .batchSize(10)
        .build()
        .fit(x, y);
    // Each batch in two slices, as two workers would compute them, combined in order.
    Sequential sliced = net();
    TrainingStep step = new TrainingStep(sliced, new SoftmaxCrossEntropy());
    GradientSource twoWorkers =
        batch -> {
          long terms = batch.size();
          int half = batch.size() / 2;
          StepResult a = step.run(rows(batch, 0, half), terms, null, null);
          List<Tensor> ga = a.gradients().stream().map(Tensor::copy).toList();
          StepResult b = step.run(rows(batch, half, batch.size()), terms, null, null);
          StepResult a2 =
              new StepResult(
                  a.lossSum(), a.terms(), a.sums(), a.examples(), a.positions(), a.correct(), ga);
          return StepResult.combine(List.of(a2, b), sliced.parameters());
        };
    History h =
        Trainer.builder(sliced, new SoftmaxCrossEntropy(), new Sgd(sliced.parameters(), 0.1f))
            .epochs(5)
            .batchSize(10)
            .gradientSource(twoWorkers)
            .build()
            .fit(x, y);
    assertEquals(20, h.iterationCount());
    for (int k = 0; k < plain.parameters().size(); k++) {
      float[] p = plain.parameters().get(k).value().data();
      float[] s = sliced.parameters().get(k).value().data();
      for (int i = 0; i < p.length; i++) {
        assertEquals(p[i], s[i], 1e-5f * Math.max(1, Math.abs(p[i])), "parameter " + k);
      }
    }
  }
}
