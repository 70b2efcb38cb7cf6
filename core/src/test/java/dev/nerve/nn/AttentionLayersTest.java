package dev.nerve.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import dev.nerve.tensor.kernel.Parallel;
import dev.nerve.testing.GradientCheck;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Multi-head attention, positional encodings, the encoder block, Conv1d and the 1-D pools: finite
 * differences with and without masks, what the masks promise, JSON, and the errors.
 */
class AttentionLayersTest {
  private static Tensor random(long seed, int... dims) {
    return Tensor.uniform(new Rng(seed), -1f, 1f, dims);
  }

  private static <L extends Layer> L init(L layer, long seed) {
    layer.initialize(new Rng(seed));
    for (Parameter p : layer.parameters()) {
      // Non-zero biases and norm weights, so that their gradients are exercised.
      if (p.name().contains("bias") || p.value().rank() == 1) {
        Tensor r = random(seed + p.name().hashCode(), p.value().shape().dims());
        p.value().addScaledInPlace(r, 0.3f);
      }
    }
    return layer;
  }

  @Test
  void attentionGradientsWithAndWithoutMasks() {
    Tensor x = random(1, 2, 4, 6);
    GradientCheck.checkLayer(init(new MultiHeadAttention(6, 2), 2), x, 3);
    GradientCheck.checkLayer(init(new MultiHeadAttention(6, 3, true, 0f, true), 4), x, 5);
    GradientCheck.checkLayer(init(new MultiHeadAttention(6, 2), 6), x, new int[] {4, 2}, 7);
    GradientCheck.checkLayer(
        init(new MultiHeadAttention(6, 1, true, 0f, false), 8), x, new int[] {1, 3}, 9);
  }

