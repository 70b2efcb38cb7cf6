package dev.nerve.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.Dataset;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.AvgPool2d;
import dev.nerve.nn.BatchNorm;
import dev.nerve.nn.Conv2d;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Dropout;
import dev.nerve.nn.ELU;
import dev.nerve.nn.Flatten;
import dev.nerve.nn.GELU;
import dev.nerve.nn.GlobalAvgPool2d;
import dev.nerve.nn.Init;
import dev.nerve.nn.LayerTypes;
import dev.nerve.nn.LeakyReLU;
import dev.nerve.nn.MaxPool2d;
import dev.nerve.nn.Pool2d;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.SiLU;
import dev.nerve.nn.Softplus;
import dev.nerve.optim.Adam;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import dev.nerve.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Network descriptions with convolutional layers: shapes, sizes, round trips, mistakes. */
class ConvSpecTest {
  @TempDir Path dir;

  private static final String LENET =
      "{\"input_shape\": [1, 28, 28], \"layers\": [\n"
          + " {\"type\": \"conv2d\", \"out_channels\": 6, \"kernel_size\": 5, \"padding\": 2},\n"
          + " {\"type\": \"relu\"},\n"
          + " {\"type\": \"max_pool2d\", \"kernel_size\": 2},\n"
          + " {\"type\": \"conv2d\", \"out_channels\": 16, \"kernel_size\": 5},\n"
          + " {\"type\": \"relu\"},\n"
          + " {\"type\": \"max_pool2d\", \"kernel_size\": 2},\n"
          + " {\"type\": \"flatten\"},\n"
          + " {\"type\": \"dense\", \"units\": 120}, {\"type\": \"relu\"},\n"
          + " {\"type\": \"dense\", \"units\": 84}, {\"type\": \"relu\"},\n"
          + " {\"type\": \"dense\", \"units\": 10}],\n"
          + " \"loss\": \"softmax_cross_entropy\", \"optimizer\": \"adam\","
          + " \"learning_rate\": 0.001, \"epochs\": 10, \"batch_size\": 64}";

  private static ModelSpec parse(String json) throws FormatException {
    return ModelSpec.fromJson(Json.parse(json, "net.json"), "net.json");
  }

  private static String refused(String json) {
    return assertThrows(FormatException.class, () -> parse(json)).getMessage();
  }

  @Test
  void leNetIsReadWithItsShapesAndSizeComputedWithoutBuilding() throws Exception {
    ModelSpec s = parse(LENET);
    assertEquals(List.of(1, 28, 28), s.inputShape());
    assertEquals(784, s.inputs());
    assertEquals(10, s.outputs());
    // 6·1·25+6, 16·6·25+16, 400·120+120, 120·84+84, 84·10+10 (as PyTorch counts LeNet-5).
    assertEquals(156 + 2416 + 48120 + 10164 + 850, s.parameterCount());
    assertEquals(s.parameterCount(), s.storedValueCount());
    Sequential net = s.build();
    assertEquals(s.parameterCount(), net.parameterCount());
    assertEquals(Shape.of(1, 28, 28), net.inputShape());
    assertEquals(Shape.of(10), net.outputShape(net.inputShape()));
    assertEquals(
        "Sequential(Conv2d(in=1, out=6, kernel=5, padding=2), ReLU(), MaxPool2d(kernel=2),"
            + " Conv2d(in=6, out=16, kernel=5), ReLU(), MaxPool2d(kernel=2), Flatten(),"
            + " Dense(in=400, out=120), ReLU(), Dense(in=120, out=84), ReLU(),"
            + " Dense(in=84, out=10))",
        net.toString());
    // Every default is written out, so the file says exactly what was built.
    Map<String, Object> conv = LayerTypes.toJson(s.layers().get(0));
    assertEquals(
        "{type=conv2d, out_channels=6, kernel_size=5, stride=1, padding=2, dilation=1,"
            + " bias=true, weight_init=auto, bias_init=zeros}",
        conv.toString());
    assertEquals(2, ((Pool2d.Settings) s.layers().get(2)).stride());
    assertEquals(s, parse(Json.write(s.toJson())));
  }

  /** A network using every layer type, built in Java. */
  private static Sequential everyLayer() {
    return new Sequential(
        Shape.of(3, 9, 9),
        new Conv2d(3, 4, 3, 2, 1, 2, false, Init.heNormal(), Init.zeros()),
        new BatchNorm(4),
        new ELU(0.5f),
        new MaxPool2d(3, 1, 1),
        new Conv2d(4, 5, 2),
        new GELU(),
        new AvgPool2d(2, 1, 0),
        new SiLU(),
        new GlobalAvgPool2d(),
        new Dropout(0.25f),
        new Dense(5, 7, true, Init.auto(), Init.constant(0f)),
        new BatchNorm(7),
        new LeakyReLU(0.2f),
        new Softplus(),
        new Flatten(),
        new Dense(7, 3),
        new ReLU());
  }

