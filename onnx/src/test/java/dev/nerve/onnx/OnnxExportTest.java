package dev.nerve.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.Normalizer;
import dev.nerve.examples.FashionMnist;
import dev.nerve.examples.LeNet;
import dev.nerve.examples.SpokenDigitNets;
import dev.nerve.examples.Tutorial1;
import dev.nerve.io.ModelFile;
import dev.nerve.io.ModelSpec;
import dev.nerve.nn.AvgPool1d;
import dev.nerve.nn.AvgPool2d;
import dev.nerve.nn.BatchNorm;
import dev.nerve.nn.Conv1d;
import dev.nerve.nn.Conv2d;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Dropout;
import dev.nerve.nn.ELU;
import dev.nerve.nn.Flatten;
import dev.nerve.nn.GELU;
import dev.nerve.nn.GlobalAvgPool1d;
import dev.nerve.nn.GlobalAvgPool2d;
import dev.nerve.nn.GlobalMaxPool1d;
import dev.nerve.nn.Identity;
import dev.nerve.nn.Init;
import dev.nerve.nn.Layer;
import dev.nerve.nn.LayerNorm;
import dev.nerve.nn.LeakyReLU;
import dev.nerve.nn.MaxPool1d;
import dev.nerve.nn.MaxPool2d;
import dev.nerve.nn.Parameter;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Residual;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.SiLU;
import dev.nerve.nn.Sigmoid;
import dev.nerve.nn.Softmax;
import dev.nerve.nn.Softplus;
import dev.nerve.nn.Tanh;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every exported layer type and the built-in examples run in ONNX Runtime and give Nerve's outputs
 * within 1e-5.
 */
class OnnxExportTest {
  static ModelFile file(Sequential net, Normalizer n) {
    ModelSpec spec = ModelSpec.describe(net, "softmax_cross_entropy", "sgd", 0.1f, 1, 8, 3);
    return new ModelFile(spec, net, n, Map.of("classes", List.of("a", "b")));
  }

  /** Non-zero biases and batch-norm statistics, so every parameter's place is checked. */
  static Sequential randomised(Sequential net, long seed) {
    net.initialize(seed);
    Rng r = new Rng(seed + 1);
    for (Parameter p : net.parameters()) {
      if (p.value().rank() == 1) {
        p.value().addScaledInPlace(Tensor.uniform(r, -1f, 1f, p.value().shape().dims()), 0.3f);
      }
    }
    for (Layer l : net.layers()) {
      if (l instanceof BatchNorm b) {
        b.buffers().get(0).value().addScaledInPlace(Tensor.uniform(r, -1, 1, b.features()), 0.5f);
        b.buffers().get(1).value().addScaledInPlace(Tensor.uniform(r, 0, 1, b.features()), 1f);
      }
    }
    return net;
  }

  static void sameAsOrt(ModelFile f, Tensor raw) throws Exception {
    byte[] bytes = Onnx.write(OnnxExport.export(f));
    float[] want = Ort.run(bytes, raw);
    Tensor x = raw.copy();
    f.normalizer().applyInPlace(x.data(), x.shape().dim(0), x.size() / x.shape().dim(0));
    float[] got = f.model().predict(x).data();
    assertEquals(want.length, got.length, "output size");
    for (int i = 0; i < got.length; i++) {
      assertEquals(want[i], got[i], 1e-5 + 1e-5 * Math.abs(want[i]), f.model() + " output " + i);
    }
  }

  private static Tensor input(long seed, int... dims) {
    return Tensor.uniform(new Rng(seed), -2f, 2f, dims);
  }

  @Test
  void everyActivationAndDenseLayer() throws Exception {
    Sequential net =
        randomised(
            new Sequential(
                Shape.of(6),
                new Dense(6, 8),
                new ReLU(),
                new Dense(8, 8),
                new Sigmoid(),
                new Dense(8, 8),
                new Tanh(),
                new Dense(8, 8),
                new LeakyReLU(0.1f),
                new Dense(8, 8),
                new ELU(0.7f),
                new Dense(8, 8),
                new Softplus(),
                new Dense(8, 8),
                new SiLU(),
                new Dense(8, 8),
                new GELU(),
                new Dropout(0.5f),
                new Identity(),
                new Dense(8, 3, false),
                new Softmax()),
            1);
    sameAsOrt(file(net, Normalizer.none()), input(2, 5, 6));
  }

