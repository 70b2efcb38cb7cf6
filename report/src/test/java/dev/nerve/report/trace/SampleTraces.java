package dev.nerve.report.trace;

import dev.nerve.examples.Tutorial1;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.Conv2d;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Flatten;
import dev.nerve.nn.MaxPool2d;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Residual;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.Tanh;
import dev.nerve.optim.Adam;
import dev.nerve.optim.Sgd;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import dev.nerve.train.Trace;
import dev.nerve.train.TraceRecorder;
import dev.nerve.train.Trainer;

/** Traces for the walkthrough tests. */
final class SampleTraces {
  private SampleTraces() {}

  /** Tutorial 1 from its given weights, iterations 1, 2 and 5000 recorded. */
  static Trace tutorial1() {
    Sequential net = Tutorial1.givenWeights(Tutorial1.network());
    TraceRecorder rec = TraceRecorder.at(1, 2, 5000);
    Tutorial1.trainer(net).listener(rec).build().fit(Tutorial1.data());
    return rec.trace();
  }

  /** 64-64-10 with tanh (4,810 weights), batch 32, eight iterations recorded. */
  static Trace fewThousandWeights() {
    Sequential net = new Sequential(new Dense(64, 64), new Tanh(), new Dense(64, 10));
    net.initialize(2);
    Tensor x = Tensor.uniform(new Rng(5), 0, 1, 256, 64);
    Tensor y = Tensor.zeros(256, 10);
    for (int i = 0; i < 256; i++) {
      y.setInPlace(1, i, i % 10);
    }
    TraceRecorder rec = TraceRecorder.spread(80, 8);
    Trainer.builder(net, new SoftmaxCrossEntropy(), new Sgd(net.parameters(), 0.1f))
        .epochs(10)
        .batchSize(32)
        .listener(rec)
        .build()
        .fit(x, y);
    return rec.trace();
  }

  /** A small convolutional network on random 8×8 images, Adam, iterations 1, 2 and 10. */
  static Trace conv() {
    Sequential c =
        new Sequential(
            Shape.of(1, 8, 8),
            new Conv2d(1, 3, 3, 1, 1),
            new ReLU(),
            new MaxPool2d(2),
            new Flatten(),
            new Dense(48, 4));
    c.initialize(1);
    Tensor x = Tensor.uniform(new Rng(3), 0, 1, 6, 64);
    Tensor y = Tensor.zeros(6, 4);
    for (int i = 0; i < 6; i++) {
      y.setInPlace(1, i, i % 4);
    }
    TraceRecorder rec = TraceRecorder.at(1, 2, 10);
    Trainer.builder(c, new SoftmaxCrossEntropy(), new Adam(c.parameters(), 0.01f))
        .epochs(10)
        .batchSize(6)
        .listener(rec)
        .build()
        .fit(x, y);
    return rec.trace();
  }

  /** A residual block, which has no tailored explainer, between dense layers; SGD, 1 and 4. */
  static Trace residual() {
    Sequential net =
        new Sequential(
            Shape.of(3),
            new Dense(3, 4),
            new Tanh(),
            new Residual(new Dense(4, 4), new Tanh()),
            new Dense(4, 2));
    net.initialize(2);
    Tensor x = Tensor.uniform(new Rng(3), -1, 1, 5, 3);
    Tensor y = Tensor.zeros(5, 2);
    for (int i = 0; i < 5; i++) {
      y.setInPlace(1, i, i % 2);
    }
    TraceRecorder rec = TraceRecorder.at(1, 4);
    Trainer.builder(net, new SoftmaxCrossEntropy(), new Sgd(net.parameters(), 0.1f))
        .epochs(4)
        .batchSize(5)
        .listener(rec)
        .build()
        .fit(x, y);
    return rec.trace();
  }

