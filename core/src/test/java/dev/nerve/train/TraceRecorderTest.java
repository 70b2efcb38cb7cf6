package dev.nerve.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.examples.Tutorial1;
import dev.nerve.io.Weights;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.AvgPool2d;
import dev.nerve.nn.Conv2d;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Dropout;
import dev.nerve.nn.Flatten;
import dev.nerve.nn.MaxPool2d;
import dev.nerve.nn.Parameter;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.Tanh;
import dev.nerve.optim.Adam;
import dev.nerve.optim.Sgd;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The trace recorder sees the iterations it asks for and changes nothing: a traced run ends with
 * the same bits as an untraced one, the recorded matrices are what the layers computed, and the
 * finite-difference check agrees with backpropagation.
 */
class TraceRecorderTest {

  private static Sequential convNet() {
    return new Sequential(
        Shape.of(1, 8, 8),
        new Conv2d(1, 3, 3, 1, 1),
        new ReLU(),
        new MaxPool2d(2),
        new Flatten(),
        new Dense(48, 5),
        new Tanh(),
        new Dense(5, 4));
  }

  private static Tensor[] data(int n) {
    Rng r = new Rng(3);
    Tensor x = Tensor.uniform(r, 0, 1, n, 64);
    Tensor y = Tensor.zeros(n, 4);
    for (int i = 0; i < n; i++) {
      y.setInPlace(1, i, i % 4);
    }
    return new Tensor[] {x, y};
  }

  private static float[][] train(Sequential net, TraceRecorder recorder) {
    Tensor[] d = data(10);
    Trainer.Builder b =
        Trainer.builder(net, new SoftmaxCrossEntropy(), new Adam(net.parameters(), 0.01f))
            .epochs(3)
            .batchSize(4)
            .shuffle(7);
    if (recorder != null) {
      b.listener(recorder);
    }
    b.build().fit(d[0], d[1]);
    List<Parameter> ps = net.parameters();
    float[][] w = new float[ps.size()][];
    for (int i = 0; i < w.length; i++) {
      w[i] = ps.get(i).value().data().clone();
    }
    return w;
  }

  @Test
  void aTracedRunTrainsToTheSameBits() {
    float[][] plain = train(convNet().initialize(5), null);
    TraceRecorder rec = TraceRecorder.at(1, 4, 9);
    float[][] traced = train(convNet().initialize(5), rec);
    for (int i = 0; i < plain.length; i++) {
      assertArrayEquals(plain[i], traced[i], "parameter " + i);
    }
    Trace t = rec.trace();
    assertEquals(
        List.of(1L, 4L, 9L), t.iterations().stream().map(Trace.Iteration::iteration).toList());
    assertEquals(9, t.losses().length, "3 epochs of 3 batches");
    Trace.Iteration four = t.iterations().get(1);
    assertEquals(2, four.epoch());
    assertEquals(1, four.batch());
    assertEquals(four.loss(), t.losses()[3]);
  }

  @Test
  void recordedMatricesAreWhatTheLayersComputed() {
    Sequential net = convNet().initialize(5);
    TraceRecorder rec = TraceRecorder.at(1);
    Tensor[] d = data(4);
    Trainer.builder(net, new SoftmaxCrossEntropy(), new Sgd(net.parameters(), 0.1f))
        .epochs(1)
        .batchSize(4)
        .noShuffle()
        .listener(rec)
        .build()
        .fit(d[0], d[1]);
    Trace.Iteration it = rec.trace().iterations().get(0);
    assertTrue(it.plainGradientDescent());
    assertEquals(Shape.of(4, 1, 8, 8), it.inputs().shape());
    // Replay the forward pass layer by layer from the recorded parameters.
    Sequential again = convNet();
    List<Parameter> ps = again.parameters();
    for (int k = 0; k < ps.size(); k++) {
      ps.get(k).value().copyFromInPlace(it.parameters().get(k).before());
    }
    Tensor h = it.inputs();
    for (int i = 0; i < again.size(); i++) {
      h = again.layer(i).forward(h, false);
      assertArrayEquals(h.data(), it.outputs().get(i).data(), "layer " + i);
      assertEquals(h.shape(), it.layerInput(i + 1).shape());
    }
    // The loss gradient, the slope of the ReLU and tanh, and null before the first conv.
    Tensor g = new SoftmaxCrossEntropy().gradient(it.outputs().get(6), it.targets());
    assertArrayEquals(g.data(), it.outputGradients().get(6).data());
    assertNull(it.slopes().get(0));
    float[] z = it.outputs().get(0).data();
    float[] s = it.slopes().get(1).data();
    for (int i = 0; i < z.length; i++) {
      assertEquals(z[i] > 0 ? 1f : 0f, s[i]);
    }
    float[] a = it.outputs().get(5).data();
    float[] st = it.slopes().get(5).data();
    for (int i = 0; i < a.length; i++) {
      assertEquals(1 - a[i] * a[i], st[i], 1e-6);
    }
    // Plain SGD: after = before - lr * gradient, cell by cell.
    for (Trace.ParameterTrace p : it.parameters()) {
      for (int i = 0; i < p.before().size(); i++) {
        assertEquals(
            p.before().data()[i] - 0.1f * p.gradient().data()[i], p.after().data()[i], 1e-6);
      }
    }
  }

  /** Smooth everywhere: ReLU and max pooling have kinks where one-sided slopes differ. */
  private static Sequential smoothNet() {
    return new Sequential(
        Shape.of(1, 8, 8),
        new Conv2d(1, 3, 3, 1, 1),
        new Tanh(),
        new AvgPool2d(2),
        new Flatten(),
        new Dense(48, 5),
        new Tanh(),
        new Dense(5, 4));
  }