  @Test
  void convolutionsPoolsBatchNormAndResidual() throws Exception {
    Sequential net =
        randomised(
            new Sequential(
                Shape.of(2, 9, 9),
                new Conv2d(2, 4, 3, 1, 1, 1, true, Init.auto(), Init.zeros()),
                new BatchNorm(4),
                new ReLU(),
                new MaxPool2d(3, 2, 1),
                new Residual(new Conv2d(4, 4, 3, 1, 1), new Tanh()),
                new AvgPool2d(2, 1, 1),
                new Conv2d(4, 3, 2, 2, 0, 2, false, Init.auto(), Init.zeros()),
                new GlobalAvgPool2d(),
                new Dense(3, 5),
                new BatchNorm(5)),
            4);
    sameAsOrt(file(net, Normalizer.none()), input(5, 3, 2, 9, 9));
    Sequential flat =
        randomised(
            new Sequential(
                Shape.of(1, 6, 6),
                new Conv2d(1, 2, 3),
                new ReLU(),
                new Flatten(),
                new Dense(32, 2)),
            6);
    sameAsOrt(file(flat, Normalizer.none()), input(7, 2, 1, 6, 6));
  }

  @Test
  void oneDimensionalLayersAndLayerNorm() throws Exception {
    Sequential net =
        randomised(
            new Sequential(
                Shape.of(4, 12),
                new Conv1d(4, 6, 3, 1, 2, 2, 2, true, Init.auto(), Init.zeros()),
                new ReLU(),
                new MaxPool1d(3, 2, 1),
                new AvgPool1d(2, 1, 1),
                new LayerNorm(7),
                new GlobalMaxPool1d()),
            8);
    sameAsOrt(file(net, Normalizer.none()), input(9, 3, 4, 12));
    Sequential last =
        randomised(new Sequential(Shape.of(5, 3), new Dense(3, 4), new GlobalAvgPool1d(true)), 10);
    sameAsOrt(file(last, Normalizer.none()), input(11, 2, 5, 3));
  }

  @Test
  void theBuiltInExamplesWithTheirNormalisation() throws Exception {
    // Tutorial 1 (4-3-1 sigmoid) with its given weights.
    ModelSpec t1 = Tutorial1.spec();
    Sequential n1 = t1.build().initialize(t1.seed());
    sameAsOrt(new ModelFile(t1, n1, Map.of()), Tutorial1.data().x());
    // The Fashion-MNIST MLP and LeNet-5, scaled by 1/255 as trained: raw pixel values go in.
    Tensor pixels = Tensor.uniform(new Rng(12), 0f, 255f, 3, 784);
    ModelSpec mlp = FashionMnist.spec();
    sameAsOrt(
        new ModelFile(mlp, mlp.build().initialize(1), Normalizer.scale(1f / 255), Map.of()),
        pixels);
    ModelSpec lenet = LeNet.spec();
    sameAsOrt(
        new ModelFile(lenet, lenet.build().initialize(2), Normalizer.scale(1f / 255), Map.of()),
        pixels.reshape(3, 1, 28, 28));
    // Iris-like rows standardised per column; and the spoken-digit Conv1d network.
    Sequential iris =
        randomised(new Sequential(Shape.of(4), new Dense(4, 8), new ReLU(), new Dense(8, 3)), 13);
    Normalizer std =
        Normalizer.of(
            Normalizer.Kind.STANDARDIZE,
            new float[] {5.8f, 3.0f, 3.7f, 1.2f},
            new float[] {1.2f, 2.3f, 0.57f, 1.3f});
    sameAsOrt(file(iris, std), Tensor.uniform(new Rng(14), 0f, 8f, 6, 4));
    ModelSpec digits = SpokenDigitNets.conv();
    sameAsOrt(new ModelFile(digits, digits.build().initialize(3), Map.of()), input(15, 2, 40, 101));
  }

  private static Tensor ids(long seed, int vocabulary, int... dims) {
    Tensor t = Tensor.zeros(dims);
    Rng r = new Rng(seed);
    for (int i = 0; i < t.size(); i++) {
      t.data()[i] = r.nextInt(vocabulary);
    }
    return t;
  }