  /** The echo example (a 2-unit RNN), iterations 1 and 3 recorded. */
  static Trace echo() {
    dev.nerve.io.ModelSpec spec = dev.nerve.examples.EchoBits.spec();
    Sequential net = spec.build().initialize(spec.seed());
    TraceRecorder rec = TraceRecorder.at(1, 3);
    Trainer.builder(net, new dev.nerve.loss.HalfSquaredError(), new Sgd(net.parameters(), 0.2f))
        .epochs(3)
        .batchSize(Trainer.FULL_BATCH)
        .listener(rec)
        .build()
        .fit(dev.nerve.examples.EchoBits.data());
    return rec.trace();
  }

  /** Token ids through an embedding, an LSTM or GRU over every step and a dense layer. */
  static Trace recurrent(boolean lstm) {
    dev.nerve.nn.Recurrent.Common common =
        new dev.nerve.nn.Recurrent.Common(3, true, false, true, false);
    Sequential net =
        new Sequential(
            Shape.of(5),
            new dev.nerve.nn.Embedding(6, 2),
            lstm ? new dev.nerve.nn.LSTM(2, common) : new dev.nerve.nn.GRU(2, common),
            new Dense(3, 6));
    net.initialize(3);
    Tensor x = Tensor.zeros(3, 5);
    Tensor y = Tensor.zeros(3, 5, 6);
    Rng r = new Rng(4);
    for (int i = 0; i < 15; i++) {
      x.data()[i] = r.nextInt(6);
      y.data()[i * 6 + r.nextInt(6)] = 1f;
    }
    return firstIteration(net, x, y, 3);
  }

  /**
   * A tiny causal transformer language model: token ids, an embedding, sinusoidal positions, an
   * encoder block (2 heads, dropout), a bare attention layer, a layer norm and a dense layer to the
   * next token's logits; one iteration recorded.
   */
  static Trace transformer() {
    Sequential net =
        new Sequential(
            Shape.of(5),
            new dev.nerve.nn.Embedding(7, 4),
            new dev.nerve.nn.PositionalEncoding(4, 5, false),
            new dev.nerve.nn.TransformerEncoder(
                4, new dev.nerve.nn.TransformerEncoder.Settings(2, 6, 0.2f, "gelu", true, 1e-5f)),
            new dev.nerve.nn.MultiHeadAttention(4, 2, true, 0f, true),
            new dev.nerve.nn.LayerNorm(4),
            new Dense(4, 7));
    net.initialize(5);
    Tensor x = Tensor.zeros(2, 5);
    Tensor y = Tensor.zeros(2, 5, 7);
    Rng r = new Rng(6);
    for (int i = 0; i < 10; i++) {
      x.data()[i] = r.nextInt(7);
      y.data()[i * 7 + r.nextInt(7)] = 1f;
    }
    return firstIteration(net, x, y, 2);
  }

  /**
   * A tiny spectrogram classifier: inputs [3 bands, 8 frames], a Conv1d, ReLU, max pooling over
   * time, the global average and a dense layer; one iteration recorded.
   */
  static Trace conv1d() {
    Sequential net =
        new Sequential(
            Shape.of(3, 8),
            new dev.nerve.nn.Conv1d(3, 4, 3),
            new dev.nerve.nn.ReLU(),
            new dev.nerve.nn.MaxPool1d(2),
            new dev.nerve.nn.GlobalAvgPool1d(),
            new Dense(4, 2));
    net.initialize(7);
    Tensor x = Tensor.uniform(new Rng(8), -1f, 1f, 2, 3, 8);
    Tensor y = Tensor.of(new float[][] {{1, 0}, {0, 1}});
    return firstIteration(net, x, y, 2);
  }

  /** One epoch of SGD (lr 0.1, softmax cross-entropy) with the first iteration recorded. */
  private static Trace firstIteration(Sequential net, Tensor x, Tensor y, int batch) {
    TraceRecorder rec = TraceRecorder.at(1);
    Trainer.builder(net, new SoftmaxCrossEntropy(), new Sgd(net.parameters(), 0.1f))
        .epochs(1)
        .batchSize(batch)
        .listener(rec)
        .build()
        .fit(new dev.nerve.data.Dataset(x, y));
    return rec.trace();
  }
}