  @Test
  void everyLayerTypeIsDescribedAndRebuiltTheSame() throws Exception {
    Sequential net = everyLayer();
    ModelSpec s = ModelSpec.describe(net, "mse", "adamw", 0.01f, 3, 8, 5);
    assertEquals(List.of(3, 9, 9), s.inputShape());
    assertEquals(net.toString(), s.build().toString());
    assertEquals(net.parameterCount(), s.parameterCount());
    // Two BatchNorm layers of 4 and 7 features keep 2 running statistics per feature.
    assertEquals(net.parameterCount() + 2 * (4 + 7), s.storedValueCount());
    ModelSpec again = parse(Json.write(s.toJson()));
    assertEquals(s, again);
    assertEquals(net.toString(), again.build().toString());
  }

  @Test
  void aModelWithConvolutionsAndBatchStatisticsPredictsTheSameAfterReading() throws Exception {
    Sequential net = everyLayer().initialize(11);
    Rng rng = new Rng(3);
    Tensor x = Tensor.zeros(16, 3 * 9 * 9);
    for (int i = 0; i < x.size(); i++) {
      x.data()[i] = (float) rng.nextGaussian();
    }
    Tensor y = Tensor.zeros(16, 3);
    // A few steps of training move BatchNorm's running statistics away from 0 and 1.
    Trainer.builder(net, new dev.nerve.loss.MeanSquaredError(), new Adam(net.parameters(), 0.01f))
        .epochs(3)
        .batchSize(4)
        .shuffle(1)
        .build()
        .fit(new Dataset(x, y));
    ModelSpec s = ModelSpec.describe(net, "mse", "adam", 0.01f, 3, 4, 11);
    Path f = dir.resolve("conv.nerve");
    new ModelFile(s, net, Map.of()).write(f);
    ModelFile back = ModelFile.read(f);
    assertArrayEquals(net.predict(x).data(), back.model().predict(x).data());
    List<dev.nerve.nn.Layer.Saved> saved = back.model().saved();
    List<dev.nerve.nn.Layer.Saved> orig = net.saved();
    assertEquals(orig.size(), saved.size());
    for (int i = 0; i < orig.size(); i++) {
      assertArrayEquals(orig.get(i).value().data(), saved.get(i).value().data(), "value " + i);
    }
    float[] runningVar = ((BatchNorm) net.layer(1)).buffers().get(1).value().data();
    assertTrue(runningVar[0] != 1f, "training moved the running variance");
  }

  @Test
  void shapeMistakesAreRefusedWhenReadNamingTheLayerAndShapes() {
    String msg = refused(LENET.replace("{\"type\": \"flatten\"},\n", ""));
    assertTrue(msg.contains("layer 6 dense"), msg);
    assertTrue(msg.contains("gets [16, 5, 5]"), msg);
    assertTrue(msg.contains("flatten"), msg);
    msg = refused(LENET.replace("\"kernel_size\": 5}", "\"kernel_size\": 15}"));
    assertTrue(msg.contains("layer 3 conv2d on input [6, 14, 14]"), msg);
    assertTrue(msg.contains("15×15 kernel does not fit 14"), msg);
    msg = refused(LENET.replace("[1, 28, 28]", "[1, 10, 10]"));
    assertTrue(msg.contains("layer 5 MaxPool2d(kernel=2)"), msg);
    assertTrue(msg.contains("window does not fit input [16, 1, 1]"), msg);
    msg = refused(LENET.replace("\"input_shape\": [1, 28, 28]", "\"inputs\": 784"));
    assertTrue(msg.contains("layer 0 conv2d: expects input [channels, height, width]"), msg);
    assertTrue(msg.contains("gets [784]"), msg);
  }

