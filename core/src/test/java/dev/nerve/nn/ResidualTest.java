package dev.nerve.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.io.FormatException;
import dev.nerve.io.Json;
import dev.nerve.io.ModelFile;
import dev.nerve.io.ModelSpec;
import dev.nerve.io.Weights;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.optim.Sgd;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import dev.nerve.testing.GradientCheck;
import dev.nerve.train.History;
import dev.nerve.train.Trace;
import dev.nerve.train.TraceRecorder;
import dev.nerve.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code y = x + f(x)}: its gradients, its JSON, its model file, training and tracing. */
class ResidualTest {
  @TempDir Path dir;

  /** Two residual blocks between dense layers, as a network description. */
  static final String NET =
      "{\"inputs\": 6, \"layers\": ["
          + "{\"type\": \"dense\", \"units\": 8}, {\"type\": \"tanh\"},"
          + "{\"type\": \"residual\", \"layers\": [{\"type\": \"dense\", \"units\": 8},"
          + " {\"type\": \"tanh\"}, {\"type\": \"dense\", \"units\": 8, \"bias\": false}]},"
          + "{\"type\": \"residual\", \"layers\": [{\"type\": \"dense\", \"units\": 8},"
          + " {\"type\": \"relu\"}]},"
          + "{\"type\": \"dense\", \"units\": 3}],"
          + " \"loss\": \"softmax_cross_entropy\", \"learning_rate\": 0.2, \"epochs\": 30,"
          + " \"batch_size\": 16, \"seed\": 4}";

  private static ModelSpec parse(String json) throws FormatException {
    return ModelSpec.fromJson(Json.parse(json, "net.json"), "net.json");
  }

  private static String refused(String json) {
    return assertThrows(FormatException.class, () -> parse(json)).getMessage();
  }

  private static Tensor input(long seed, int... dims) {
    return Tensor.uniform(new Rng(seed), -1.5f, 1.5f, dims);
  }

  @Test
  void theOutputIsTheInputPlusTheBlock() {
    Dense f = new Dense(3, 3);
    f.initialize(new Rng(1));
    Residual r = new Residual(f, new Tanh());
    Tensor x = input(2, 4, 3);
    Tensor block = new Tanh().forward(f.forward(x, false), false);
    Tensor y = r.forward(x, false);
    for (int i = 0; i < y.size(); i++) {
      assertEquals(x.data()[i] + block.data()[i], y.data()[i], 0f, "element " + i);
    }
    assertArrayEquals(y.data(), r.forward(x, true).data(), "training gives the same function");
  }

  @Test
  void gradientsOfInputAndEveryInnerParameterPassTheCheck() {
    Dense a = new Dense(5, 5);
    Dense b = new Dense(5, 5, false);
    Residual r = new Residual(a, new Tanh(), b);
    r.initialize(new Rng(3));
    GradientCheck.checkLayer(r, input(4, 3, 5), 21);
  }

  @Test
  void nestedBlocksAndConvolutionsPassTheCheck() {
    Residual inner = new Residual(new Dense(4, 4), new Sigmoid());
    Residual outer = new Residual(new Dense(4, 4), new Tanh(), inner);
    outer.initialize(new Rng(5));
    GradientCheck.checkLayer(outer, input(6, 2, 4), 22);
    Residual conv = new Residual(new Conv2d(2, 2, 3, 1, 1), new Tanh());
    conv.initialize(new Rng(7));
    GradientCheck.checkLayer(conv, input(8, 2, 2, 5, 5), 23);
  }

  @Test
  void asTheFirstLayerItSkipsOnlyTheDataGradient() {
    Residual r = new Residual(new Tanh(), new Dense(3, 3));
    r.initialize(new Rng(9));
    Tensor x = input(10, 2, 3);
    Tensor dy = input(11, 2, 3);
    r.forward(x, true);
    r.parameters().forEach(Parameter::zeroGradInPlace);
    r.backward(dy, true);
    float[] full = r.parameters().get(0).grad().data().clone();
    r.forward(x, true);
    r.parameters().forEach(Parameter::zeroGradInPlace);
    assertNull(r.backward(dy, false));
    assertArrayEquals(full, r.parameters().get(0).grad().data());
  }

