package dev.nerve.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.Dataset;
import dev.nerve.loss.HalfSquaredError;
import dev.nerve.loss.MeanSquaredError;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.Dense;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.Sigmoid;
import dev.nerve.optim.Sgd;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerTest {
  private static Sequential net(long seed) {
    return new Sequential(new Dense(3, 5), new Sigmoid(), new Dense(5, 1), new Sigmoid())
        .initialize(seed);
  }

  private static Dataset data() {
    Rng r = new Rng(11);
    Tensor x = Tensor.uniform(r, -1f, 1f, 10, 3);
    Tensor y = Tensor.zeros(10, 1);
    for (int i = 0; i < 10; i++) {
      y.data()[i] = x.get(i, 0) + x.get(i, 1) > 0 ? 1f : 0f;
    }
    return new Dataset(x, y);
  }

  private static float[] weights(Sequential n) {
    return n.parameters().get(0).value().data().clone();
  }

  @Test
  void oneFullBatchStepIsTheGradientStepByHand() {
    Sequential a = net(1);
    Sequential b = net(1);
    Dataset d = data();
    Trainer.builder(a, new HalfSquaredError(), new Sgd(a.parameters(), 0.5f))
        .epochs(1)
        .batchSize(Trainer.FULL_BATCH)
        .build()
        .fit(d);
    // By hand: forward, loss gradient, backward, w -= lr * grad.
    Tensor out = b.forward(d.x(), true);
    b.backward(new HalfSquaredError().gradient(out, d.y()));
    b.parameters().forEach(p -> p.value().addScaledInPlace(p.grad(), -0.5f));
    assertArrayEquals(weights(b), weights(a));
  }

  @Test
  void batchSizesGiveTheRightNumberOfUpdates() {
    Dataset d = data();
    int[][] cases = {{Trainer.FULL_BATCH, 1}, {1, 10}, {4, 3}, {10, 1}};
    for (int[] c : cases) {
      Sequential n = net(2);
      List<Integer> sizes = new ArrayList<>();
      History h =
          Trainer.builder(n, new MeanSquaredError(), new Sgd(n.parameters(), 0.1f))
              .epochs(2)
              .batchSize(c[0])
              .listener(
                  new TrainingListener() {
                    @Override
                    public void onBatchEnd(BatchEnd e) {
                      sizes.add(e.batchSize());
                    }
                  })
              .build()
              .fit(d);
      assertEquals(2 * c[1], h.iterationCount(), "batch size " + c[0]);
      assertEquals(2, h.epochCount());
      assertEquals(20, sizes.stream().mapToInt(Integer::intValue).sum());
    }
  }

  @Test
  void shufflingIsSeeded() {
    Dataset d = data();
    float[][] w = new float[3][];
    long[] seeds = {5, 5, 6};
    for (int i = 0; i < 3; i++) {
      Sequential n = net(3);
      Trainer.builder(n, new MeanSquaredError(), new Sgd(n.parameters(), 0.1f))
          .epochs(3)
          .batchSize(2)
          .shuffle(seeds[i])
          .build()
          .fit(d);
      w[i] = weights(n);
    }
    assertArrayEquals(w[0], w[1], "same shuffle seed, same bits");
    assertNotEquals(java.util.Arrays.toString(w[0]), java.util.Arrays.toString(w[2]));
  }

  @Test
  void lossFallsAndListenersHearEveryEpoch() {
    Sequential n = net(4);
    List<Integer> epochs = new ArrayList<>();
    History h =
        Trainer.builder(n, new HalfSquaredError(), new Sgd(n.parameters(), 0.5f))
            .epochs(300)
            .batchSize(Trainer.FULL_BATCH)
            .listener(
                new TrainingListener() {
                  @Override
                  public void onEpochEnd(EpochEnd e) {
                    epochs.add(e.epoch());
                  }
                })
            .build()
            .fit(data());
    double[] l = h.epochLosses();
    assertEquals(300, epochs.size());
    assertEquals(300, epochs.get(299));
    assertTrue(l[299] < 0.5 * l[0], "loss fell from " + l[0] + " to " + l[299]);
    assertEquals(
        1.0, Evaluation.of(n, new HalfSquaredError(), data().x(), data().y()).accuracy(), 0.11);
  }

  @Test
  void divergenceStopsWithEpochAndBatch() {
    Sequential n = new Sequential(new Dense(3, 4), new ReLU(), new Dense(4, 1)).initialize(1);
    Tensor x = Tensor.full(100f, 8, 3);
    Tensor y = Tensor.full(1f, 8, 1);
    DivergenceException e =
        assertThrows(
            DivergenceException.class,
            () ->
                Trainer.builder(n, new MeanSquaredError(), new Sgd(n.parameters(), 10f))
                    .epochs(50)
                    .batchSize(4)
                    .build()
                    .fit(x, y));
    assertTrue(
        e.getMessage()
            .matches(
                "training diverged at epoch \\d+, batch [12]: .*layer [02] .* is (NaN|infinite)"
                    + ".* \\(try a smaller learning rate, gradient clipping, or normalised"
                    + " inputs\\)"),
        e.getMessage());
    assertTrue(e.epoch() >= 1 && e.batch() >= 1);
    assertTrue(e.layer() == 0 || e.layer() == 2, "a dense layer is named: " + e.layer());
    assertTrue(e.getMessage().contains("layer " + e.layer() + " Dense("), e.getMessage());
  }

  @Test
  void uninitialisedModelsAndEmptyDataAreRefused() {
    Sequential n = new Sequential(new Dense(3, 1));
    Trainer t = Trainer.builder(n, new MeanSquaredError(), new Sgd(n.parameters(), 0.1f)).build();
    assertThrows(IllegalStateException.class, () -> t.fit(data()));
    n.initialize(1);
    assertThrows(
        IllegalArgumentException.class, () -> t.fit(Tensor.zeros(0, 3), Tensor.zeros(0, 1)));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(n.parameters(), -1f));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(n.parameters(), Float.NaN));
  }

  @Test
  void accuracyForOneHotAndBinaryAndNaNForRegression() {
    Tensor p = Tensor.of(new float[][] {{0.1f, 0.9f}, {0.8f, 0.2f}, {0.3f, 0.7f}});
    Tensor y = Tensor.of(new float[][] {{0, 1}, {0, 1}, {0, 1}});
    assertEquals(2.0 / 3, Evaluation.accuracy(p, y), 1e-9);
    assertEquals(
        0.5,
        Evaluation.accuracy(
            Tensor.of(new float[][] {{0.7f}, {0.2f}}), Tensor.of(new float[][] {{0}, {0}})),
        1e-9);
    assertTrue(
        Double.isNaN(
            Evaluation.accuracy(
                Tensor.of(new float[][] {{0.7f}}), Tensor.of(new float[][] {{3.5f}}))));
  }

  @Test
  void softmaxClassifierLearnsThreeClasses() {
    Rng r = new Rng(21);
    int n = 150;
    Tensor x = Tensor.zeros(n, 2);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 3;
      double angle = 2 * Math.PI * labels[i] / 3;
      x.data()[2 * i] = (float) (Math.cos(angle) + 0.3 * r.nextGaussian());
      x.data()[2 * i + 1] = (float) (Math.sin(angle) + 0.3 * r.nextGaussian());
    }
    Tensor y = Dataset.oneHot(labels, 3);
    Sequential net = new Sequential(new Dense(2, 16), new ReLU(), new Dense(16, 3)).initialize(8);
    Trainer.builder(net, new SoftmaxCrossEntropy(), new Sgd(net.parameters(), 0.2f))
        .epochs(60)
        .batchSize(16)
        .shuffle(1)
        .build()
        .fit(x, y);
    Evaluation e = Evaluation.of(net, new SoftmaxCrossEntropy(), x, y);
    assertTrue(e.accuracy() > 0.9, "accuracy " + e.accuracy());
    assertEquals(150, e.examples());
  }

  @Test
  void epochLossOfASummedLossDoesNotDependOnTheBatchSize() {
    // With a learning rate too small to move the weights, every batch size must report the
    // same epoch loss: the tutorials' errors sum over examples, so the epoch sums its batches.
    double[] losses = new double[3];
    int[] sizes = {1, 4, Trainer.FULL_BATCH};
    for (int i = 0; i < 3; i++) {
      Sequential n = net(6);
      losses[i] =
          Trainer.builder(n, new HalfSquaredError(), new Sgd(n.parameters(), 1e-30f))
              .epochs(1)
              .batchSize(sizes[i])
              .build()
              .fit(data())
              .finalLoss();
    }
    assertEquals(losses[2], losses[0], 1e-9 * losses[2]);
    assertEquals(losses[2], losses[1], 1e-9 * losses[2]);
    assertEquals(
        new HalfSquaredError().value(net(6).predict(data().x()), data().y()), losses[2], 1e-6);
  }

  @Test
  void aLastUpdateThatOverflowsIsCaught() {
    Sequential n = new Sequential(new Dense(3, 1)).initialize(1);
    Tensor x = Tensor.full(1e3f, 4, 3);
    Tensor y = Tensor.full(-1e3f, 4, 1);
    assertThrows(
        DivergenceException.class,
        () ->
            Trainer.builder(n, new MeanSquaredError(), new Sgd(n.parameters(), 1e36f))
                .epochs(1)
                .batchSize(Trainer.FULL_BATCH)
                .build()
                .fit(x, y));
  }
}