  @Test
  void embeddingsAndRecurrentLayersEveryKind() throws Exception {
    Sequential net =
        randomised(
            new Sequential(
                Shape.of(7),
                new dev.nerve.nn.Embedding(11, 5, 0),
                new dev.nerve.nn.LSTM(
                    5, new dev.nerve.nn.Recurrent.Common(4, true, true, true, false)),
                new dev.nerve.nn.GRU(
                    8, new dev.nerve.nn.Recurrent.Common(6, true, false, true, false)),
                new dev.nerve.nn.RNN(
                    6, new dev.nerve.nn.Recurrent.Common(3, false, true, false, false), true),
                new Dense(6, 2)),
            16);
    sameAsOrt(file(net, Normalizer.none()), ids(17, 11, 4, 7));
    Sequential tanh =
        randomised(
            new Sequential(
                Shape.of(5),
                new dev.nerve.nn.Embedding(9, 3),
                new dev.nerve.nn.RNN(
                    3, new dev.nerve.nn.Recurrent.Common(4, true, false, true, false), false),
                new dev.nerve.nn.GRU(
                    4, new dev.nerve.nn.Recurrent.Common(2, false, true, true, false))),
            18);
    sameAsOrt(file(tanh, Normalizer.none()), ids(19, 9, 3, 5));
  }

  @Test
  void theTextExamplesNetworks() throws Exception {
    ModelSpec words = dev.nerve.examples.WordLanguages.spec(40, 12);
    sameAsOrt(new ModelFile(words, words.build().initialize(1), Map.of()), ids(20, 40, 3, 12));
    ModelSpec chars = dev.nerve.examples.Fortunes.spec(30);
    sameAsOrt(new ModelFile(chars, chars.build().initialize(2), Map.of()), ids(21, 30, 2, 64));
  }

  @Test
  void attentionPositionsAndTransformerBlocks() throws Exception {
    Sequential net =
        randomised(
            new Sequential(
                Shape.of(6, 8),
                new dev.nerve.nn.PositionalEncoding(8, 10, true),
                new dev.nerve.nn.MultiHeadAttention(8, 2, true, 0f, true),
                new dev.nerve.nn.TransformerEncoder(
                    8,
                    new dev.nerve.nn.TransformerEncoder.Settings(
                        4, 12, 0.1f, "gelu", false, 1e-5f)),
                new dev.nerve.nn.TransformerEncoder(
                    8, new dev.nerve.nn.TransformerEncoder.Settings(2, 0, 0f, "relu", true, 1e-5f)),
                new dev.nerve.nn.PositionalEncoding(8, 6, false),
                new dev.nerve.nn.MultiHeadAttention(8, 4, false, 0f, false),
                new LayerNorm(8, 1e-5f, false),
                new GlobalAvgPool1d(true),
                new Dense(8, 3)),
            22);
    sameAsOrt(file(net, Normalizer.none()), input(23, 3, 6, 8));
    // The text-transformer example's network and the spoken-digit transformer.
    ModelSpec gpt = dev.nerve.examples.TextTransformer.spec(20);
    sameAsOrt(new ModelFile(gpt, gpt.build().initialize(4), Map.of()), ids(24, 20, 2, 64));
    ModelSpec digits = SpokenDigitNets.transformer();
    sameAsOrt(new ModelFile(digits, digits.build().initialize(5), Map.of()), input(25, 2, 101, 40));
  }

  /** A layer of no registered type, as a user might write one. */
  private static final class Doubling extends dev.nerve.nn.Activation {
    @Override
    public float apply(float x) {
      return 2 * x;
    }

    @Override
    public float slope(float x, float y) {
      return 2;
    }

    @Override
    protected void forward(float[] x, float[] out, int n) {
      for (int i = 0; i < n; i++) {
        out[i] = 2 * x[i];
      }
    }

    @Override
    protected void backward(float[] x, float[] y, float[] dy, float[] dx, int n) {
      for (int i = 0; i < n; i++) {
        dx[i] = 2 * dy[i];
      }
    }

    @Override
    public String toString() {
      return "Doubling()";
    }
  }

  @Test
  void aLayerWithoutAnExportIsNamed() {
    // Every registered layer type exports; a layer class of a user's own cannot (its spec here
    // is a stand-in: no model file can describe such a layer).
    Sequential net = new Sequential(Shape.of(4), new Dense(4, 4), new Doubling()).initialize(1);
    ModelSpec standIn =
        ModelSpec.describe(
            new Sequential(Shape.of(4), new Dense(4, 4), new Identity()).initialize(1),
            "mse",
            "sgd",
            0.1f,
            1,
            8,
            1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OnnxExport.export(new ModelFile(standIn, net, Map.of())));
    assertTrue(e.getMessage().startsWith("layer 1 Doubling() has no ONNX export"), e.getMessage());
  }
}
