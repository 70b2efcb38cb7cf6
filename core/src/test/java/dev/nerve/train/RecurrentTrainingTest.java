package dev.nerve.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.Dataset;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Embedding;
import dev.nerve.nn.GRU;
import dev.nerve.nn.LSTM;
import dev.nerve.nn.Parameter;
import dev.nerve.nn.Recurrent;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Sgd;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import dev.nerve.text.TextDatasets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recurrent networks trained end to end: masks, truncated BPTT, sequence metrics. */
class RecurrentTrainingTest {
  static Sequential classifier(int steps) {
    return new Sequential(
            Shape.of(steps),
            new Embedding(7, 4, 0),
            new LSTM(4, new Recurrent.Common(5, true, true, true, false)),
            new GRU(10, 3),
            new Dense(3, 2))
        .initialize(5);
  }

  @Test
  void trainingOnPaddedBatchesEqualsEachSequenceAloneWithoutPadding() {
    int[][] seqs = {{1, 2, 3}, {4, 5}, {6, 1, 2, 3, 4}, {2}};
    int[] labels = {0, 1, 1, 0};
    Dataset padded = TextDatasets.padded(seqs, 5, labels, 2);
    Sequential a = classifier(5);
    SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    Trainer.builder(a, loss, new Sgd(a.parameters(), 0.5f))
        .epochs(3)
        .batchSize(4)
        .noShuffle()
        .build()
        .fit(padded);
    // The same three steps by hand: each sequence alone, at its own length, no padding.
    Sequential b = classifier(5);
    for (int step = 0; step < 3; step++) {
      float[][] sum = new float[b.parameters().size()][];
      for (int i = 0; i < seqs.length; i++) {
        Tensor x = Tensor.zeros(1, seqs[i].length);
        for (int k = 0; k < seqs[i].length; k++) {
          x.data()[k] = seqs[i][k];
        }
        Tensor y = Dataset.oneHot(new int[] {labels[i]}, 2);
        for (Parameter p : b.parameters()) {
          p.zeroGradInPlace();
        }
        Tensor out = b.forward(x, true);
        b.backward(loss.gradient(out, y), false);
        for (int k = 0; k < sum.length; k++) {
          float[] g = b.parameters().get(k).grad().data();
          if (sum[k] == null) {
            sum[k] = new float[g.length];
          }
          for (int j = 0; j < g.length; j++) {
            sum[k][j] += g[j] / seqs.length;
          }
        }
      }
      for (int k = 0; k < sum.length; k++) {
        float[] w = b.parameters().get(k).value().data();
        for (int j = 0; j < w.length; j++) {
          w[j] -= 0.5f * sum[k][j];
        }
      }
    }
    for (int k = 0; k < a.parameters().size(); k++) {
      float[] wa = a.parameters().get(k).value().data();
      float[] wb = b.parameters().get(k).value().data();
      for (int j = 0; j < wa.length; j++) {
        assertEquals(wb[j], wa[j], 1e-5, a.parameters().get(k) + "[" + j + "]");
      }
    }
  }