  @Test
  void settingMistakesAreNamed() {
    assertTrue(
        refused(LENET.replace("\"padding\": 2", "\"pad\": 2"))
            .contains(
                "layers[0]: unknown key 'pad'; known: bias, bias_init, dilation, kernel_size,"
                    + " out_channels, padding, stride, type, weight_init"));
    assertTrue(
        refused(LENET.replace("\"out_channels\": 6, ", ""))
            .contains("layers[0]: 'out_channels' is required"));
    assertTrue(
        refused(LENET.replace("\"kernel_size\": 5,", "\"kernel_size\": 0,"))
            .contains("layers[0]: 'kernel_size' must be a whole number from 1 to"));
    assertTrue(
        refused(LENET.replace("\"padding\": 2", "\"padding\": 2.5"))
            .contains("layers[0]: 'padding' must be a whole number, got 2.5"));
    assertTrue(
        refused(LENET.replace("{\"type\": \"flatten\"}", "{\"type\": \"dropout\", \"rate\": 1}"))
            .contains("layers[6]: 'rate' must be in [0, 1), got 1"));
    assertTrue(
        refused(LENET.replace("[1, 28, 28]", "[28, 28]"))
            .contains("layer 0 conv2d: expects input [channels, height, width] but gets [28, 28]"));
    assertTrue(
        refused(LENET.replace("[1, 28, 28]", "[1, null, 28]"))
            .contains("'input_shape' [1, null, 28] holds a null"));
    assertTrue(
        refused(LENET.replace("[1, 28, 28]", "[1, 1, 28, 28]"))
            .contains("'input_shape' must be a list of 1 to 3 sizes"));
    // A padding that blows one example up past 2^24 values is refused when read.
    assertTrue(
        refused(LENET.replace("\"padding\": 2", "\"padding\": 1000"))
            .contains("layer 0 conv2d gives [6, 2024, 2024], more than 16777216 values"));
    assertTrue(
        refused(LENET.replace("\"input_shape\"", "\"inputs\": 784, \"input_shape\""))
            .contains("give 'inputs' or 'input_shape', not both"));
    assertTrue(
        refused(LENET.replace("[1, 28, 28]", "[1, 0, 28]"))
            .contains("'input_shape' must be a whole number of at least 1"));
    assertTrue(
        refused(
                LENET
                    .replace("\"weight_init\"", "x")
                    .replace("\"padding\": 2", "\"weight_init\": \"he\""))
            .contains("unknown init 'he'"));
  }

  @Test
  void poolPaddingBeyondHalfTheWindowIsNamed() {
    String msg =
        refused(LENET.replace("\"kernel_size\": 2}", "\"kernel_size\": 2, \"padding\": 2}"));
    assertTrue(msg.contains("layer 2 max_pool2d: MaxPool2d needs"), msg);
  }

  @Test
  void hugeLayersAreRefusedByArithmeticBeforeAnythingIsAllocated() {
    // 2^24 · 2^24 · 2^24 · 1 would overflow a long if multiplied naively.
    String msg =
        refused(
            LENET.replace(
                "\"out_channels\": 6, \"kernel_size\": 5",
                "\"out_channels\": 16777216, \"kernel_size\": 16777216, \"dilation\": 1"
                    + ", \"stride\": 1"));
    assertTrue(msg.contains("layer 0 conv2d takes the network past 268435456 values"), msg);
    msg = refused(LENET.replace("\"out_channels\": 6", "\"out_channels\": 16777217"));
    assertTrue(msg.contains("'out_channels' must be a whole number from 1 to 16777216"), msg);
  }

  @Test
  void aTwoDimensionalInputIsDescribedAndReadBack() throws Exception {
    Sequential net = new Sequential(Shape.of(28, 28), new Flatten(), new Dense(784, 10));
    ModelSpec s = ModelSpec.describe(net.initialize(0), "mse", "sgd", 0.1f, 1, 32, 0);
    assertEquals(List.of(28, 28), s.inputShape());
    assertEquals(s, parse(Json.write(s.toJson())));
    Sequential four =
        new Sequential(Shape.of(1, 1, 2, 2), new Flatten(), new Dense(4, 1)).initialize(0);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ModelSpec.describe(four, "mse", "sgd", 0.1f, 1, 32, 0));
    assertTrue(e.getMessage().contains("needs 1 to 3 dimensions"), e.getMessage());
  }

  @Test
  void swishIsReadAsSiLUAndPoolStrideDefaultsToTheWindow() throws Exception {
    ModelSpec s =
        parse(
            "{\"input_shape\": [2, 7, 7], \"layers\": [{\"type\": \"swish\"},"
                + " {\"type\": \"avg_pool2d\", \"kernel_size\": 3, \"padding\": 1},"
                + " {\"type\": \"flatten\"}, {\"type\": \"dense\", \"units\": 2}]}");
    assertEquals("silu", s.layers().get(0).type().name());
    assertEquals(3, ((Pool2d.Settings) s.layers().get(1)).stride());
    assertEquals(2 * 3 * 3, s.build().layer(3) instanceof Dense d ? d.in() : -1);
  }

  @Test
  void aNetworkDescriptionFileIsReadFromDisk() throws Exception {
    Path f = dir.resolve("lenet.json");
    Files.writeString(f, LENET);
    ModelSpec s = ModelSpec.read(f);
    assertEquals(SoftmaxCrossEntropy.NAME, s.loss());
    assertEquals("adam", s.optimizer());
  }
}