  @Test
  void finiteDifferencesAgreeWithBackpropagation() {
    Sequential net = smoothNet().initialize(5);
    TraceRecorder rec = TraceRecorder.at(2).gradientCheck(20);
    train(net, rec);
    for (Trace.ParameterTrace p : rec.trace().iterations().get(0).parameters()) {
      assertNotNull(p.numericGradient(), p.name());
      int checked = 0;
      for (int i = 0; i < p.gradient().size(); i++) {
        float n = p.numericGradient().data()[i];
        if (Float.isNaN(n)) {
          continue;
        }
        checked++;
        float g = p.gradient().data()[i];
        assertEquals(
            g, n, 2e-3 + 2e-2 * Math.abs(g), "layer " + p.layer() + " " + p.name() + " " + i);
      }
      assertEquals(Math.min(20, p.gradient().size()), checked);
    }
  }

  @Test
  void aWrongGradientIsCaught() {
    // A gradient check that cannot fail proves nothing: corrupt one gradient before the check.
    Sequential net = convNet().initialize(5);
    TraceRecorder rec = TraceRecorder.at(1).gradientCheck(200);
    TrainingListener corrupt =
        new TrainingListener() {
          @Override
          public boolean wantsStep(int epoch, int batch, long iteration) {
            return iteration == 1;
          }

          @Override
          public void onStep(Step step) {
            step.parameters().get(0).grad().data()[4] += 0.5f;
          }
        };
    Tensor[] d = data(4);
    Trainer.builder(net, new SoftmaxCrossEntropy(), new Sgd(net.parameters(), 0.1f))
        .epochs(1)
        .batchSize(4)
        .listener(corrupt)
        .listener(rec)
        .build()
        .fit(d[0], d[1]);
    Trace.ParameterTrace w = rec.trace().iterations().get(0).parameters().get(0);
    assertTrue(Math.abs(w.gradient().data()[4] - w.numericGradient().data()[4]) > 0.4);
  }

  @Test
  void clippedGradientsAreSaidToDifferFromTheLossGradient() {
    Sequential net = smoothNet().initialize(5);
    TraceRecorder rec = TraceRecorder.at(1).gradientCheck(4);
    Tensor[] d = data(4);
    Trainer.builder(net, new SoftmaxCrossEntropy(), new Sgd(net.parameters(), 0.1f))
        .epochs(1)
        .batchSize(4)
        .clipGradientValue(1e-4f)
        .listener(rec)
        .build()
        .fit(d[0], d[1]);
    for (Trace.ParameterTrace p : rec.trace().iterations().get(0).parameters()) {
      assertTrue(p.checkNote().contains("clipped"), p.checkNote());
    }
  }

  @Test
  void dropoutNetworksSayWhyTheyAreNotChecked() {
    Sequential net =
        new Sequential(new Dense(4, 6), new ReLU(), new Dropout(0.5f), new Dense(6, 4))
            .initialize(1);
    TraceRecorder rec = TraceRecorder.at(1);
    Tensor x = Tensor.uniform(new Rng(2), 0, 1, 4, 4);
    Tensor y = data(4)[1];
    Trainer.builder(net, new SoftmaxCrossEntropy(), new Sgd(net.parameters(), 0.1f))
        .epochs(1)
        .batchSize(4)
        .listener(rec)
        .build()
        .fit(x, y);
    for (Trace.ParameterTrace p : rec.trace().iterations().get(0).parameters()) {
      assertNull(p.numericGradient());
      assertTrue(p.checkNote().contains("Dropout"), p.checkNote());
    }
  }

  @Test
  void spreadIsLogarithmicAndKeepsBothEnds() {
    assertArrayEquals(
        new long[] {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000},
        TraceRecorder.spreadIterations(5000, 20));
    assertArrayEquals(new long[] {1, 10, 100, 500, 5000}, TraceRecorder.spreadIterations(5000, 5));
    assertArrayEquals(new long[] {1, 2, 3}, TraceRecorder.spreadIterations(3, 8));
    assertArrayEquals(new long[] {1}, TraceRecorder.spreadIterations(1, 8));
    assertThrows(IllegalArgumentException.class, () -> TraceRecorder.spreadIterations(0, 3));
    assertThrows(IllegalArgumentException.class, () -> TraceRecorder.at());
    assertThrows(IllegalArgumentException.class, () -> TraceRecorder.at(0));
  }

  @Test
  void aTraceThatSawNothingSaysSo() {
    Sequential net = Tutorial1.network().initialize(0);
    TraceRecorder rec = TraceRecorder.at(10);
    Tutorial1.trainer(net).epochs(3).listener(rec).build().fit(Tutorial1.data());
    IllegalStateException e = assertThrows(IllegalStateException.class, rec::trace);
    assertTrue(e.getMessage().contains("3 updates"), e.getMessage());
  }

  @Test
  void givenWeightsAreNumpysSeedZeroDraws() throws Exception {
    Sequential fromFile = Tutorial1.network();
    Weights.read(
        Path.of(TraceRecorderTest.class.getResource("/reference/tutorial1_initial.json").toURI()),
        fromFile);
    Sequential given = Tutorial1.givenWeights(Tutorial1.network());
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(
          fromFile.parameters().get(i).value().data(), given.parameters().get(i).value().data());
    }
    assertTrue(given.isInitialized());
    assertThrows(
        IllegalArgumentException.class,
        () -> Tutorial1.givenWeights(new Sequential(new Dense(4, 2), new Dense(2, 1))));
  }
}
