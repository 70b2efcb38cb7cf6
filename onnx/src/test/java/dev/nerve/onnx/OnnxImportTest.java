package dev.nerve.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.Normalizer;
import dev.nerve.io.Json;
import dev.nerve.io.ModelFile;
import dev.nerve.io.ModelSpec;
import dev.nerve.nn.BatchNorm;
import dev.nerve.nn.Conv2d;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Dropout;
import dev.nerve.nn.GELU;
import dev.nerve.nn.GlobalAvgPool2d;
import dev.nerve.nn.LayerTypes;
import dev.nerve.nn.MaxPool2d;
import dev.nerve.nn.Parameter;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Residual;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.SiLU;
import dev.nerve.nn.Tanh;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ONNX models PyTorch wrote imported and predicting PyTorch's outputs within 1e-5; Nerve → ONNX →
 * Nerve giving back the same weight bytes and predictions; an imported model training further.
 */
class OnnxImportTest {
  private static Path reference(String name) throws Exception {
    return Path.of(OnnxImportTest.class.getResource("/reference/" + name).toURI());
  }

  private static float[] floats(Object list) {
    List<?> l = (List<?>) list;
    float[] f = new float[l.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = ((Number) l.get(i)).floatValue();
    }
    return f;
  }

  @Test
  void modelsPyTorchExportedPredictPyTorchsOutputs() throws Exception {
    Map<?, ?> all =
        (Map<?, ?>) Json.parse(Files.readString(reference("torch_onnx.json")), "torch_onnx.json");
    for (String name : List.of("mlp", "lenet", "conv1d", "lstm", "gru")) {
      Map<?, ?> m = (Map<?, ?>) all.get(name);
      List<?> s = (List<?>) m.get("shape");
      int[] dims = new int[s.size()];
      for (int i = 0; i < dims.length; i++) {
        dims[i] = ((Number) s.get(i)).intValue();
      }
      ModelFile f = OnnxImport.read(reference("torch_" + name + ".onnx"));
      float[] got = f.model().predict(Tensor.wrap(floats(m.get("x")), dims)).data();
      float[] want = floats(m.get("y"));
      assertEquals(want.length, got.length, name);
      for (int i = 0; i < got.length; i++) {
        assertEquals(want[i], got[i], 1e-5 + 1e-5 * Math.abs(want[i]), name + " output " + i);
      }
      assertTrue(
          String.valueOf(f.metadata().get("imported_from")).startsWith("onnx (pytorch"),
          f.metadata().toString());
    }
    // PyTorch's Linear is a Gemm with transB: the weight comes back as Nerve's [in, out].
    ModelFile mlp = OnnxImport.read(reference("torch_mlp.onnx"));
    Dense first = (Dense) mlp.model().layers().get(0);
    assertEquals(6, first.in());
    assertEquals(16, first.out());
  }