  @Test
  void itHoldsItsInnerLayersStateUnderIndexedNames() {
    Residual r = new Residual(new Dense(4, 4), new BatchNorm(4), new Dropout(0.5f));
    assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias"), r.parameterNames());
    assertEquals(List.of("1.running_mean", "1.running_var"), r.bufferNames());
    assertEquals(
        List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var"),
        r.saved().stream().map(Layer.Saved::name).toList());
    assertEquals(1, r.randomState().length, "the dropout's generator");
    assertTrue(!r.trainsAsItPredicts());
    r.initialize(new Rng(1));
    long[] s = r.randomState();
    r.forward(input(2, 3, 4), true);
    r.restoreRandomState(s);
    assertArrayEquals(s, r.randomState());
  }

  @Test
  void aBlockThatChangesTheShapeIsRefusedNamingBothShapes() {
    ShapeMismatchException e =
        assertThrows(
            ShapeMismatchException.class,
            () -> new Sequential(Shape.of(4), new Residual(new Dense(4, 3))));
    assertTrue(
        e.getMessage().contains("layer 0 Residual(Dense(in=4, out=3)) cannot follow the input"),
        e.getMessage());
    assertTrue(e.getMessage().contains("turn [4] into [3]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Residual());
    Dense d = new Dense(2, 2);
    assertThrows(IllegalArgumentException.class, () -> new Residual(d, d));
  }

  @Test
  void theNetworkJsonReadsChecksAndWritesIt() throws Exception {
    ModelSpec s = parse(NET);
    // 6·8+8, then 8·8+8 and 8·8 (no bias), then 8·8+8, then 8·3+3
    assertEquals(56 + 72 + 64 + 72 + 27, s.parameterCount());
    assertEquals(s, parse(Json.write(s.toJson())));
    Sequential net = s.build();
    assertEquals(s.parameterCount(), net.parameterCount());
    assertEquals(
        "Residual(Dense(in=8, out=8), Tanh(), Dense(in=8, out=8, bias=false))",
        net.layer(2).toString());
    Map<String, Object> json = dev.nerve.nn.LayerTypes.toJson(s.layers().get(3));
    assertEquals(
        "{type=residual, layers=[{type=dense, units=8, bias=true, weight_init=xavier_uniform,"
            + " bias_init=zeros}, {type=relu}]}",
        json.toString());
    net.initialize(1);
    ModelSpec described =
        ModelSpec.describe(net, s.loss(), "sgd", s.learningRate(), 30, 16, s.seed());
    assertEquals(s, described);
  }

  @Test
  void mistakesInsideABlockAreNamedWithTheirPlace() {
    String msg =
        refused(NET.replace("\"units\": 8, \"bias\": false", "\"units\": 5, \"bias\": false"));
    assertTrue(msg.contains("layer 2 residual: its layers turn [8] into [5]"), msg);
    msg = refused(NET.replace("{\"type\": \"relu\"}]}", "{\"type\": \"conv2d\"}]}"));
    assertTrue(msg.contains("layers[3]: layers[1]: 'out_channels' is required"), msg);
    msg =
        refused(
            NET.replace(
                "{\"type\": \"relu\"}]}",
                "{\"type\": \"conv2d\", \"out_channels\": 2, \"kernel_size\": 3}]}"));
    assertTrue(
        msg.contains("layer 3 residual: layer 1 conv2d: expects input [channels, height, width]"),
        msg);
    msg =
        refused(NET.replace("\"type\": \"residual\", \"layers\"", "\"type\": \"residual\", \"x\""));
    assertTrue(msg.contains("layers[2]: unknown key 'x'; known: layers, type"), msg);
    msg = refused(NET.replace("{\"type\": \"dense\", \"units\": 8}, {\"type\": \"relu\"}", ""));
    assertTrue(msg.contains("layers[3]: 'layers' must be a non-empty list of layers"), msg);
  }

  @Test
  void blocksNestedTooDeeplyAreRefusedWithTheirPlace() {
    String inner = "{\"type\": \"relu\"}";
    for (int d = 0; d < 40; d++) {
      inner = "{\"type\": \"residual\", \"layers\": [" + inner + "]}";
    }
    String msg = refused("{\"inputs\": 3, \"layers\": [" + inner + "], \"loss\": \"mse\"}");
    assertTrue(msg.contains("layers nested more than 32 deep"), msg);
    assertTrue(msg.startsWith("net.json: layers[0]: layers[0]: layers[0]"), msg);
    assertThrows(IllegalArgumentException.class, () -> new Residual.Settings(List.of()));
  }

  @Test
  void aHugeBlockIsRefusedByArithmeticBeforeAnythingIsAllocated() {
    // 8·2^24 + 2^24·8 weights inside the first block: past 2^28 before its shape is even compared.
    String msg =
        refused(
            NET.replace(
                "\"residual\", \"layers\": [{\"type\": \"dense\", \"units\": 8},",
                "\"residual\", \"layers\": [{\"type\": \"dense\", \"units\": 16777216},"));
    assertTrue(
        msg.contains("layer 2 residual: layer 2 dense takes the network past 268435456 values"),
        msg);
  }

  @Test
  void aTrainedNetworkWithBlocksSavesLoadsAndPredictsTheSameBits() throws Exception {
    ModelSpec s = parse(NET);
    Sequential net = s.build().initialize(s.seed());
    Rng rng = new Rng(12);
    Tensor x = Tensor.uniform(rng, -1, 1, 64, 6);
    Tensor y = Tensor.zeros(64, 3);
    for (int i = 0; i < 64; i++) {
      // a class the inputs decide: which of three sums is largest
      float a = x.get(i, 0) + x.get(i, 1);
      float b = x.get(i, 2) + x.get(i, 3);
      float c = x.get(i, 4) + x.get(i, 5);
      y.setInPlace(1, i, a > b && a > c ? 0 : b > c ? 1 : 2);
    }
    History h =
        Trainer.builder(net, new SoftmaxCrossEntropy(), new Sgd(net.parameters(), 0.2f))
            .epochs(30)
            .batchSize(16)
            .shuffle(s.seed())
            .build()
            .fit(x, y);
    double[] losses = h.epochLosses();
    assertTrue(
        losses[losses.length - 1] < 0.5 * losses[0],
        "it learns: " + losses[0] + " → " + losses[losses.length - 1]);
    Path f = dir.resolve("res.nerve");
    new ModelFile(s, net, Map.of()).write(f);
    ModelFile back = ModelFile.read(f);
    assertArrayEquals(net.predict(x).data(), back.model().predict(x).data());
    Map<String, Object> manifest = ModelFile.readManifest(f);
    assertTrue(Json.writeLine(manifest.get("parameters")).contains("\"name\": \"2.weight\""));
    Path w = dir.resolve("res.json");
    Weights.write(net, w);
    Sequential fresh = s.build();
    Weights.read(w, fresh);
    assertArrayEquals(net.predict(x).data(), fresh.predict(x).data());
  }

  @Test
  void aTracedRunRecordsTheBlocksParametersAndTheirGradientsCheckOut() {
    Sequential net =
        new Sequential(
                Shape.of(3),
                new Dense(3, 4),
                new Tanh(),
                new Residual(new Dense(4, 4), new Tanh()),
                new Dense(4, 2))
            .initialize(2);
    Tensor x = input(3, 5, 3);
    Tensor y = Tensor.of(new float[][] {{1, 0}, {0, 1}, {1, 0}, {0, 1}, {1, 0}});
    TraceRecorder rec = TraceRecorder.at(1, 3);
    Trainer.builder(net, new SoftmaxCrossEntropy(), new Sgd(net.parameters(), 0.1f))
        .epochs(3)
        .batchSize(5)
        .listener(rec)
        .build()
        .fit(x, y);
    Trace t = rec.trace();
    Trace.Iteration it = t.iterations().get(0);
    List<Trace.ParameterTrace> block = it.parametersOf(2);
    assertEquals(List.of("0.weight", "0.bias"), block.stream().map(p -> p.name()).toList());
    for (Trace.ParameterTrace p : block) {
      for (int i = 0; i < p.gradient().size(); i++) {
        assertEquals(p.numericGradient().data()[i], p.gradient().data()[i], 2e-3, p.name());
      }
    }
    assertEquals(4, it.outputs().size(), "one output per top-level layer");
  }
}