  @Test
  void paddingChangesNoRealPositionsOutput() {
    MultiHeadAttention mha = init(new MultiHeadAttention(8, 2), 11);
    Tensor alone = random(12, 1, 3, 8);
    Tensor padded = Tensor.zeros(1, 5, 8);
    System.arraycopy(alone.data(), 0, padded.data(), 0, alone.size());
    Tensor junk = random(13, 1, 2, 8);
    System.arraycopy(junk.data(), 0, padded.data(), alone.size(), junk.size());
    Tensor a = mha.forward(alone, false);
    Tensor b = mha.forward(padded, new int[] {3}, false);
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.data()[i], b.data()[i], 1e-6, "real position value " + i);
    }
  }

  @Test
  void causalPositionsDoNotSeeTheFuture() {
    MultiHeadAttention mha = init(new MultiHeadAttention(8, 4, true, 0f, true), 14);
    Tensor x = random(15, 1, 6, 8);
    Tensor y = mha.forward(x, false);
    Tensor changed = x.copy();
    for (int j = 4 * 8; j < 6 * 8; j++) {
      changed.data()[j] += 1f; // steps 4 and 5 only
    }
    Tensor z = mha.forward(changed, false);
    for (int i = 0; i < 4 * 8; i++) {
      assertEquals(y.data()[i], z.data()[i], 0f, "step " + i / 8 + " saw a later step");
    }
    assertNotEquals(y.data()[4 * 8], z.data()[4 * 8]);
    // Each row of weights sums to one and is zero after the diagonal.
    mha.forward(x, true);
    Tensor w = mha.insides().get("weights");
    assertArrayEquals(new int[] {1, 4, 6, 6}, w.shape().dims());
    for (int h = 0; h < 4; h++) {
      for (int i = 0; i < 6; i++) {
        double s = 0;
        for (int j = 0; j < 6; j++) {
          float a = w.data()[((h * 6) + i) * 6 + j];
          s += a;
          if (j > i) {
            assertEquals(0f, a, "head " + h + " row " + i + " key " + j);
          }
        }
        assertEquals(1.0, s, 1e-6);
      }
    }
  }

  @Test
  void attentionDropoutIsDeterministicTrainsOnlyAndThreadIndependent() {
    Tensor x = random(16, 3, 5, 8);
    Tensor[] ys = new Tensor[2];
    Tensor[] gs = new Tensor[2];
    int before = Parallel.threads();
    try {
      for (int threads = 1; threads <= 2; threads++) {
        Parallel.setThreads(threads);
        MultiHeadAttention mha = init(new MultiHeadAttention(8, 2, false, 0.3f, true), 17);
        assertFalse(mha.trainsAsItPredicts());
        ys[threads - 1] = mha.forward(x, true).copy();
        gs[threads - 1] = mha.backward(random(18, 3, 5, 8)).copy();
        assertNotEquals(
            mha.forward(x, false).data()[0], ys[threads - 1].data()[0], "dropout while training");
      }
    } finally {
      Parallel.setThreads(before);
    }
    assertArrayEquals(ys[0].data(), ys[1].data(), "the same bits on 1 and 2 threads");
    assertArrayEquals(gs[0].data(), gs[1].data(), "the same gradient bits on 1 and 2 threads");
  }

  @Test
  void positionalEncodings() {
    PositionalEncoding pe = new PositionalEncoding(6, 10, false);
    Tensor y = pe.forward(Tensor.zeros(2, 4, 6), false);
    for (int p = 0; p < 4; p++) {
      for (int i = 0; i < 6; i += 2) {
        double angle = p / Math.pow(10000, (double) i / 6);
        assertEquals(Math.sin(angle), y.get(1, p, i), 1e-6);
        assertEquals(Math.cos(angle), y.get(1, p, i + 1), 1e-6);
      }
    }
    assertTrue(pe.parameters().isEmpty());
    GradientCheck.checkLayer(pe, random(19, 2, 3, 6), 20);
    GradientCheck.checkLayer(init(new PositionalEncoding(4, 5, true), 21), random(22, 2, 3, 4), 23);
    ShapeMismatchException e =
        assertThrows(ShapeMismatchException.class, () -> pe.forward(Tensor.zeros(1, 11, 6), false));
    assertTrue(
        e.getMessage().contains("a sequence of 11 steps is longer than max_length 10"),
        e.getMessage());
  }

  @Test
  void encoderBlockGradientsWithAndWithoutMasks() {
    Tensor x = random(24, 2, 4, 8);
    TransformerEncoder plain =
        init(
            new TransformerEncoder(
                8, new TransformerEncoder.Settings(2, 12, 0f, "gelu", false, 1e-5f)),
            25);
    GradientCheck.checkLayer(plain, x, 26);
    TransformerEncoder masked =
        init(
            new TransformerEncoder(
                8, new TransformerEncoder.Settings(4, 0, 0f, "relu", true, 1e-5f)),
            27);
    GradientCheck.checkLayer(masked, x, new int[] {3, 1}, 28);
    assertEquals(
        List.of(
            "0.0.weight",
            "0.0.bias",
            "0.1.in_proj_weight",
            "0.1.in_proj_bias",
            "0.1.out_proj.weight",
            "0.1.out_proj.bias",
            "1.0.weight",
            "1.0.bias",
            "1.1.weight",
            "1.1.bias",
            "1.4.weight",
            "1.4.bias"),
        plain.parameterNames());
  }

  @Test
  void conv1dAndPoolGradients() {
    GradientCheck.checkLayer(
        init(new Conv1d(4, 6, 3, 2, 1, 2, 2, true, Init.auto(), Init.zeros()), 29),
        random(30, 2, 4, 9),
        31);
    GradientCheck.checkLayer(init(new Conv1d(3, 2, 2), 32), random(33, 2, 3, 5), 34);
    GradientCheck.checkLayer(new AvgPool1d(3, 2, 1), random(35, 2, 3, 8), 36);
    GradientCheck.checkLayer(new MaxPool1d(2), random(37, 2, 3, 8), 38);
    GradientCheck.checkLayer(new GlobalAvgPool1d(), random(39, 2, 3, 5), 40);
    GradientCheck.checkLayer(new GlobalMaxPool1d(), random(41, 2, 3, 5), 42);
    GradientCheck.checkLayer(new GlobalAvgPool1d(true), random(43, 2, 5, 3), new int[] {2, 5}, 44);
    GradientCheck.checkLayer(new GlobalMaxPool1d(true), random(45, 2, 5, 3), new int[] {4, 1}, 46);
  }

  @Test
  void globalPoolsOverRealStepsOnly() {
    Tensor x = random(47, 1, 5, 2);
    Tensor alone = Tensor.wrap(java.util.Arrays.copyOf(x.data(), 6), 1, 3, 2);
    for (GlobalPool1d p : List.of(new GlobalAvgPool1d(true), new GlobalMaxPool1d(true))) {
      assertArrayEquals(
          p.forward(alone, false).data(), p.forward(x, new int[] {3}, false).data(), 0f, "" + p);
    }
    // Channels first: mean over the last axis.
    Tensor c = Tensor.wrap(new float[] {1, 2, 3, 10, 20, 30}, 1, 2, 3);
    assertArrayEquals(new float[] {2, 20}, new GlobalAvgPool1d().forward(c, false).data());
    assertArrayEquals(new float[] {3, 30}, new GlobalMaxPool1d().forward(c, false).data());
  }

  @Test
  void networkJsonRoundTripsEveryNewSetting() {
    List<Object> json =
        List.of(
            Map.of("type", "embedding", "num_embeddings", 20, "embedding_dim", 8),
            Map.of("type", "positional_encoding", "kind", "learned", "max_length", 16),
            Map.of("type", "transformer_encoder", "heads", 2, "feedforward", 32, "causal", true),
            Map.of("type", "attention", "heads", 4, "dropout", 0.1, "bias", false),
            Map.of("type", "layer_norm"),
            Map.of("type", "global_avg_pool1d", "channels_last", true),
            Map.of("type", "dense", "units", 3));
    List<LayerSettings> settings = json.stream().map(LayerTypes::fromJson).toList();
    LayerType.Sizes sizes = LayerTypes.walk(settings, Shape.of(12));
    assertEquals(Shape.of(3), sizes.output());
    long block = 2 * 8 + (4 * 8 * 8 + 4 * 8) + 2 * 8 + (8 * 32 + 32) + (32 * 8 + 8);
    long params = 20 * 8 + 16 * 8 + block + 4 * 8 * 8 + 2 * 8 + (8 * 3 + 3);
    assertEquals(params, sizes.parameters());
    Sequential net = new Sequential(Shape.of(12), LayerTypes.build(settings, Shape.of(12)));
    assertEquals(params, net.parameterCount());
    assertEquals(LayerTypes.toJson(settings), LayerTypes.toJson(LayerTypes.describe(net.layers())));

    List<Object> audio =
        List.of(
            Map.of("type", "conv1d", "out_channels", 8, "kernel_size", 5, "padding", 2),
            Map.of("type", "relu"),
            Map.of("type", "max_pool1d", "kernel_size", 2),
            Map.of(
                "type", "conv1d", "out_channels", 8, "kernel_size", 3, "groups", 8, "dilation", 2),
            Map.of("type", "avg_pool1d", "kernel_size", 3, "stride", 1, "padding", 1),
            Map.of("type", "global_max_pool1d"),
            Map.of("type", "dense", "units", 10));
    List<LayerSettings> as = audio.stream().map(LayerTypes::fromJson).toList();
    LayerType.Sizes az = LayerTypes.walk(as, Shape.of(4, 20));
    assertEquals(Shape.of(10), az.output());
    assertEquals((8 * 4 * 5 + 8) + (8 * 1 * 3 + 8) + (8 * 10 + 10), az.parameters());
    Sequential anet = new Sequential(Shape.of(4, 20), LayerTypes.build(as, Shape.of(4, 20)));
    assertEquals(LayerTypes.toJson(as), LayerTypes.toJson(LayerTypes.describe(anet.layers())));
  }

  @Test
  void badShapesAndSettingsAreNamed() {
    ShapeMismatchException heads =
        assertThrows(
            ShapeMismatchException.class,
            () ->
                LayerTypes.walk(
                    List.of(
                        LayerTypes.fromJson(Map.of("type", "multi_head_attention", "heads", 3))),
                    Shape.of(5, 8)));
    assertTrue(
        heads
            .getMessage()
            .contains("layer 0 multi_head_attention: 3 heads do not divide the width 8"),
        heads.getMessage());
    ShapeMismatchException longer =
        assertThrows(
            ShapeMismatchException.class,
            () ->
                LayerTypes.walk(
                    List.of(
                        LayerTypes.fromJson(
                            Map.of("type", "positional_encoding", "max_length", 4))),
                    Shape.of(6, 8)));
    assertTrue(
        longer.getMessage().contains("sequences of 6 steps are longer than max_length 4"),
        longer.getMessage());
    MultiHeadAttention mha = new MultiHeadAttention(8, 2);
    ShapeMismatchException rank =
        assertThrows(ShapeMismatchException.class, () -> mha.forward(Tensor.zeros(2, 8), false));
    assertTrue(
        rank.getMessage().contains("expected input [batch, time, 8], got [2, 8]"),
        rank.getMessage());
    ShapeMismatchException lens =
        assertThrows(
            ShapeMismatchException.class,
            () -> mha.forward(Tensor.zeros(2, 3, 8), new int[] {3}, false));
    assertTrue(
        lens.getMessage().contains("1 sequence lengths for a batch of 2"), lens.getMessage());
    ShapeMismatchException groups =
        assertThrows(
            ShapeMismatchException.class,
            () ->
                LayerTypes.walk(
                    List.of(
                        LayerTypes.fromJson(
                            Map.of(
                                "type",
                                "conv1d",
                                "out_channels",
                                6,
                                "kernel_size",
                                3,
                                "groups",
                                4))),
                    Shape.of(8, 10)));
    assertTrue(groups.getMessage().contains("groups 4 must divide"), groups.getMessage());
    ShapeMismatchException fit =
        assertThrows(
            ShapeMismatchException.class,
            () -> new Conv1d(2, 2, 5).forward(Tensor.zeros(1, 2, 3), false));
    assertTrue(fit.getMessage().contains("Conv1d(in=2, out=2, kernel=5)"), fit.getMessage());
    IllegalArgumentException act =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LayerTypes.fromJson(
                    Map.of("type", "transformer_encoder", "heads", 2, "activation", "tanh")));
    assertTrue(
        act.getMessage().contains("'activation' must be one of gelu, relu"), act.getMessage());
  }
}