  @Test
  void nerveToOnnxToNerveGivesBackTheSameBits() throws Exception {
    Sequential net =
        OnnxExportTest.randomised(
            new Sequential(
                Shape.of(2, 8, 8),
                new Conv2d(2, 3, 3, 1, 1),
                new BatchNorm(3),
                new ReLU(),
                new MaxPool2d(2),
                new Residual(new Conv2d(3, 3, 3, 1, 1), new Tanh()),
                new GlobalAvgPool2d(),
                new Dropout(0.3f),
                new Dense(3, 6),
                new GELU(),
                new Dense(6, 6),
                new SiLU(),
                new Dense(6, 2)),
            21);
    ModelSpec spec = ModelSpec.describe(net, "softmax_cross_entropy", "adam", 0.01f, 4, 16, 9);
    Normalizer n = Normalizer.scale(0.5f);
    ModelFile original =
        new ModelFile(spec, net, n, Map.of("classes", List.of("cat", "dog"), "note", "x"));
    byte[] bytes = Onnx.write(OnnxExport.export(original));
    ModelFile back = OnnxImport.read(bytes, "round trip");
    assertEquals(
        LayerTypes.toJson(LayerTypes.describe(net.layers())),
        LayerTypes.toJson(LayerTypes.describe(back.model().layers())),
        "the same network, dropout included");
    assertEquals(spec.learningRate(), back.spec().learningRate());
    assertEquals(spec.optimizer(), back.spec().optimizer());
    List<Parameter> a = net.parameters();
    List<Parameter> b = back.model().parameters();
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i).value().data(), b.get(i).value().data(), 0f, "parameter " + i);
    }
    for (int i = 0; i < net.buffers().size(); i++) {
      assertArrayEquals(
          net.buffers().get(i).value().data(), back.model().buffers().get(i).value().data(), 0f);
    }
    assertEquals(n.kind(), back.normalizer().kind());
    assertArrayEquals(n.factors(), back.normalizer().factors(), 0f);
    assertEquals(List.of("cat", "dog"), back.metadata().get("classes"));
    Tensor x = Tensor.uniform(new Rng(22), -1f, 1f, 3, 2, 8, 8);
    assertArrayEquals(net.predict(x).data(), back.model().predict(x).data(), 0f);
  }

  @Test
  void recurrentModelsComeBackWithTheSameBits() throws Exception {
    Sequential net =
        OnnxExportTest.randomised(
            new Sequential(
                Shape.of(6),
                new dev.nerve.nn.Embedding(10, 4),
                new dev.nerve.nn.LSTM(
                    4, new dev.nerve.nn.Recurrent.Common(3, true, true, true, false)),
                new dev.nerve.nn.GRU(
                    6, new dev.nerve.nn.Recurrent.Common(5, true, false, false, false)),
                new dev.nerve.nn.RNN(
                    5, new dev.nerve.nn.Recurrent.Common(2, false, true, true, false), true),
                new Dense(4, 3)),
            24);
    ModelFile original =
        new ModelFile(
            ModelSpec.describe(net, "softmax_cross_entropy", "adam", 0.01f, 1, 8, 1),
            net,
            Map.of());
    // Without Nerve's own description in the metadata too: the graph alone must say it all.
    Onnx.Model exported = OnnxExport.export(original);
    Onnx.Model bare =
        new Onnx.Model(
            exported.irVersion(),
            exported.opset(),
            exported.producer(),
            exported.producerVersion(),
            exported.graph(),
            Map.of());
    ModelFile back = OnnxImport.read(Onnx.write(bare), "recurrent");
    assertEquals(
        LayerTypes.toJson(LayerTypes.describe(net.layers())),
        LayerTypes.toJson(LayerTypes.describe(back.model().layers())));
    for (int i = 0; i < net.parameters().size(); i++) {
      assertArrayEquals(
          net.parameters().get(i).value().data(),
          back.model().parameters().get(i).value().data(),
          0f,
          net.parameterNames().get(i));
    }
    Tensor x = Tensor.zeros(2, 6);
    for (int i = 0; i < x.size(); i++) {
      x.data()[i] = (i * 7) % 10;
    }
    assertArrayEquals(net.predict(x).data(), back.model().predict(x).data(), 0f);
  }

  @Test
  void attentionAndTransformerBlocksComeBack() throws Exception {
    Sequential net =
        OnnxExportTest.randomised(
            new Sequential(
                Shape.of(6, 8),
                new dev.nerve.nn.PositionalEncoding(8, 6, true),
                new dev.nerve.nn.MultiHeadAttention(8, 2, true, 0f, true),
                new dev.nerve.nn.TransformerEncoder(
                    8,
                    new dev.nerve.nn.TransformerEncoder.Settings(4, 12, 0.1f, "gelu", true, 1e-5f)),
                new dev.nerve.nn.PositionalEncoding(8, 6, false),
                new dev.nerve.nn.MultiHeadAttention(8, 4, false, 0f, false),
                new dev.nerve.nn.GlobalAvgPool1d(true),
                new Dense(8, 3)),
            26);
    ModelFile original =
        new ModelFile(
            ModelSpec.describe(net, "softmax_cross_entropy", "adam", 0.01f, 1, 8, 1),
            net,
            Map.of());
    Onnx.Model exported = OnnxExport.export(original);
    Tensor x = Tensor.uniform(new Rng(27), -1f, 1f, 2, 6, 8);
    // With Nerve's description: the same network, transformer block and all, to the bit.
    ModelFile back = OnnxImport.read(Onnx.write(exported), "attention");
    assertEquals(
        LayerTypes.toJson(LayerTypes.describe(net.layers())),
        LayerTypes.toJson(LayerTypes.describe(back.model().layers())));
    assertArrayEquals(net.predict(x).data(), back.model().predict(x).data(), 0f);
    // From the graph alone: the block comes back as its residual parts, predicting the same.
    Onnx.Model bare =
        new Onnx.Model(
            exported.irVersion(),
            exported.opset(),
            exported.producer(),
            exported.producerVersion(),
            exported.graph(),
            Map.of());
    ModelFile fromGraph = OnnxImport.read(Onnx.write(bare), "attention");
    assertArrayEquals(net.predict(x).data(), fromGraph.model().predict(x).data(), 0f);
    assertTrue(
        fromGraph
            .model()
            .layers()
            .get(1)
            .toString()
            .startsWith("MultiHeadAttention(width=8, heads=2, causal=true"),
        fromGraph.model().layers().toString());
  }

  private static Onnx.Model graph(List<Onnx.Node> nodes, List<Onnx.Tensor> inits, long... inDims) {
    List<Object> in = new java.util.ArrayList<>(List.of("batch"));
    for (long d : inDims) {
      in.add(d);
    }
    return new Onnx.Model(
        8,
        17,
        "test",
        "1",
        new Onnx.Graph(
            "g",
            nodes,
            inits,
            List.of(new Onnx.ValueInfo("x", Onnx.FLOAT, in)),
            List.of(new Onnx.ValueInfo("y", Onnx.FLOAT, List.of("batch")))),
        Map.of());
  }

  private static Onnx.Node node(String op, List<String> in, String out, Onnx.Attribute... a) {
    Map<String, Onnx.Attribute> m = new java.util.LinkedHashMap<>();
    for (Onnx.Attribute x : a) {
      m.put(x.name(), x);
    }
    return new Onnx.Node(op + "_" + out, op, "", in, List.of(out), m);
  }

  @Test
  void graphsThatLookLikeNervesButAreNotAreReadAsTheyAre() throws Exception {
    // A mean over axis -2 of [batch, 5, 3] is over time (channels last), as ONNX Runtime says.
    Onnx.Model mean =
        graph(
            List.of(
                node(
                    "ReduceMean",
                    List.of("x"),
                    "y",
                    Onnx.Attribute.of("axes", new long[] {-2}),
                    Onnx.Attribute.of("keepdims", 0L))),
            List.of(),
            5,
            3);
    byte[] bytes = Onnx.write(mean);
    Tensor x = Tensor.uniform(new Rng(30), -1f, 1f, 2, 5, 3);
    assertArrayEquals(
        Ort.run(bytes, x), OnnxImport.read(bytes, "mean").model().predict(x).data(), 1e-6f);
    // An Add that reaches back inside an earlier residual block cannot be a Nerve network:
    // refused, not read as something else. y = tanh(relu(a) + a) + relu(a), a = x W.
    float[] w = Tensor.uniform(new Rng(31), -1f, 1f, 16).data();
    Onnx.Model inside =
        graph(
            List.of(
                node("MatMul", List.of("x", "W"), "a"),
                node("Relu", List.of("a"), "b"),
                node("Add", List.of("b", "a"), "r"),
                node("Tanh", List.of("r"), "t"),
                node("Add", List.of("t", "b"), "y")),
            List.of(Onnx.Tensor.of("W", w, 4, 4)),
            4);
    OnnxFormatException e =
        assertThrows(
            OnnxFormatException.class, () -> OnnxImport.read(Onnx.write(inside), "inside"));
    assertTrue(e.getMessage().contains("unsupported operators: Add 'Add_y'"), e.getMessage());
    // A graph edited after export (a Relu made a Sigmoid) is read as the graph says, not as the
    // network description left in its metadata.
    Sequential net =
        OnnxExportTest.randomised(
            new Sequential(Shape.of(3), new Dense(3, 4), new ReLU(), new Dense(4, 2)), 32);
    Onnx.Model exported =
        OnnxExport.export(
            new ModelFile(
                ModelSpec.describe(net, "softmax_cross_entropy", "adam", 0.01f, 1, 8, 1),
                net,
                Map.of()));
    List<Onnx.Node> nodes = new java.util.ArrayList<>();
    for (Onnx.Node n : exported.graph().nodes()) {
      nodes.add(
          n.opType().equals("Relu")
              ? new Onnx.Node(n.name(), "Sigmoid", "", n.inputs(), n.outputs(), Map.of())
              : n);
    }
    byte[] edited = Onnx.write(withNodes(exported, nodes));
    Tensor in = Tensor.uniform(new Rng(33), -1f, 1f, 2, 3);
    ModelFile read = OnnxImport.read(edited, "edited");
    assertArrayEquals(Ort.run(edited, in), read.model().predict(in).data(), 1e-6f);
    assertTrue(
        read.model().layers().get(1) instanceof dev.nerve.nn.Sigmoid,
        read.model().layers().toString());
  }

  @Test
  void anImportedModelTrainsFurther() throws Exception {
    ModelFile f = OnnxImport.read(reference("torch_mlp.onnx"));
    Sequential net = f.model();
    Tensor x = Tensor.uniform(new Rng(23), -1f, 1f, 16, 6);
    Tensor y = Tensor.zeros(16, 3);
    for (int i = 0; i < 16; i++) {
      y.data()[i * 3 + i % 3] = 1f;
    }
    dev.nerve.loss.Loss loss = dev.nerve.loss.Loss.named(f.spec().loss());
    double before = loss.value(net.predict(x), y);
    dev.nerve.train.Trainer.builder(
            net, loss, dev.nerve.optim.Optimizer.named("adam", net.parameters(), 0.01f))
        .epochs(30)
        .batchSize(16)
        .build()
        .fit(new dev.nerve.data.Dataset(x, y));
    double after = loss.value(net.predict(x), y);
    assertTrue(after < before / 2, before + " -> " + after);
  }

  @Test
  void whatCannotBeImportedIsRefusedWithEveryNodeNamed() throws Exception {
    Onnx.Model m = Onnx.read(Files.readAllBytes(reference("torch_mlp.onnx")));
    List<Onnx.Node> nodes = new java.util.ArrayList<>(m.graph().nodes());
    Onnx.Node relu = nodes.get(1);
    nodes.set(1, new Onnx.Node("weird", "Hardmax", "", relu.inputs(), relu.outputs(), Map.of()));
    Onnx.Node tanh = nodes.get(3);
    nodes.set(3, new Onnx.Node("odd", "Cos", "", tanh.inputs(), tanh.outputs(), Map.of()));
    Onnx.Model bad = withNodes(m, nodes);
    OnnxFormatException e =
        assertThrows(OnnxFormatException.class, () -> OnnxImport.read(Onnx.write(bad), "bad.onnx"));
    assertEquals(
        "bad.onnx: unsupported operators: Hardmax 'weird', Cos 'odd' (nothing was built)",
        e.getMessage());
    // Nodes out of order (a cycle, or a value used before it is made).
    List<Onnx.Node> swapped = new java.util.ArrayList<>(m.graph().nodes());
    java.util.Collections.swap(swapped, 0, 1);
    OnnxFormatException order =
        assertThrows(
            OnnxFormatException.class,
            () -> OnnxImport.read(Onnx.write(withNodes(m, swapped)), "cycle.onnx"));
    assertTrue(order.getMessage().contains("which no earlier node makes"), order.getMessage());
  }

  private static Onnx.Model withNodes(Onnx.Model m, List<Onnx.Node> nodes) {
    Onnx.Graph g = m.graph();
    return new Onnx.Model(
        m.irVersion(),
        m.opset(),
        m.producer(),
        m.producerVersion(),
        new Onnx.Graph(g.name(), nodes, g.initializers(), g.inputs(), g.outputs()),
        m.metadata());
  }

  @Test
  void brokenFilesAreRefusedWithTheReason() throws Exception {
    byte[] good = Files.readAllBytes(reference("torch_mlp.onnx"));
    assertTrue(
        assertThrows(OnnxFormatException.class, () -> OnnxImport.read(new byte[0], "e.onnx"))
            .getMessage()
            .contains("empty"));
    String cut =
        assertThrows(
                OnnxFormatException.class,
                () -> OnnxImport.read(java.util.Arrays.copyOf(good, good.length / 2), "cut.onnx"))
            .getMessage();
    assertTrue(cut.startsWith("cut.onnx: not a readable ONNX model: byte "), cut);
    assertTrue(cut.contains("is the file cut short?") || cut.contains("ends inside"), cut);
    String text =
        assertThrows(
                OnnxFormatException.class,
                () -> OnnxImport.read("not onnx at all\n".getBytes(), "text.onnx"))
            .getMessage();
    assertTrue(text.startsWith("text.onnx: "), text);
    // A tensor whose declared dims do not match its data.
    Onnx.Model m = Onnx.read(good);
    Onnx.Tensor w = m.graph().initializers().get(0);
    Onnx.Tensor lying =
        new Onnx.Tensor(w.name(), new long[] {1000, 1000}, Onnx.FLOAT, w.floats(), null);
    List<Onnx.Tensor> inits = new java.util.ArrayList<>(m.graph().initializers());
    inits.set(0, lying);
    Onnx.Graph g = m.graph();
    byte[] bytes =
        Onnx.write(
            new Onnx.Model(
                m.irVersion(),
                m.opset(),
                m.producer(),
                m.producerVersion(),
                new Onnx.Graph(g.name(), g.nodes(), inits, g.inputs(), g.outputs()),
                m.metadata()));
    String size =
        assertThrows(OnnxFormatException.class, () -> OnnxImport.read(bytes, "size.onnx"))
            .getMessage();
    assertTrue(size.contains("needs 4000000 bytes of floats but holds"), size);
  }
}