  private static int[] text(int n, long seed) {
    // A repeating pattern with noise: learnable, and long enough for several windows.
    Rng r = new Rng(seed);
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = r.nextInt(10) == 0 ? 2 + r.nextInt(6) : 2 + (i % 6);
    }
    return ids;
  }

  @Test
  void truncatedBackpropagationThroughTimeCarriesTheStateAndLearns() {
    int[] ids = text(2001, 1);
    Dataset streams = TextDatasets.streams(ids, 10, 4, 8);
    Sequential net =
        new Sequential(
                Shape.of(10),
                new Embedding(8, 6),
                new GRU(6, new Recurrent.Common(16, true, false, true, true)),
                new Dense(16, 8))
            .initialize(3);
    SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    History h =
        Trainer.builder(net, loss, new dev.nerve.optim.Adam(net.parameters(), 0.02f))
            .epochs(4)
            .batchSize(4)
            .noShuffle()
            .build()
            .fit(streams);
    Evaluation e = Evaluation.of(net, loss, TextDatasets.languageModel(text(400, 2), 10, 10, 8));
    assertTrue(e.accuracy() > 0.8, "accuracy per token " + e.accuracy());
    assertTrue(h.epochLosses()[3] < h.epochLosses()[0]);
    assertEquals(Math.exp(e.loss()), e.perplexity(), 1e-12);
    assertEquals(e.loss() / Math.log(2), e.bitsPerToken(), 1e-12);
    assertTrue(e.sequenceAccuracy() >= 0 && e.sequenceAccuracy() <= e.accuracy());
  }

  @Test
  void aStatefulModelIsEvaluatedChunkByChunkFromAZeroState() {
    Sequential net =
        new Sequential(
                Shape.of(5),
                new Embedding(8, 3),
                new GRU(3, new Recurrent.Common(4, true, false, true, true)),
                new Dense(4, 8))
            .initialize(4);
    Dataset windows = TextDatasets.languageModel(text(6000, 5), 5, 5, 8); // 1199 windows
    SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    Evaluation stateful = Evaluation.of(net, loss, windows);
    assertEquals(stateful.loss(), Evaluation.of(net, loss, windows).loss()); // nothing carried over
    ((Recurrent) net.layer(1)).setStateful(false);
    Evaluation plain = Evaluation.of(net, loss, windows);
    assertEquals(plain.loss(), stateful.loss(), 1e-12);
    assertEquals(null, ((Recurrent) net.layer(1)).state()); // turning statefulness off forgets it
  }

  @Test
  void sequenceAccuracyCountsWholeSequencesAndSkipsPadding() {
    // Predictions [2 examples, 3 steps, 2 classes] right everywhere but example 1, step 2,
    // which is padding in the second case.
    Sequential id = new Sequential(Shape.of(3, 2), new dev.nerve.nn.Identity());
    id.initialize(1);
    Tensor x = Tensor.wrap(new float[] {1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0}, 2, 3, 2);
    Tensor y = Tensor.wrap(new float[] {1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1}, 2, 3, 2);
    Evaluation all = Evaluation.of(id, new SoftmaxCrossEntropy(), new Dataset(x, y));
    assertEquals(5.0 / 6, all.accuracy(), 1e-12);
    assertEquals(0.5, all.sequenceAccuracy(), 1e-12);
    Dataset masked = new Dataset(x, y).withMask(Tensor.wrap(new float[] {1, 1, 1, 1, 1, 0}, 2, 3));
    Evaluation m = Evaluation.of(id, new SoftmaxCrossEntropy(), masked);
    assertEquals(1.0, m.accuracy(), 1e-12);
    assertEquals(1.0, m.sequenceAccuracy(), 1e-12);
    Sequential flat = new Sequential(Shape.of(2), new dev.nerve.nn.Identity());
    flat.initialize(1);
    Evaluation rows =
        Evaluation.of(
            flat, new SoftmaxCrossEntropy(), new Dataset(x.reshape(6, 2), y.reshape(6, 2)));
    assertTrue(Double.isNaN(rows.sequenceAccuracy())); // one position per example: no sequences
  }

  @Test
  void lengthsReachTheNetworkThroughTheTrainer() {
    // With lengths, padding tokens (any id) change nothing: the same run on data whose padding
    // holds other ids ends with the same weights, bit for bit.
    int[][] seqs = {{1, 2}, {3, 4, 5}};
    Dataset a = TextDatasets.padded(seqs, 4, new int[] {0, 1}, 2);
    Tensor other = Tensor.wrap(new float[] {1, 2, 6, 6, 3, 4, 5, 6}, 2, 4);
    Dataset b =
        new Dataset(other, Dataset.oneHot(new int[] {0, 1}, 2)).withLengths(new int[] {2, 3});
    List<Sequential> nets = List.of(classifier(4), classifier(4));
    List<Dataset> data = List.of(a, b);
    for (int i = 0; i < 2; i++) {
      Sequential n = nets.get(i);
      Trainer.builder(n, new SoftmaxCrossEntropy(), new Sgd(n.parameters(), 0.3f))
          .epochs(2)
          .batchSize(2)
          .noShuffle()
          .build()
          .fit(data.get(i));
    }
    for (int k = 0; k < nets.get(0).parameters().size(); k++) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(
          nets.get(0).parameters().get(k).value().data(),
          nets.get(1).parameters().get(k).value().data());
    }
  }
}
