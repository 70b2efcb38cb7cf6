package dev.nerve.io;

import dev.nerve.nn.AvgPool1d;
import dev.nerve.nn.Conv1d;
import dev.nerve.nn.Dense;
import dev.nerve.nn.GlobalAvgPool1d;
import dev.nerve.nn.GlobalMaxPool1d;
import dev.nerve.nn.Init;
import dev.nerve.nn.Layer;
import dev.nerve.nn.LayerNorm;
import dev.nerve.nn.MaxPool1d;
import dev.nerve.nn.MultiHeadAttention;
import dev.nerve.nn.Parameter;
import dev.nerve.nn.PositionalEncoding;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.TransformerEncoder;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How {@code fixtures/attention-v2.nerve} and its expected outputs were made, kept so the fixture
 * can be understood; never run by the build. The fixture must stay as this version wrote it, so
 * that later versions prove they still read every attention and 1-D layer and predict the same
 * bits: do not regenerate it.
 *
 * <p>Not a useful network, but one holding each layer type of the attention issue once, with
 * non-default settings: on {@code [6, 8]} inputs, learned positions, a causal encoder block (ReLU,
 * feed-forward 12), attention without biases, a layer norm, then the six steps read as the channels
 * of a Conv1d (groups 2, dilation 2), the 1-D pools and a global max over time.
 */
final class AttentionModelFixture {
  private AttentionModelFixture() {}

  static ModelFile model() {
    List<Layer> trunk =
        List.of(
            new PositionalEncoding(8, 10, true),
            new TransformerEncoder(
                8, new TransformerEncoder.Settings(2, 12, 0.1f, "relu", true, 1e-5f)),
            new MultiHeadAttention(8, 4, false, 0f, false),
            new LayerNorm(8),
            new Conv1d(6, 4, 3, 1, 2, 2, 2, true, Init.auto(), Init.zeros()),
            new MaxPool1d(3, 1, 1),
            new AvgPool1d(2));
    List<Layer> all = new ArrayList<>(trunk);
    // [4, 4] from the pools, read as [time, features].
    all.add(new GlobalMaxPool1d(true));
    all.add(new Dense(4, 3));
    Sequential net = new Sequential(Shape.of(6, 8), all);
    net.initialize(16);
    // Non-zero biases and norm weights, so the file's every value matters.
    Rng rng = new Rng(17);
    for (Parameter p : net.parameters()) {
      if (p.value().rank() == 1) {
        p.value().addScaledInPlace(Tensor.uniform(rng, -1f, 1f, p.value().shape().dims()), 0.2f);
      }
    }
    ModelSpec spec = ModelSpec.describe(net, "softmax_cross_entropy", "adam", 0.01f, 1, 8, 16);
    return new ModelFile(spec, net, Map.of("classes", List.of("a", "b", "c")));
  }

  /** The one new type the fixture lacks (a network has one global pool), for a fresh round trip. */
  static Sequential averaging() {
    return new Sequential(Shape.of(3, 5), new GlobalAvgPool1d(), new Dense(3, 2));
  }

  /** The network's outputs for three fixed inputs. */
  static Tensor outputs(ModelFile m) {
    return m.model().predict(Tensor.uniform(new Rng(18), -1f, 1f, 3, 6, 8));
  }

  public static void main(String[] args) throws Exception {
    ModelFile m = model();
    Path dir = Path.of("core/src/test/resources/fixtures");
    Files.write(dir.resolve("attention-v2.nerve"), m.toBytes("2026-12-01T00:00:00Z"));
    List<String> values = new ArrayList<>();
    for (float v : outputs(m).data()) {
      values.add(Float.toString(v));
    }
    Files.writeString(
        dir.resolve("attention-v2-outputs.json"), Json.write(Map.of("outputs", values)));
  }
}
