package dev.nerve.onnx;

import dev.nerve.Nerve;
import dev.nerve.data.Normalizer;
import dev.nerve.io.Json;
import dev.nerve.io.ModelFile;
import dev.nerve.nn.BatchNorm;
import dev.nerve.nn.Conv1d;
import dev.nerve.nn.Conv2d;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Dropout;
import dev.nerve.nn.ELU;
import dev.nerve.nn.Flatten;
import dev.nerve.nn.GELU;
import dev.nerve.nn.GlobalAvgPool2d;
import dev.nerve.nn.GlobalMaxPool1d;
import dev.nerve.nn.GlobalPool1d;
import dev.nerve.nn.Identity;
import dev.nerve.nn.Layer;
import dev.nerve.nn.LayerNorm;
import dev.nerve.nn.LeakyReLU;
import dev.nerve.nn.MaxPool1d;
import dev.nerve.nn.MaxPool2d;
import dev.nerve.nn.Pool1d;
import dev.nerve.nn.Pool2d;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Residual;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.SiLU;
import dev.nerve.nn.Sigmoid;
import dev.nerve.nn.Softmax;
import dev.nerve.nn.Softplus;
import dev.nerve.nn.Tanh;
import dev.nerve.tensor.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Nerve model as an ONNX model (opset {@value #OPSET}): the saved normalisation as {@code Sub}
 * and {@code Mul} at the front (so raw inputs give the model's outputs), then one or a few standard
 * operators per layer, weights as initialisers, a symbolic batch dimension, and the model's class
 * names, columns and provenance in the metadata.
 *
 * <p>Layers: {@link Dense} ({@code MatMul} + {@code Add}: its weight is already {@code [in, out]}),
 * every activation ({@code Relu}, {@code Sigmoid}, {@code Tanh}, {@code LeakyRelu}, {@code Elu},
 * {@code Softplus}, SiLU as {@code x · Sigmoid(x)}, GELU as {@code x/2 · (1 + Erf(x/√2))}), {@link
 * Softmax}, {@link Conv2d} and {@link Conv1d} ({@code Conv}), the pools ({@code MaxPool}, {@code
 * AveragePool}, {@code GlobalAveragePool} + {@code Flatten}, or {@code ReduceMean} / {@code
 * ReduceMax} over time), {@link Flatten}, {@link BatchNorm} (inference form, {@code
 * BatchNormalization} with the running statistics), {@link LayerNorm} ({@code LayerNormalization}),
 * {@link Dropout} and {@link Identity} (left out), {@link Residual} ({@code Add} of the block's
 * input and its output), embeddings ({@code Cast} + {@code Gather}), the recurrent layers ({@code
 * RNN}, {@code LSTM}, {@code GRU}), multi-head attention (composed of {@code MatMul}, {@code
 * Split}, {@code Reshape}, {@code Transpose}, {@code Softmax}), positional encodings ({@code Add}
 * of the table) and transformer blocks. A layer of no registered type is refused, naming it.
 */
public final class OnnxExport {
  /** The operator set written: 17 has {@code LayerNormalization}. */
  public static final long OPSET = 17;

  /** The name of the graph's input. */
  public static final String INPUT = "input";

  /** The name of the graph's output. */
  public static final String OUTPUT = "output";

  /** Metadata keys the export writes (besides the model's own metadata). */
  public static final String META_NERVE = "nerve.metadata";

  /** The model's network description (layers and training settings), for a lossless import. */
  public static final String META_NETWORK = "nerve.network";

  /** The saved normalisation, as the model file writes it. */
  public static final String META_NORMALIZATION = "nerve.normalization";

  private final List<Onnx.Node> nodes = new ArrayList<>();
  private final List<Onnx.Tensor> initializers = new ArrayList<>();
  private int counter;

  private OnnxExport() {}

  /**
   * {@code file} as an ONNX model.
   *
   * @throws IllegalArgumentException naming the first layer ONNX export does not support
   */
  public static Onnx.Model export(ModelFile file) {
    OnnxExport e = new OnnxExport();
    Sequential net = file.model();
    Shape in = net.inputShape();
    if (in == null) {
      throw new IllegalArgumentException("the network has no input shape to export");
    }
    String x = e.normalizer(file.normalizer(), in, INPUT);
    List<Layer> layers = net.layers();
    Shape shape = in;
    for (int i = 0; i < layers.size(); i++) {
      x = e.layer(layers.get(i), x, shape, "l" + i);
      shape = layers.get(i).outputShape(shape);
    }
    // The last value is renamed the graph's output.
    e.nodes.add(node("Identity", "output", List.of(x), List.of(OUTPUT), Map.of()));
    List<Object> inDims = new ArrayList<>();
    inDims.add("batch");
    for (int d : in.dims()) {
      inDims.add((long) d);
    }
    List<Object> outDims = new ArrayList<>();
    outDims.add("batch");
    for (int d : shape.dims()) {
      outDims.add((long) d);
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(META_NETWORK, Json.write(file.spec().toJson()));
    meta.put(META_NORMALIZATION, normalizationJson(file.normalizer()));
    meta.put(META_NERVE, Json.write(file.metadata()));
    Object classes = file.metadata().get("classes");
    if (classes != null) {
      meta.put("classes", Json.write(classes));
    }
    meta.put("nerve.seed", Long.toString(file.spec().seed()));
    Onnx.Graph g =
        new Onnx.Graph(
            "nerve",
            e.nodes,
            e.initializers,
            List.of(new Onnx.ValueInfo(INPUT, Onnx.FLOAT, inDims)),
            List.of(new Onnx.ValueInfo(OUTPUT, Onnx.FLOAT, outDims)));
    return new Onnx.Model(Onnx.IR_VERSION, OPSET, "nerve", Nerve.version(), g, meta);
  }

  /** The normalisation as {@code {"kind": ..., "offsets": [...], "factors": [...]}}. */
  static String normalizationJson(Normalizer n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", n.kind().id());
    if (n.kind() != Normalizer.Kind.NONE) {
      m.put("offsets", floats(n.offsets()));
      m.put("factors", floats(n.factors()));
    }
    return Json.write(m);
  }

  private static List<Object> floats(float[] v) {
    List<Object> out = new ArrayList<>();
    for (float f : v) {
      out.add(Float.toString(f));
    }
    return out;
  }

  private static Onnx.Node node(
      String op, String name, List<String> in, List<String> out, Map<String, Onnx.Attribute> a) {
    return new Onnx.Node(name, op, "", in, out, a);
  }

  private String fresh(String base) {
    return base + "_" + counter++;
  }

  /** Adds node {@code op} of inputs {@code in}; returns its one output's name. */
  private String op(String op, String name, List<String> in, Onnx.Attribute... attrs) {
    String out = fresh(name + "." + op);
    Map<String, Onnx.Attribute> a = new LinkedHashMap<>();
    for (Onnx.Attribute at : attrs) {
      a.put(at.name(), at);
    }
    nodes.add(node(op, name + "." + op + "_" + counter, in, List.of(out), a));
    return out;
  }

  private String constant(String name, float[] values, long... dims) {
    initializers.add(Onnx.Tensor.of(name, values.clone(), dims));
    return name;
  }

  private String normalizer(Normalizer n, Shape in, String x) {
    switch (n.kind()) {
      case NONE:
        return x;
      case SCALE:
        {
          String o = constant("normalize.offset", new float[] {n.offsets()[0]});
          String f = constant("normalize.factor", new float[] {n.factors()[0]});
          return op("Mul", "normalize", List.of(op("Sub", "normalize", List.of(x, o)), f));
        }
      default:
        {
          long[] dims = longs(in.dims());
          String o = constant("normalize.offset", n.offsets(), dims);
          String f = constant("normalize.factor", n.factors(), dims);
          return op("Mul", "normalize", List.of(op("Sub", "normalize", List.of(x, o)), f));
        }
    }
  }

  private static long[] longs(int[] v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  private static long[] fill(int n, long v) {
    long[] out = new long[n];
    java.util.Arrays.fill(out, v);
    return out;
  }

  /** Adds layer {@code l}'s nodes reading {@code x} of example shape {@code shape}. */
  private String layer(Layer l, String x, Shape shape, String name) {
    if (l instanceof Dense d) {
      String w = constant(name + ".weight", d.weight().value().data(), d.in(), d.out());
      String y = op("MatMul", name, List.of(x, w));
      if (d.hasBias()) {
        String b = constant(name + ".bias", d.bias().value().data(), d.out());
        y = op("Add", name, List.of(y, b));
      }
      return y;
    }
    if (l instanceof ReLU) {
      return op("Relu", name, List.of(x));
    }
    if (l instanceof Sigmoid) {
      return op("Sigmoid", name, List.of(x));
    }
    if (l instanceof Tanh) {
      return op("Tanh", name, List.of(x));
    }
    if (l instanceof LeakyReLU r) {
      return op("LeakyRelu", name, List.of(x), Onnx.Attribute.of("alpha", r.negativeSlope()));
    }
    if (l instanceof ELU e) {
      return op("Elu", name, List.of(x), Onnx.Attribute.of("alpha", e.alpha()));
    }
    if (l instanceof Softplus) {
      return op("Softplus", name, List.of(x));
    }
    if (l instanceof SiLU) {
      return op("Mul", name, List.of(x, op("Sigmoid", name, List.of(x))));
    }
    if (l instanceof GELU) {
      String scaled =
          op("Mul", name, List.of(x, constant(name + ".rsqrt2", new float[] {0.70710678f})));
      String erf = op("Erf", name, List.of(scaled));
      String plus = op("Add", name, List.of(erf, constant(name + ".one", new float[] {1f})));
      String half = op("Mul", name, List.of(x, constant(name + ".half", new float[] {0.5f})));
      return op("Mul", name, List.of(half, plus));
    }
    if (l instanceof Softmax) {
      return op("Softmax", name, List.of(x), Onnx.Attribute.of("axis", -1L));
    }
    if (l instanceof Identity || l instanceof Dropout) {
      return x; // dropout predicts as the identity
    }
    if (l instanceof Flatten) {
      return op("Flatten", name, List.of(x), Onnx.Attribute.of("axis", 1L));
    }
    if (l instanceof Conv2d c) {
      return conv(
          name,
          x,
          c.weight().value().data(),
          new long[] {c.out(), c.in(), c.kernel(), c.kernel()},
          c.bias() == null ? null : c.bias().value().data(),
          2,
          c.kernel(),
          c.stride(),
          c.padding(),
          c.dilation(),
          1);
    }
    if (l instanceof Conv1d c) {
      Map<String, Object> s = dev.nerve.nn.LayerTypes.toJson(dev.nerve.nn.LayerTypes.describe(c));
      int k = ((Number) s.get("kernel_size")).intValue();
      int groups = ((Number) s.get("groups")).intValue();
      return conv(
          name,
          x,
          c.weight().value().data(),
          new long[] {c.out(), c.in() / groups, k},
          c.bias() == null ? null : c.bias().value().data(),
          1,
          k,
          ((Number) s.get("stride")).intValue(),
          ((Number) s.get("padding")).intValue(),
          ((Number) s.get("dilation")).intValue(),
          groups);
    }
    if (l instanceof Pool2d p) {
      return pool(l instanceof MaxPool2d, name, x, 2, p.kernel(), p.stride(), p.padding());
    }
    if (l instanceof Pool1d p) {
      return pool(l instanceof MaxPool1d, name, x, 1, p.kernel(), p.stride(), p.padding());
    }
    if (l instanceof GlobalAvgPool2d) {
      String g = op("GlobalAveragePool", name, List.of(x));
      return op("Flatten", name, List.of(g), Onnx.Attribute.of("axis", 1L));
    }
    if (l instanceof GlobalPool1d g) {
      boolean max = g instanceof GlobalMaxPool1d;
      return op(
          max ? "ReduceMax" : "ReduceMean",
          name,
          List.of(x),
          Onnx.Attribute.of("axes", new long[] {g.channelsLast() ? 1 : 2}),
          Onnx.Attribute.of("keepdims", 0L));
    }
    if (l instanceof BatchNorm b) {
      int f = b.features();
      String gamma = constant(name + ".weight", b.parameters().get(0).value().data(), f);
      String beta = constant(name + ".bias", b.parameters().get(1).value().data(), f);
      String mean = constant(name + ".running_mean", b.buffers().get(0).value().data(), f);
      String var = constant(name + ".running_var", b.buffers().get(1).value().data(), f);
      return op(
          "BatchNormalization",
          name,
          List.of(x, gamma, beta, mean, var),
          Onnx.Attribute.of("epsilon", 1e-5f));
    }
    if (l instanceof LayerNorm n) {
      int f = n.features();
      boolean affine = !n.parameters().isEmpty();
      float[] ones = new float[f];
      java.util.Arrays.fill(ones, 1f);
      String gamma =
          constant(name + ".weight", affine ? n.parameters().get(0).value().data() : ones, f);
      String beta =
          constant(name + ".bias", affine ? n.parameters().get(1).value().data() : new float[f], f);
      return op(
          "LayerNormalization",
          name,
          List.of(x, gamma, beta),
          Onnx.Attribute.of("axis", -1L),
          Onnx.Attribute.of("epsilon", n.eps()));
    }
    if (l instanceof dev.nerve.nn.Embedding emb) {
      // Token ids arrive as floats, as every Nerve input does: Gather needs integers.
      String ids = op("Cast", name, List.of(x), Onnx.Attribute.of("to", (long) Onnx.INT64));
      String w =
          constant(
              name + ".weight",
              emb.parameters().get(0).value().data(),
              emb.vocabulary(),
              emb.dim());
      return op("Gather", name, List.of(w, ids), Onnx.Attribute.of("axis", 0L));
    }
    if (l instanceof dev.nerve.nn.Recurrent r) {
      return recurrent(r, x, name);
    }
    if (l instanceof dev.nerve.nn.PositionalEncoding pe) {
      // The table's rows for this length: what the layer adds to zeros.
      int t = shape.dim(0);
      int w = shape.dim(1);
      float[] table = pe.forward(dev.nerve.tensor.Tensor.zeros(1, t, w), false).data();
      return op("Add", name, List.of(x, constant(name + ".table", table, t, w)));
    }
    if (l instanceof dev.nerve.nn.MultiHeadAttention a) {
      return attention(a, x, shape, name);
    }
    if (l instanceof dev.nerve.nn.TransformerEncoder block) {
      String y = x;
      Shape s = shape;
      List<Layer> inner = block.children();
      for (int i = 0; i < inner.size(); i++) {
        y = layer(inner.get(i), y, s, name + "." + i);
        s = inner.get(i).outputShape(s);
      }
      return y;
    }
    if (l instanceof Residual r) {
      String y = x;
      Shape s = shape;
      List<Layer> inner = r.children();
      for (int i = 0; i < inner.size(); i++) {
        y = layer(inner.get(i), y, s, name + "." + i);
        s = inner.get(i).outputShape(s);
      }
      return op("Add", name, List.of(x, y));
    }
    throw new IllegalArgumentException(
        "layer "
            + name.substring(1)
            + " "
            + l
            + " has no ONNX export yet (supported: dense, the activations, softmax, conv1d,"
            + " conv2d, the pools, flatten, batch_norm, layer_norm, dropout, identity, residual,"
            + " embedding, rnn, lstm, gru, multi_head_attention, positional_encoding,"
            + " transformer_encoder)");
  }

  /**
   * Self-attention composed of standard operators: the projection {@code x · W_inᵀ + b}, split into
   * queries, keys and values, each reshaped to {@code [batch, heads, time, d]}; {@code Softmax(Q Kᵀ
   * · 1/√d + mask)} (a causal layer adds −∞ above the diagonal); times V; the heads side by side
   * again; the output projection. The time length is the network's (fixed).
   */
  private String attention(dev.nerve.nn.MultiHeadAttention a, String x, Shape shape, String name) {
    int t = shape.dim(0);
    int w = a.width();
    int heads = a.heads();
    int d = w / heads;
    List<dev.nerve.nn.Parameter> ps = a.parameters();
    boolean bias = ps.size() == 4;
    String wIn =
        constant(
            name + ".in_proj_weight_t",
            Onnx.transpose(ps.get(0).value().data(), 3 * w, w),
            w,
            3L * w);
    String qkv = op("MatMul", name, List.of(x, wIn));
    if (bias) {
      qkv =
          op(
              "Add",
              name,
              List.of(qkv, constant(name + ".in_proj_bias", ps.get(1).value().data(), 3L * w)));
    }
    String q = fresh(name + ".q");
    String k = fresh(name + ".k");
    String v = fresh(name + ".v");
    Map<String, Onnx.Attribute> split = new LinkedHashMap<>();
    split.put("axis", Onnx.Attribute.of("axis", 2L));
    nodes.add(
        node(
            "Split",
            name + ".Split_" + counter,
            List.of(qkv, longs(name + ".split", w, w, w)),
            List.of(q, k, v),
            split));
    String heads4 = longs(name + ".heads", 0, 0, heads, d);
    String qh =
        op(
            "Transpose",
            name,
            List.of(op("Reshape", name, List.of(q, heads4))),
            Onnx.Attribute.of("perm", new long[] {0, 2, 1, 3}));
    String kt =
        op(
            "Transpose",
            name,
            List.of(op("Reshape", name, List.of(k, heads4))),
            Onnx.Attribute.of("perm", new long[] {0, 2, 3, 1}));
    String vh =
        op(
            "Transpose",
            name,
            List.of(op("Reshape", name, List.of(v, heads4))),
            Onnx.Attribute.of("perm", new long[] {0, 2, 1, 3}));
    String scores = op("MatMul", name, List.of(qh, kt));
    scores =
        op(
            "Mul",
            name,
            List.of(scores, constant(name + ".scale", new float[] {(float) (1.0 / Math.sqrt(d))})));
    if (a.causal()) {
      float[] mask = new float[t * t];
      for (int i = 0; i < t; i++) {
        for (int j = i + 1; j < t; j++) {
          mask[i * t + j] = Float.NEGATIVE_INFINITY;
        }
      }
      scores = op("Add", name, List.of(scores, constant(name + ".causal_mask", mask, t, t)));
    }
    String weights = op("Softmax", name, List.of(scores), Onnx.Attribute.of("axis", -1L));
    String mixed = op("MatMul", name, List.of(weights, vh));
    String back =
        op("Transpose", name, List.of(mixed), Onnx.Attribute.of("perm", new long[] {0, 2, 1, 3}));
    String joined = op("Reshape", name, List.of(back, longs(name + ".width", 0, 0, w)));
    int o = bias ? 2 : 1;
    String wOut =
        constant(name + ".out_proj_weight_t", Onnx.transpose(ps.get(o).value().data(), w, w), w, w);
    String y = op("MatMul", name, List.of(joined, wOut));
    if (bias) {
      y =
          op(
              "Add",
              name,
              List.of(y, constant(name + ".out_proj_bias", ps.get(3).value().data(), w)));
    }
    return y;
  }

  private String longs(String name, long... values) {
    initializers.add(Onnx.Tensor.ofLongs(name, values.clone(), values.length));
    return name;
  }

  /**
   * A recurrent layer as ONNX's {@code RNN}, {@code LSTM} or {@code GRU} over {@code [time, batch,
   * features]}: the input transposed to that layout, the weights with their gate blocks reordered
   * (PyTorch's and Nerve's LSTM i, f, g, o is ONNX's i, o, f, c; GRU r, z, n is z, r, h, with
   * {@code linear_before_reset} for PyTorch's form of the reset gate), and the output brought back
   * to Nerve's {@code [batch, time, directions·hidden]} or, for the last step, {@code [batch,
   * directions·hidden]}. A stateful layer is exported as it predicts from a reset state.
   */
  private String recurrent(dev.nerve.nn.Recurrent r, String x, String name) {
    String kind =
        r instanceof dev.nerve.nn.LSTM ? "LSTM" : r instanceof dev.nerve.nn.GRU ? "GRU" : "RNN";
    int gates = kind.equals("LSTM") ? 4 : kind.equals("GRU") ? 3 : 1;
    int[] order =
        kind.equals("LSTM")
            ? new int[] {0, 3, 1, 2}
            : kind.equals("GRU") ? new int[] {1, 0, 2} : new int[] {0};
    int h = r.hiddenSize();
    int in = r.inputSize();
    int dirs = r.bidirectional() ? 2 : 1;
    float[] w = new float[dirs * gates * h * in];
    float[] rr = new float[dirs * gates * h * h];
    float[] b = r.hasBias() ? new float[dirs * 2 * gates * h] : null;
    java.util.List<dev.nerve.nn.Parameter> ps = r.parameters();
    int per = r.hasBias() ? 4 : 2;
    for (int d = 0; d < dirs; d++) {
      float[] wih = ps.get(d * per).value().data();
      float[] whh = ps.get(d * per + 1).value().data();
      for (int g = 0; g < gates; g++) {
        int src = order[g];
        System.arraycopy(wih, src * h * in, w, (d * gates + g) * h * in, h * in);
        System.arraycopy(whh, src * h * h, rr, (d * gates + g) * h * h, h * h);
        if (b != null) {
          float[] bih = ps.get(d * per + 2).value().data();
          float[] bhh = ps.get(d * per + 3).value().data();
          System.arraycopy(bih, src * h, b, d * 2 * gates * h + g * h, h);
          System.arraycopy(bhh, src * h, b, d * 2 * gates * h + gates * h + g * h, h);
        }
      }
    }
    String seq = op("Transpose", name, List.of(x), Onnx.Attribute.of("perm", new long[] {1, 0, 2}));
    List<String> inputs = new ArrayList<>();
    inputs.add(seq);
    inputs.add(constant(name + ".W", w, dirs, (long) gates * h, in));
    inputs.add(constant(name + ".R", rr, dirs, (long) gates * h, h));
    if (b != null) {
      inputs.add(constant(name + ".B", b, dirs, 2L * gates * h));
    }
    List<Onnx.Attribute> attrs = new ArrayList<>();
    attrs.add(Onnx.Attribute.of("hidden_size", (long) h));
    if (dirs == 2) {
      attrs.add(Onnx.Attribute.ofString("direction", "bidirectional"));
    }
    if (kind.equals("GRU")) {
      attrs.add(Onnx.Attribute.of("linear_before_reset", 1L));
    }
    if (kind.equals("RNN")) {
      String nl =
          String.valueOf(
              dev.nerve.nn.LayerTypes.toJson(dev.nerve.nn.LayerTypes.describe(r))
                  .get("nonlinearity"));
      String act = nl.equals("relu") ? "Relu" : "Tanh";
      attrs.add(
          dirs == 2
              ? Onnx.Attribute.ofStrings("activations", act, act)
              : Onnx.Attribute.ofStrings("activations", act));
    }
    String all = fresh(name + "." + kind + ".Y");
    String last = fresh(name + "." + kind + ".Y_h");
    Map<String, Onnx.Attribute> a = new LinkedHashMap<>();
    for (Onnx.Attribute at : attrs) {
      a.put(at.name(), at);
    }
    nodes.add(node(kind, name + "." + kind + "_" + counter, inputs, List.of(all, last), a));
    if (r.returnSequences()) {
      // Y [time, dirs, batch, hidden] -> [batch, time, dirs, hidden] -> [batch, time, dirs·hidden]
      String t =
          op("Transpose", name, List.of(all), Onnx.Attribute.of("perm", new long[] {2, 0, 1, 3}));
      return op("Reshape", name, List.of(t, longs(name + ".shape", 0, 0, -1)));
    }
    // Y_h [dirs, batch, hidden] -> [batch, dirs, hidden] -> [batch, dirs·hidden]
    String t =
        op("Transpose", name, List.of(last), Onnx.Attribute.of("perm", new long[] {1, 0, 2}));
    return op("Reshape", name, List.of(t, longs(name + ".shape", 0, -1)));
  }

  private String conv(
      String name,
      String x,
      float[] w,
      long[] wDims,
      float[] bias,
      int rank,
      int kernel,
      int stride,
      int padding,
      int dilation,
      int groups) {
    List<String> in = new ArrayList<>(List.of(x, constant(name + ".weight", w, wDims)));
    if (bias != null) {
      in.add(constant(name + ".bias", bias, bias.length));
    }
    return op(
        "Conv",
        name,
        in,
        Onnx.Attribute.of("kernel_shape", fill(rank, kernel)),
        Onnx.Attribute.of("strides", fill(rank, stride)),
        Onnx.Attribute.of("pads", fill(2 * rank, padding)),
        Onnx.Attribute.of("dilations", fill(rank, dilation)),
        Onnx.Attribute.of("group", (long) groups));
  }

  private String pool(
      boolean max, String name, String x, int rank, int kernel, int stride, int padding) {
    List<Onnx.Attribute> a = new ArrayList<>();
    a.add(Onnx.Attribute.of("kernel_shape", fill(rank, kernel)));
    a.add(Onnx.Attribute.of("strides", fill(rank, stride)));
    a.add(Onnx.Attribute.of("pads", fill(2 * rank, padding)));
    if (!max) {
      a.add(Onnx.Attribute.of("count_include_pad", 1L)); // Nerve counts padding as zeros
    }
    return op(max ? "MaxPool" : "AveragePool", name, List.of(x), a.toArray(new Onnx.Attribute[0]));
  }
}
