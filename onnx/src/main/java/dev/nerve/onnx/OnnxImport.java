package dev.nerve.onnx;

import dev.nerve.data.Normalizer;
import dev.nerve.io.FormatException;
import dev.nerve.io.Json;
import dev.nerve.io.ModelFile;
import dev.nerve.io.ModelSpec;
import dev.nerve.nn.AvgPool1d;
import dev.nerve.nn.AvgPool2d;
import dev.nerve.nn.BatchNorm;
import dev.nerve.nn.Conv1d;
import dev.nerve.nn.Conv2d;
import dev.nerve.nn.Dense;
import dev.nerve.nn.ELU;
import dev.nerve.nn.Flatten;
import dev.nerve.nn.GELU;
import dev.nerve.nn.GlobalAvgPool1d;
import dev.nerve.nn.GlobalAvgPool2d;
import dev.nerve.nn.GlobalMaxPool1d;
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
import dev.nerve.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX graph as a Nerve network that predicts and can be trained further. The graph must be one
 * chain from its input to its output (with residual additions allowed) of the operators Nerve's
 * layers are: {@code Gemm} (any {@code transB}), {@code MatMul} + {@code Add}, {@code Conv} (1-D,
 * or 2-D with square kernels), {@code MaxPool}, {@code AveragePool}, {@code GlobalAveragePool},
 * {@code Flatten} and the {@code Reshape} to {@code [batch, -1]}, {@code Relu}, {@code Sigmoid},
 * {@code Tanh}, {@code LeakyRelu}, {@code Elu}, {@code Softplus}, {@code Softmax} (last axis),
 * {@code Gelu} (and its {@code Erf} form), SiLU ({@code x · Sigmoid(x)}), {@code
 * BatchNormalization}, {@code LayerNormalization}, {@code ReduceMean} / {@code ReduceMax} over
 * time, {@code Cast} + {@code Gather} (an embedding), {@code RNN} / {@code LSTM} / {@code GRU} in
 * the forms Nerve's and PyTorch's exports write them (no sequence lengths; a zero initial state),
 * self-attention and positional encodings in the form Nerve's export writes them, {@code Identity},
 * {@code Dropout}, {@code Constant}, and {@code Sub} + {@code Mul} by constants at the front (a
 * normalisation). Anything else is refused with the list of unsupported operators and their node
 * names: never a partial model.
 *
 * <p>A model Nerve exported comes back as it was: the same network description (dropout layers
 * included), the same weight bytes, its normalisation and metadata.
 */
public final class OnnxImport {
  private OnnxImport() {}

  /**
   * Reads and converts an ONNX file.
   *
   * @throws OnnxFormatException (exit 3 on the command line) naming the problem
   * @throws IOException if the file cannot be read
   */
  public static ModelFile read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > Onnx.MAX_BYTES) {
      throw new OnnxFormatException(file + ": " + size + " bytes, more than this reader takes");
    }
    return read(Files.readAllBytes(file), file.toString());
  }

  /** {@link #read(Path)} of bytes, {@code source} naming them in messages. */
  public static ModelFile read(byte[] bytes, String source) throws OnnxFormatException {
    Onnx.Model m;
    try {
      m = Onnx.read(bytes);
    } catch (OnnxFormatException e) {
      throw new OnnxFormatException(source + ": not a readable ONNX model: " + e.getMessage());
    }
    try {
      return convert(m);
    } catch (OnnxFormatException e) {
      throw new OnnxFormatException(source + ": " + e.getMessage());
    }
  }

  /**
   * {@code m} as a model file.
   *
   * @throws OnnxFormatException naming unsupported operators, a graph that is not a chain, a cycle,
   *     shapes the layers cannot take, or damaged metadata
   */
  public static ModelFile convert(Onnx.Model m) throws OnnxFormatException {
    try {
      return new Converter(m).run();
    } catch (IllegalArgumentException e) {
      // A size or setting no layer takes (a zero width, a kernel larger than its input), damaged
      // JSON in the metadata: the file's fault, said as such.
      throw new OnnxFormatException("a model Nerve cannot build: " + e.getMessage());
    } catch (IndexOutOfBoundsException e) {
      throw new OnnxFormatException("a node lacks an input it needs (" + e.getMessage() + ")");
    }
  }

  /** The walk along the graph. */
  private static final class Converter {
    private final Onnx.Model model;
    private final Onnx.Graph g;
    private final Map<String, Onnx.Tensor> constants = new HashMap<>();
    private final Map<String, String> alias = new HashMap<>();

    /** The chain's values: name → how many layers came before it. */
    private final Map<String, Integer> chain = new HashMap<>();

    private final List<Layer> layers = new ArrayList<>();
    private final List<Shape> shapes = new ArrayList<>();
    private final List<String> unsupported = new ArrayList<>();
    private final java.util.Set<String> zeros = new java.util.HashSet<>();
    private final java.util.Set<Integer> ignorable = new java.util.HashSet<>();
    private String current;
    private Shape shape;
    private float[] normOffset;
    private float[] normFactor;
    private boolean normalizing;

    Converter(Onnx.Model model) {
      this.model = model;
      this.g = model.graph();
    }

    private String resolve(String v) {
      String r = v;
      while (alias.containsKey(r)) {
        r = alias.get(r);
      }
      return r;
    }

    private Onnx.Tensor constant(Onnx.Node n, int input) throws OnnxFormatException {
      if (n.inputs().size() <= input || n.inputs().get(input).isEmpty()) {
        return null;
      }
      Onnx.Tensor t = constants.get(resolve(n.inputs().get(input)));
      if (t == null) {
        throw new OnnxFormatException(
            n.describe()
                + ": input "
                + input
                + " ('"
                + n.inputs().get(input)
                + "') must be a"
                + " constant weight, not a value computed by the graph");
      }
      return t;
    }

    /** Like {@link #constant}, for an input the operator cannot do without. */
    private Onnx.Tensor required(Onnx.Node n, int input) throws OnnxFormatException {
      Onnx.Tensor t = constant(n, input);
      if (t == null) {
        throw new OnnxFormatException(n.describe() + ": input " + input + " is missing");
      }
      return t;
    }

    private static float[] floats(Onnx.Tensor t, Onnx.Node n) throws OnnxFormatException {
      if (t.floats() == null) {
        throw new OnnxFormatException(n.describe() + ": tensor '" + t.name() + "' is not float");
      }
      return t.floats();
    }

    private boolean isCurrent(Onnx.Node n, int input) {
      return n.inputs().size() > input && resolve(n.inputs().get(input)).equals(current);
    }

    ModelFile run() throws OnnxFormatException {
      for (Onnx.Tensor t : g.initializers()) {
        constants.put(t.name(), t);
      }
      Onnx.ValueInfo input = null;
      for (Onnx.ValueInfo v : g.inputs()) {
        if (!constants.containsKey(v.name())) {
          if (input != null) {
            throw new OnnxFormatException(
                "the graph has more than one input ('"
                    + input.name()
                    + "', '"
                    + v.name()
                    + "'); a Nerve network has one");
          }
          input = v;
        }
      }
      if (input == null) {
        throw new OnnxFormatException("the graph has no input");
      }
      if (input.elemType() != Onnx.FLOAT
          && input.elemType() != Onnx.INT64
          && input.elemType() != Onnx.INT32) {
        throw new OnnxFormatException(
            "input '"
                + input.name()
                + "' has element type "
                + input.elemType()
                + "; Nerve reads float inputs (or integer token ids)");
      }
      if (input.dims().size() < 2) {
        throw new OnnxFormatException(
            "input '"
                + input.name()
                + "' has shape "
                + input.dims()
                + "; Nerve needs [batch, features...]");
      }
      int[] dims = new int[input.dims().size() - 1];
      for (int i = 0; i < dims.length; i++) {
        Object d = input.dims().get(i + 1);
        if (!(d instanceof Long l) || l < 1 || l > Integer.MAX_VALUE) {
          throw new OnnxFormatException(
              "input '"
                  + input.name()
                  + "' has shape "
                  + input.dims()
                  + "; every dimension but the batch must be a fixed size");
        }
        dims[i] = (int) (long) l;
      }
      long values = 1;
      for (int d : dims) {
        values *= d;
        if (values > dev.nerve.nn.LayerType.MAX_ACTIVATION) {
          throw new OnnxFormatException(
              "input '"
                  + input.name()
                  + "' has shape "
                  + input.dims()
                  + ": more than "
                  + dev.nerve.nn.LayerType.MAX_ACTIVATION
                  + " values per example");
        }
      }
      Shape inShape = Shape.of(dims);
      current = input.name();
      shape = inShape;
      chain.put(current, 0);
      List<Onnx.Node> nodes = g.nodes();
      // ONNX keeps nodes in an order where every value is made before it is read; a graph that
      // breaks it has a cycle or a dangling name.
      java.util.Set<String> known = new java.util.HashSet<>(constants.keySet());
      known.add(input.name());
      for (Onnx.Node n : nodes) {
        if (n.outputs().isEmpty() || n.outputs().get(0).isEmpty()) {
          throw new OnnxFormatException(n.describe() + " has no output");
        }
        for (String in : n.inputs()) {
          if (!in.isEmpty() && !known.contains(in)) {
            throw new OnnxFormatException(
                n.describe()
                    + " reads '"
                    + in
                    + "', which no earlier node makes: the graph has a"
                    + " cycle, is not in order, or names a missing value");
          }
        }
        known.addAll(n.outputs());
      }
      findZeroStates(nodes);
      for (int i = 0; i < nodes.size(); i++) {
        i = visit(nodes, i);
      }
      if (!unsupported.isEmpty()) {
        throw new OnnxFormatException(
            "unsupported operators: " + String.join(", ", unsupported) + " (nothing was built)");
      }
      if (g.outputs().size() != 1) {
        throw new OnnxFormatException(
            "the graph has " + g.outputs().size() + " outputs; a Nerve network has one");
      }
      String out = resolve(g.outputs().get(0).name());
      if (!out.equals(current)) {
        throw new OnnxFormatException(
            "the output '"
                + g.outputs().get(0).name()
                + "' is not the end of the chain of layers"
                + " that starts at the input");
      }
      if (layers.isEmpty()) {
        throw new OnnxFormatException("the graph computes nothing Nerve has a layer for");
      }
      return file(inShape);
    }

    /**
     * Converts node {@code i} as {@link #step} does. Once a node has been refused nothing is built,
     * but the rest of the graph is still read so that the refusal lists every unsupported operator
     * at once: the chain moves on through a refused node's output, errors past it are ignored (its
     * shapes mean nothing), and a later node's complaint that it does not read the chain (a
     * consequence of the first refusal) is dropped.
     */
    private int visit(List<Onnx.Node> nodes, int i) throws OnnxFormatException {
      Onnx.Node n = nodes.get(i);
      boolean reads = isCurrent(n, 0) || isCurrent(n, 1);
      int before = unsupported.size();
      int end = i;
      if (before == 0) {
        end = step(nodes, i);
      } else {
        try {
          end = step(nodes, i);
        } catch (OnnxFormatException | RuntimeException e) {
          end = i;
        }
      }
      if (unsupported.size() > before) {
        if (!reads && before > 0) {
          unsupported.remove(unsupported.size() - 1);
        } else if (reads && !n.outputs().isEmpty()) {
          current = n.outputs().get(0);
        }
      }
      return end;
    }

    /** Converts node {@code i} (and any it consumes with it); returns the last index used. */
    private int step(List<Onnx.Node> nodes, int i) throws OnnxFormatException {
      Onnx.Node n = nodes.get(i);
      Onnx.Node next = i + 1 < nodes.size() ? nodes.get(i + 1) : null;
      String op = n.opType();
      if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
        unsupported.add(op + " '" + n.name() + "' (domain " + n.domain() + ")");
        return i;
      }
      if (ignorable.contains(i)) {
        return i; // part of a state of zeros computed from the batch size
      }
      if (op.equals("Constant")) {
        Onnx.Attribute v = n.attributes().get("value");
        if (v == null || v.t() == null) {
          unsupported.add("Constant '" + n.name() + "' (not a tensor value)");
          return i;
        }
        constants.put(n.outputs().get(0), v.t());
        return i;
      }
      if (n.inputs().isEmpty() || !isCurrent(n, 0) && !isCurrent(n, 1)) {
        if (op.equals("Shape")
            || op.equals("Gather")
            || op.equals("Unsqueeze")
            || op.equals("Concat")) {
          // Shape arithmetic on constants (an exporter's Reshape target): computed only if Nerve
          // needs it, which the Reshape below refuses.
          unsupported.add(op + " '" + n.name() + "'");
          return i;
        }
        unsupported.add(op + " '" + n.name() + "' (does not read the chain's value)");
        return i;
      }
      switch (op) {
        case "Identity", "Dropout" -> {
          alias.put(n.outputs().get(0), current);
          return i;
        }
        case "Pad" -> {
          // PyTorch writes a Pad of zeros before an average pool: nothing to do.
          Onnx.Tensor pads = constant(n, 1);
          boolean none = pads != null && pads.longs() != null;
          for (long p : none ? pads.longs() : new long[0]) {
            none &= p == 0;
          }
          if (none) {
            alias.put(n.outputs().get(0), current);
            return i;
          }
        }
        case "Sub" -> {
          if (layers.isEmpty()
              && normOffset == null
              && constants.containsKey(resolve(n.inputs().get(1)))) {
            normOffset = floats(constant(n, 1), n);
            normalizing = true;
            advance(n);
            return i;
          }
        }
        case "Mul" -> {
          if (normalizing
              && normFactor == null
              && layers.isEmpty()
              && constants.containsKey(resolve(n.inputs().get(1)))) {
            normFactor = floats(constant(n, 1), n);
            normalizing = false;
            advance(n);
            return i;
          }
          if (isGelu(nodes, i)) {
            add(new GELU(), nodes.get(i + 4));
            return i + 4;
          }
        }
        case "Cast" -> {
          // Token ids: Nerve's inputs are floats, ONNX's Gather wants integers.
          if (layers.isEmpty() && (n.i("to", 0) == Onnx.INT64 || n.i("to", 0) == Onnx.INT32)) {
            alias.put(n.outputs().get(0), current);
            return i;
          }
        }
        case "Gather" -> {
          if (isCurrent(n, 1) && n.i("axis", 0) == 0) {
            Onnx.Tensor w = required(n, 0);
            if (w.dims().length != 2 || shape.rank() != 1) {
              throw new OnnxFormatException(
                  n.describe()
                      + ": an embedding needs a [vocabulary, width] table and token ids"
                      + " [batch, time]");
            }
            dev.nerve.nn.Embedding e =
                new dev.nerve.nn.Embedding((int) w.dims()[0], (int) w.dims()[1]);
            copy(e.parameters().get(0), floats(w, n), n);
            add(e, n);
            return i;
          }
        }
        case "Transpose" -> {
          long[] perm = n.ints("perm", null);
          if (perm != null
              && java.util.Arrays.equals(perm, new long[] {1, 0, 2})
              && next != null
              && List.of("RNN", "LSTM", "GRU").contains(next.opType())
              && !next.inputs().isEmpty()
              && next.inputs().get(0).equals(n.outputs().get(0))) {
            return recurrent(nodes, i);
          }
        }
        case "MatMul" -> {
          int end = attention(nodes, i);
          if (end >= 0) {
            return end;
          }
          Onnx.Tensor w = required(n, 1);
          return dense(n, floats(w, n), w.dims(), false, next, i);
        }
        case "Gemm" -> {
          if (n.i("transA", 0) != 0 || n.f("alpha", 1f) != 1f || n.f("beta", 1f) != 1f) {
            unsupported.add("Gemm '" + n.name() + "' (transA, alpha or beta other than 0, 1, 1)");
            return i;
          }
          Onnx.Tensor w = required(n, 1);
          float[] wd = floats(w, n);
          long[] wdims = w.dims();
          if (n.i("transB", 0) != 0 && wdims.length == 2) {
            wd = Onnx.transpose(wd, (int) wdims[0], (int) wdims[1]);
            wdims = new long[] {wdims[1], wdims[0]};
          }
          Onnx.Tensor c = constant(n, 2);
          Dense d = denseOf(n, wd, wdims, c == null ? null : floats(c, n));
          add(d, n);
          return i;
        }
        case "Conv" -> {
          conv(n);
          return i;
        }
        case "MaxPool", "AveragePool" -> {
          pool(n);
          return i;
        }
        case "GlobalAveragePool" -> {
          if (shape.rank() == 3) {
            add(new GlobalAvgPool2d(), n);
          } else if (shape.rank() == 2) {
            add(new GlobalAvgPool1d(), n);
          } else {
            unsupported.add("GlobalAveragePool '" + n.name() + "' on " + shape);
            return i;
          }
          // ONNX keeps [N, C, 1, 1]; Nerve's pool gives [N, C], which the following flatten or
          // reshape then leaves as it is.
          return i;
        }
        case "Flatten" -> {
          if (n.i("axis", 1) != 1) {
            unsupported.add("Flatten '" + n.name() + "' (axis " + n.i("axis", 1) + ")");
            return i;
          }
          flatten(n);
          return i;
        }
        case "Reshape" -> {
          Onnx.Tensor t = required(n, 1);
          long[] to = t.longs();
          long size = shape.size();
          boolean flat =
              to != null
                  && to.length == 2
                  && (to[0] == -1 || to[0] == 0 || to[1] == size)
                  && (to[1] == -1 || to[1] == size);
          if (!flat) {
            unsupported.add("Reshape '" + n.name() + "' (only to [batch, -1] is supported)");
            return i;
          }
          flatten(n);
          return i;
        }
        case "Relu" -> {
          add(new ReLU(), n);
          return i;
        }
        case "Sigmoid" -> {
          if (next != null
              && next.opType().equals("Mul")
              && next.inputs().size() == 2
              && next.inputs().contains(n.outputs().get(0))
              && next.inputs().contains(current)) {
            add(new SiLU(), next);
            return i + 1;
          }
          add(new Sigmoid(), n);
          return i;
        }
        case "Tanh" -> {
          add(new Tanh(), n);
          return i;
        }
        case "LeakyRelu" -> {
          add(new LeakyReLU(n.f("alpha", 0.01f)), n);
          return i;
        }
        case "Elu" -> {
          add(new ELU(n.f("alpha", 1f)), n);
          return i;
        }
        case "Softplus" -> {
          add(new Softplus(), n);
          return i;
        }
        case "Gelu" -> {
          if (!n.s("approximate", "none").equals("none")) {
            unsupported.add("Gelu '" + n.name() + "' (tanh approximation)");
            return i;
          }
          add(new GELU(), n);
          return i;
        }
        case "Softmax" -> {
          // Before opset 13 the default axis is 1, and the softmax runs over everything after it.
          long axis = n.i("axis", model.opset() < 13 ? 1 : -1);
          if (axis != -1 && axis != shape.rank()) {
            unsupported.add("Softmax '" + n.name() + "' (axis " + axis + ", not the last)");
            return i;
          }
          add(new Softmax(), n);
          return i;
        }
        case "BatchNormalization" -> {
          batchNorm(n);
          return i;
        }
        case "LayerNormalization" -> {
          long axis = n.i("axis", -1);
          if (axis != -1 && axis != shape.rank()) {
            unsupported.add("LayerNormalization '" + n.name() + "' (axis " + axis + ")");
            return i;
          }
          float[] gamma = floats(required(n, 1), n);
          Onnx.Tensor b = constant(n, 2);
          if (gamma.length != shape.dim(-1)) {
            throw new OnnxFormatException(
                n.describe() + ": a scale of " + gamma.length + " values for rows of " + shape);
          }
          LayerNorm ln = new LayerNorm(shape.dim(-1), n.f("epsilon", 1e-5f), true);
          copy(ln.parameters().get(0), gamma, n);
          copy(ln.parameters().get(1), b == null ? new float[gamma.length] : floats(b, n), n);
          add(ln, n);
          return i;
        }
        case "ReduceMean", "ReduceMax" -> {
          long[] axes = n.ints("axes", null);
          if (shape.rank() != 2 || axes == null || axes.length != 1 || n.i("keepdims", 1) != 0) {
            unsupported.add(op + " '" + n.name() + "' (only over one axis of [batch, a, b])");
            return i;
          }
          long axis = axes[0] < 0 ? axes[0] + 3 : axes[0]; // [batch, a, b]
          if (axis != 1 && axis != 2) {
            unsupported.add(op + " '" + n.name() + "' (over axis " + axes[0] + ", not time)");
            return i;
          }
          boolean last = axis == 1;
          boolean max = op.equals("ReduceMax");
          add(max ? new GlobalMaxPool1d(last) : new GlobalAvgPool1d(last), n);
          return i;
        }
        case "Add" -> {
          if (residual(n)) {
            return i;
          }
          if (positions(n)) {
            return i;
          }
        }
        default -> {}
      }
      unsupported.add(op + " '" + n.name() + "'");
      return i;
    }

    /**
     * {@code Transpose, RNN|LSTM|GRU, Transpose, Reshape} as Nerve's export writes a recurrent
     * layer (time-major inside, Nerve's batch-major layout outside): one layer, its gate blocks put
     * back in PyTorch's order. Returns the index of the last node used.
     */
    private int recurrent(List<Onnx.Node> nodes, int i) throws OnnxFormatException {
      Onnx.Node rnn = nodes.get(i + 1);
      String kind = rnn.opType();
      // How the output comes back to Nerve's layout: Nerve's own export (Transpose + Reshape of Y
      // or Y_h), or PyTorch's for one direction (Y_h by Gather or Squeeze of axis 0; Y by Squeeze
      // of
      // axis 1 and Transpose).
      Tail tail = tail(nodes, i + 1);
      if (tail == null) {
        unsupported.add(
            kind
                + " '"
                + rnn.name()
                + "' (its output does not come back to [batch, ...] in a form"
                + " this reader knows)");
        return i + 1;
      }
      boolean all = tail.all();
      Onnx.Node reshape = nodes.get(tail.end());
      if (rnn.inputs().size() > 4 && !rnn.inputs().get(4).isEmpty()
          || !zeroState(rnn, 5)
          || !zeroState(rnn, 6)) {
        unsupported.add(kind + " '" + rnn.name() + "' (sequence lengths or an initial state)");
        return tail.end();
      }
      boolean peepholes = rnn.inputs().size() > 7 && !rnn.inputs().get(7).isEmpty();
      String acts = rnn.s("activations", null);
      String defaults =
          kind.equals("RNN")
              ? null
              : kind.equals("LSTM") ? "Sigmoid\u0000Tanh\u0000Tanh" : "Sigmoid\u0000Tanh";
      boolean plainActs =
          acts == null
              || kind.equals("RNN")
              || acts.equals(defaults)
              || acts.equals(defaults + "\u0000" + defaults);
      if (peepholes
          || rnn.i("input_forget", 0) != 0
          || rnn.attributes().containsKey("clip")
          || rnn.attributes().containsKey("activation_alpha")
          || rnn.attributes().containsKey("activation_beta")
          || rnn.i("layout", 0) != 0
          || !plainActs) {
        unsupported.add(
            kind
                + " '"
                + rnn.name()
                + "' (peepholes, input_forget, clip, other activations or"
                + " layout 1)");
        return tail.end();
      }
      int gates = kind.equals("LSTM") ? 4 : kind.equals("GRU") ? 3 : 1;
      int[] order =
          kind.equals("LSTM")
              ? new int[] {0, 3, 1, 2}
              : kind.equals("GRU") ? new int[] {1, 0, 2} : new int[] {0};
      int h = (int) rnn.i("hidden_size", 0);
      String direction = rnn.s("direction", "forward");
      if (direction.equals("reverse") || h < 1) {
        unsupported.add(
            kind + " '" + rnn.name() + "' (direction " + direction + ", hidden_size " + h + ")");
        return tail.end();
      }
      if (kind.equals("GRU") && rnn.i("linear_before_reset", 0) != 1) {
        unsupported.add(
            "GRU '" + rnn.name() + "' (linear_before_reset 0; Nerve's GRU is PyTorch's, 1)");
        return tail.end();
      }
      boolean relu = false;
      if (kind.equals("RNN")) {
        String act = rnn.s("activations", "Tanh");
        relu = act.startsWith("Relu");
        if (!relu && !act.startsWith("Tanh")) {
          unsupported.add("RNN '" + rnn.name() + "' (activation " + act + ")");
          return tail.end();
        }
      }
      if (shape.rank() != 2) {
        throw new OnnxFormatException(
            rnn.describe() + ": needs sequences [time, features], got " + shape);
      }
      int dirs = direction.equals("bidirectional") ? 2 : 1;
      int in = shape.dim(1);
      float[] w = floats(required(rnn, 1), rnn);
      float[] r = floats(required(rnn, 2), rnn);
      Onnx.Tensor bt = constant(rnn, 3);
      float[] b = bt == null ? null : floats(bt, rnn);
      long gh = (long) gates * h;
      if (w.length != dirs * gh * in
          || r.length != dirs * gh * h
          || b != null && b.length != dirs * 2 * gh
          || !java.util.Arrays.equals(required(rnn, 1).dims(), new long[] {dirs, gh, in})
          || !java.util.Arrays.equals(required(rnn, 2).dims(), new long[] {dirs, gh, h})) {
        throw new OnnxFormatException(
            rnn.describe()
                + ": weights of the wrong size for "
                + dirs
                + " direction(s), "
                + gates
                + " gate(s), hidden "
                + h
                + " and input "
                + in);
      }
      dev.nerve.nn.Recurrent.Common c =
          new dev.nerve.nn.Recurrent.Common(h, all, dirs == 2, b != null, false);
      dev.nerve.nn.Recurrent layer =
          kind.equals("LSTM")
              ? new dev.nerve.nn.LSTM(in, c)
              : kind.equals("GRU")
                  ? new dev.nerve.nn.GRU(in, c)
                  : new dev.nerve.nn.RNN(in, c, relu);
      List<Parameter> ps = layer.parameters();
      int per = b != null ? 4 : 2;
      for (int d = 0; d < dirs; d++) {
        float[] wih = ps.get(d * per).value().data();
        float[] whh = ps.get(d * per + 1).value().data();
        for (int g = 0; g < gates; g++) {
          int dst = order[g];
          System.arraycopy(w, (d * gates + g) * h * in, wih, dst * h * in, h * in);
          System.arraycopy(r, (d * gates + g) * h * h, whh, dst * h * h, h * h);
          if (b != null) {
            System.arraycopy(
                b, d * 2 * gates * h + g * h, ps.get(d * per + 2).value().data(), dst * h, h);
            System.arraycopy(
                b,
                d * 2 * gates * h + gates * h + g * h,
                ps.get(d * per + 3).value().data(),
                dst * h,
                h);
          }
        }
      }
      add(layer, reshape);
      return tail.end();
    }

    /** Where a recurrent node's output ends its way back to [batch, ...]: the last node's index. */
    private record Tail(boolean all, int end) {}

    private Tail tail(List<Onnx.Node> nodes, int at) {
      Onnx.Node rnn = nodes.get(at);
      boolean one = !rnn.s("direction", "forward").equals("bidirectional");
      String y = rnn.outputs().get(0);
      String yh = rnn.outputs().size() > 1 ? rnn.outputs().get(1) : "";
      Onnx.Node a = at + 1 < nodes.size() ? nodes.get(at + 1) : null;
      Onnx.Node b = at + 2 < nodes.size() ? nodes.get(at + 2) : null;
      if (a == null || a.inputs().isEmpty()) {
        return null;
      }
      String in = a.inputs().get(0);
      boolean fromY = in.equals(y) && !y.isEmpty();
      boolean fromYh = in.equals(yh) && !yh.isEmpty();
      boolean next =
          b != null && !b.inputs().isEmpty() && b.inputs().get(0).equals(a.outputs().get(0));
      long[] perm = a.ints("perm", null);
      if (a.opType().equals("Transpose") && next && b.opType().equals("Reshape")) {
        if (fromY && java.util.Arrays.equals(perm, new long[] {2, 0, 1, 3})) {
          return new Tail(true, at + 2);
        }
        if (fromYh && java.util.Arrays.equals(perm, new long[] {1, 0, 2})) {
          return new Tail(false, at + 2);
        }
      }
      if (one && fromYh && a.opType().equals("Gather") && a.i("axis", 0) == 0) {
        Onnx.Tensor idx = a.inputs().size() > 1 ? constants.get(resolve(a.inputs().get(1))) : null;
        if (idx != null
            && idx.longs() != null
            && idx.longs().length == 1
            && idx.dims().length == 0
            && (idx.longs()[0] == 0 || idx.longs()[0] == -1)) {
          return new Tail(false, at + 1);
        }
      }
      if (one && a.opType().equals("Squeeze") && (fromYh || fromY)) {
        long[] axes = a.ints("axes", null);
        if (axes == null && a.inputs().size() > 1) {
          Onnx.Tensor t = constants.get(resolve(a.inputs().get(1)));
          axes = t == null ? null : t.longs();
        }
        if (fromYh && axes != null && axes.length == 1 && axes[0] == 0) {
          return new Tail(false, at + 1);
        }
        if (fromY
            && axes != null
            && axes.length == 1
            && axes[0] == 1
            && next
            && b.opType().equals("Transpose")
            && java.util.Arrays.equals(b.ints("perm", null), new long[] {1, 0, 2})) {
          return new Tail(true, at + 2);
        }
      }
      return null;
    }

    /** Whether input {@code k} of a recurrent node is absent or a state of zeros. */
    private boolean zeroState(Onnx.Node rnn, int k) {
      if (rnn.inputs().size() <= k || rnn.inputs().get(k).isEmpty()) {
        return true;
      }
      String v = resolve(rnn.inputs().get(k));
      if (zeros.contains(v)) {
        return true;
      }
      Onnx.Tensor t = constants.get(v);
      if (t == null || t.floats() == null) {
        return false;
      }
      for (float f : t.floats()) {
        if (f != 0f) {
          return false;
        }
      }
      return true;
    }

    /**
     * An {@code Add} of a constant table {@code [time, width]} to sequences of that shape: a
     * positional encoding (sinusoidal if the table is exactly the sinusoids, else learned, with as
     * many rows as the sequence has steps).
     */
    private boolean positions(Onnx.Node n) throws OnnxFormatException {
      if (n.inputs().size() != 2 || shape.rank() != 2) {
        return false;
      }
      String other =
          resolve(n.inputs().get(0)).equals(current) ? n.inputs().get(1) : n.inputs().get(0);
      Onnx.Tensor t = constants.get(resolve(other));
      if (t == null
          || t.floats() == null
          || t.dims().length != 2
          || t.dims()[0] != shape.dim(0)
          || t.dims()[1] != shape.dim(1)) {
        return false;
      }
      int steps = shape.dim(0);
      int width = shape.dim(1);
      dev.nerve.nn.PositionalEncoding sin =
          new dev.nerve.nn.PositionalEncoding(width, steps, false);
      float[] table = sin.forward(dev.nerve.tensor.Tensor.zeros(1, steps, width), false).data();
      if (java.util.Arrays.equals(table, t.floats())) {
        add(sin, n);
      } else {
        dev.nerve.nn.PositionalEncoding learned =
            new dev.nerve.nn.PositionalEncoding(width, steps, true);
        copy(learned.parameters().get(0), t.floats(), n);
        add(learned, n);
      }
      return true;
    }

    private Onnx.Node at(List<Onnx.Node> nodes, int k, String op) {
      return k < nodes.size() && nodes.get(k).opType().equals(op) ? nodes.get(k) : null;
    }

    private static boolean reads(Onnx.Node n, int input, Onnx.Node from) {
      return n != null
          && from != null
          && n.inputs().size() > input
          && n.inputs().get(input).equals(from.outputs().get(0));
    }

    /**
     * Self-attention in the form Nerve's export writes it, from the input projection's {@code
     * MatMul} at {@code i} to the output projection: one {@link dev.nerve.nn.MultiHeadAttention}.
     * Returns the index of its last node, or −1 if the nodes from {@code i} are not that form.
     */
    private int attention(List<Onnx.Node> nodes, int i) throws OnnxFormatException {
      if (shape.rank() != 2) {
        return -1;
      }
      int k = i;
      Onnx.Node proj = nodes.get(k++);
      Onnx.Node inBias = at(nodes, k, "Add");
      if (inBias != null && reads(inBias, 0, proj)) {
        k++;
      } else {
        inBias = null;
      }
      Onnx.Node split = at(nodes, k++, "Split");
      if (split == null
          || split.outputs().size() != 3
          || !split.inputs().get(0).equals((inBias != null ? inBias : proj).outputs().get(0))) {
        return -1;
      }
      Onnx.Node[] heads = new Onnx.Node[6];
      for (int j = 0; j < 6; j++) {
        heads[j] = at(nodes, k++, j % 2 == 0 ? "Reshape" : "Transpose");
        if (heads[j] == null) {
          return -1;
        }
      }
      Onnx.Node scores = at(nodes, k++, "MatMul");
      Onnx.Node scale = at(nodes, k++, "Mul");
      Onnx.Node mask = at(nodes, k, "Add");
      if (mask != null && reads(mask, 0, scale)) {
        k++;
      } else {
        mask = null;
      }
      Onnx.Node softmax = at(nodes, k++, "Softmax");
      Onnx.Node mix = at(nodes, k++, "MatMul");
      Onnx.Node back = at(nodes, k++, "Transpose");
      Onnx.Node join = at(nodes, k++, "Reshape");
      Onnx.Node out = at(nodes, k++, "MatMul");
      if (scores == null
          || scale == null
          || softmax == null
          || mix == null
          || back == null
          || join == null
          || out == null
          || !reads(out, 0, join)) {
        return -1;
      }
      Onnx.Node outBias = at(nodes, k, "Add");
      boolean bias = inBias != null;
      if (bias && (outBias == null || !reads(outBias, 0, out))) {
        return -1;
      }
      int w = shape.dim(1);
      long[] hd = required(heads[0], 1).longs();
      if (hd == null || hd.length != 4 || hd[2] < 1 || w % hd[2] != 0 || hd[3] * hd[2] != w) {
        return -1;
      }
      int h = (int) hd[2];
      int d = w / h;
      // Every edge and constant of the form, or it is something else that looks like it.
      long[] splitSizes = split.inputs().size() > 1 ? required(split, 1).longs() : null;
      long[] qPerm = {0, 2, 1, 3};
      long[] kPerm = {0, 2, 3, 1};
      boolean wired =
          split.i("axis", 0) == 2
              && splitSizes != null
              && java.util.Arrays.equals(splitSizes, new long[] {w, w, w})
              && heads[0].inputs().get(0).equals(split.outputs().get(0))
              && heads[2].inputs().get(0).equals(split.outputs().get(1))
              && heads[4].inputs().get(0).equals(split.outputs().get(2))
              && reads(heads[1], 0, heads[0])
              && reads(heads[3], 0, heads[2])
              && reads(heads[5], 0, heads[4])
              && java.util.Arrays.equals(required(heads[2], 1).longs(), hd)
              && java.util.Arrays.equals(required(heads[4], 1).longs(), hd)
              && java.util.Arrays.equals(heads[1].ints("perm", null), qPerm)
              && java.util.Arrays.equals(heads[3].ints("perm", null), kPerm)
              && java.util.Arrays.equals(heads[5].ints("perm", null), qPerm)
              && reads(scores, 0, heads[1])
              && reads(scores, 1, heads[3])
              && reads(scale, 0, scores)
              && isScalar(scale, 1, (float) (1.0 / Math.sqrt(d)))
              && reads(softmax, 0, mask != null ? mask : scale)
              && (softmax.i("axis", -1) == -1 || softmax.i("axis", -1) == 3)
              && reads(mix, 0, softmax)
              && reads(mix, 1, heads[5])
              && reads(back, 0, mix)
              && java.util.Arrays.equals(back.ints("perm", null), qPerm)
              && reads(join, 0, back)
              && java.util.Arrays.equals(required(join, 1).longs(), new long[] {0, 0, w});
      if (!wired || mask != null && !isCausalMask(mask, shape.dim(0))) {
        return -1;
      }
      float[] winT = floats(required(proj, 1), proj); // [w, 3w]
      float[] woutT = floats(required(out, 1), out); // [w, w]
      if (winT.length != 3L * w * w || woutT.length != (long) w * w) {
        throw new OnnxFormatException(
            proj.describe() + ": attention weights of the wrong size for width " + w);
      }
      dev.nerve.nn.MultiHeadAttention a =
          new dev.nerve.nn.MultiHeadAttention(w, h, mask != null, 0f, bias);
      List<Parameter> ps = a.parameters();
      copy(ps.get(0), Onnx.transpose(winT, w, 3 * w), proj);
      if (bias) {
        copy(ps.get(1), floats(required(inBias, 1), inBias), inBias);
        copy(ps.get(2), Onnx.transpose(woutT, w, w), out);
        copy(ps.get(3), floats(required(outBias, 1), outBias), outBias);
      } else {
        copy(ps.get(1), Onnx.transpose(woutT, w, w), out);
      }
      Onnx.Node last = bias ? outBias : out;
      add(a, last);
      return bias ? k : k - 1;
    }

    /** The operators a state of zeros sized from the batch is computed with. */
    private static final java.util.Set<String> SHAPE_OPS =
        java.util.Set.of(
            "Shape",
            "Gather",
            "Unsqueeze",
            "Concat",
            "Constant",
            "Squeeze",
            "Cast",
            "Slice",
            "ConstantOfShape");

    /**
     * PyTorch's exporter gives a recurrent layer its zero initial state as {@code
     * ConstantOfShape(Concat(1, Unsqueeze(Gather(Shape(x), 0)), hidden))}: the values of such
     * {@code ConstantOfShape} nodes (of value 0) are recorded as zeros, and the nodes computing
     * them are skipped.
     */
    private void findZeroStates(List<Onnx.Node> nodes) {
      Map<String, Integer> producer = new HashMap<>();
      for (int i = 0; i < nodes.size(); i++) {
        for (String o : nodes.get(i).outputs()) {
          producer.put(o, i);
        }
      }
      for (int i = 0; i < nodes.size(); i++) {
        Onnx.Node n = nodes.get(i);
        if (!n.opType().equals("ConstantOfShape")) {
          continue;
        }
        Onnx.Attribute v = n.attributes().get("value");
        boolean zero = v == null || v.t() == null;
        if (!zero && v.t().floats() != null) {
          zero = true;
          for (float f : v.t().floats()) {
            zero &= f == 0f;
          }
        }
        if (!zero) {
          continue;
        }
        zeros.add(n.outputs().get(0));
        java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>(List.of(i));
        while (!todo.isEmpty()) {
          int k = todo.pop();
          if (!ignorable.add(k) || nodes.get(k).opType().equals("Shape")) {
            continue; // a Shape reads the chain: the walk back stops there
          }
          for (String in : nodes.get(k).inputs()) {
            Integer p = producer.get(in);
            if (p != null && SHAPE_OPS.contains(nodes.get(p).opType())) {
              todo.push(p);
            }
          }
        }
      }
    }

    /** The chain moves to {@code n}'s output without a layer (a normalisation step). */
    private void advance(Onnx.Node n) {
      chain.remove(current); // the raw value is not the network's input any more
      current = n.outputs().get(0);
      chain.put(current, layers.size());
    }

    private void add(Layer l, Onnx.Node n) throws OnnxFormatException {
      try {
        Shape out = l.outputShape(shape);
        layers.add(l);
        shapes.add(shape);
        shape = out;
      } catch (IllegalArgumentException e) { // a ShapeMismatchException too
        throw new OnnxFormatException(n.describe() + ": " + e.getMessage());
      }
      current = n.outputs().get(0);
      chain.put(current, layers.size());
    }

    private void flatten(Onnx.Node n) throws OnnxFormatException {
      if (shape.rank() > 1) {
        add(new Flatten(), n);
      } else {
        alias.put(n.outputs().get(0), current); // already [batch, features]
      }
    }

    private Dense denseOf(Onnx.Node n, float[] w, long[] dims, float[] bias)
        throws OnnxFormatException {
      if (dims.length != 2 || dims[0] != shape.dim(-1)) {
        throw new OnnxFormatException(
            n.describe()
                + ": a weight of "
                + java.util.Arrays.toString(dims)
                + " does not fit inputs of "
                + shape);
      }
      int in = (int) dims[0];
      int out = (int) dims[1];
      if (bias != null && bias.length != out) {
        throw new OnnxFormatException(
            n.describe() + ": a bias of " + bias.length + " values for " + out + " outputs");
      }
      Dense d = new Dense(in, out, bias != null, Init.xavierUniform(), Init.zeros());
      copy(d.weight(), w, n);
      if (bias != null) {
        copy(d.bias(), bias, n);
      }
      return d;
    }

    /** MatMul by a constant, with the Add of a constant bias that follows if there is one. */
    private int dense(Onnx.Node n, float[] w, long[] dims, boolean unused, Onnx.Node next, int i)
        throws OnnxFormatException {
      float[] bias = null;
      Onnx.Node last = n;
      if (next != null
          && next.opType().equals("Add")
          && next.inputs().size() == 2
          && next.inputs().get(0).equals(n.outputs().get(0))
          && constants.containsKey(resolve(next.inputs().get(1)))) {
        Onnx.Tensor b = constants.get(resolve(next.inputs().get(1)));
        if (b.floats() != null && dims.length == 2 && b.size() == dims[1]) {
          bias = b.floats();
          last = next;
        }
      }
      add(denseOf(n, w, dims, bias), last);
      return last == n ? i : i + 1;
    }

    private static void copy(Parameter p, float[] v, Onnx.Node n) throws OnnxFormatException {
      if (v.length != p.value().size()) {
        throw new OnnxFormatException(
            n.describe()
                + ": "
                + v.length
                + " values for "
                + p
                + ", which holds "
                + p.value().size());
      }
      System.arraycopy(v, 0, p.value().data(), 0, v.length);
    }

    private static int same(Onnx.Node n, long[] v, String what) throws OnnxFormatException {
      for (long x : v) {
        if (x != v[0]) {
          throw new OnnxFormatException(
              n.describe()
                  + ": "
                  + what
                  + " "
                  + java.util.Arrays.toString(v)
                  + " differ by axis; Nerve's layers use one value for every axis");
        }
      }
      return (int) v[0];
    }

    private void conv(Onnx.Node n) throws OnnxFormatException {
      Onnx.Tensor w = required(n, 1);
      long[] wd = w.dims();
      int rank = wd.length - 2;
      if (rank != 1 && rank != 2) {
        unsupported.add("Conv '" + n.name() + "' (" + rank + "-D)");
        return;
      }
      if (!n.s("auto_pad", "NOTSET").equals("NOTSET")) {
        unsupported.add("Conv '" + n.name() + "' (auto_pad " + n.s("auto_pad", "") + ")");
        return;
      }
      long[] kernel = java.util.Arrays.copyOfRange(wd, 2, wd.length);
      long[] declared = n.ints("kernel_shape", kernel);
      if (!java.util.Arrays.equals(declared, kernel)) {
        throw new OnnxFormatException(
            n.describe()
                + ": kernel_shape "
                + java.util.Arrays.toString(declared)
                + " but a weight of "
                + java.util.Arrays.toString(wd));
      }
      int k = same(n, kernel, "kernel");
      int stride = same(n, n.ints("strides", fill(rank, 1)), "strides");
      int pad = same(n, n.ints("pads", fill(2 * rank, 0)), "pads");
      int dil = same(n, n.ints("dilations", fill(rank, 1)), "dilations");
      long groups = n.i("group", 1);
      int in = shape.dim(0);
      int out = (int) wd[0];
      // The weight's own sizes (real data, already read) must be the layer's, checked before the
      // layer allocates anything.
      if (shape.rank() != rank + 1 || groups < 1 || wd[1] * groups != in || out < 1 || k < 1) {
        throw new OnnxFormatException(
            n.describe()
                + ": a weight of "
                + java.util.Arrays.toString(wd)
                + " in "
                + groups
                + " group(s) does not fit inputs of "
                + shape);
      }
      Onnx.Tensor b = constant(n, 2);
      Layer layer;
      Parameter weight;
      Parameter bias;
      if (rank == 2) {
        if (groups != 1) {
          unsupported.add("Conv '" + n.name() + "' (2-D with groups)");
          return;
        }
        Conv2d c = new Conv2d(in, out, k, stride, pad, dil, b != null, Init.auto(), Init.zeros());
        layer = c;
        weight = c.weight();
        bias = c.bias();
      } else {
        Conv1d c =
            new Conv1d(
                in, out, k, stride, pad, dil, (int) groups, b != null, Init.auto(), Init.zeros());
        layer = c;
        weight = c.weight();
        bias = c.bias();
      }
      copy(weight, floats(w, n), n);
      if (b != null) {
        copy(bias, floats(b, n), n);
      }
      add(layer, n);
    }

    private static long[] fill(int n, long v) {
      long[] out = new long[n];
      java.util.Arrays.fill(out, v);
      return out;
    }

    private void pool(Onnx.Node n) throws OnnxFormatException {
      boolean max = n.opType().equals("MaxPool");
      long[] ks = n.ints("kernel_shape", null);
      if (ks == null || (ks.length != 1 && ks.length != 2) || ks.length != shape.rank() - 1) {
        unsupported.add(
            n.opType() + " '" + n.name() + "' (kernel " + java.util.Arrays.toString(ks) + ")");
        return;
      }
      if (n.i("ceil_mode", 0) != 0
          || !n.s("auto_pad", "NOTSET").equals("NOTSET")
          || n.ints("dilations", null) != null
              && same(n, n.ints("dilations", null), "dilations") != 1) {
        unsupported.add(n.opType() + " '" + n.name() + "' (ceil_mode, auto_pad or dilations)");
        return;
      }
      int rank = ks.length;
      int k = same(n, ks, "kernel");
      int stride = same(n, n.ints("strides", fill(rank, 1)), "strides");
      int pad = same(n, n.ints("pads", fill(2 * rank, 0)), "pads");
      if (!max && pad > 0 && n.i("count_include_pad", 0) == 0) {
        unsupported.add(
            "AveragePool '" + n.name() + "' (padding left out of the average; Nerve counts it)");
        return;
      }
      Layer l;
      try {
        l =
            rank == 2
                ? (max ? new MaxPool2d(k, stride, pad) : new AvgPool2d(k, stride, pad))
                : (max ? new MaxPool1d(k, stride, pad) : new AvgPool1d(k, stride, pad));
      } catch (IllegalArgumentException e) {
        throw new OnnxFormatException(n.describe() + ": " + e.getMessage());
      }
      add(l, n);
    }

    private void batchNorm(Onnx.Node n) throws OnnxFormatException {
      float eps = n.f("epsilon", 1e-5f);
      if (Math.abs(eps - 1e-5f) > 1e-9f) {
        unsupported.add(
            "BatchNormalization '" + n.name() + "' (epsilon " + eps + "; Nerve's is 1e-5)");
        return;
      }
      int f = shape.dim(0);
      if (required(n, 1).size() != f) {
        throw new OnnxFormatException(
            n.describe()
                + ": a scale of "
                + required(n, 1).size()
                + " values for "
                + f
                + " features");
      }
      BatchNorm b = new BatchNorm(f);
      copy(b.parameters().get(0), floats(required(n, 1), n), n);
      copy(b.parameters().get(1), floats(required(n, 2), n), n);
      float[] mean = floats(required(n, 3), n);
      float[] var = floats(required(n, 4), n);
      if (mean.length != f || var.length != f) {
        throw new OnnxFormatException(
            n.describe() + ": statistics for " + mean.length + " of " + f + " features");
      }
      System.arraycopy(mean, 0, b.buffers().get(0).value().data(), 0, f);
      System.arraycopy(var, 0, b.buffers().get(1).value().data(), 0, f);
      add(b, n);
    }

    /** {@code x + f(x)}: an Add of the chain's value and an earlier one of the chain. */
    private boolean residual(Onnx.Node n) throws OnnxFormatException {
      if (n.inputs().size() != 2) {
        return false;
      }
      String a = resolve(n.inputs().get(0));
      String b = resolve(n.inputs().get(1));
      String earlier = a.equals(current) ? b : b.equals(current) ? a : null;
      Integer from = earlier == null ? null : chain.get(earlier);
      if (from == null || from >= layers.size()) {
        return false;
      }
      List<Layer> inner = new ArrayList<>(layers.subList(from, layers.size()));
      Shape in = shapes.get(from);
      if (!shape.equals(in)) {
        throw new OnnxFormatException(
            n.describe() + ": adds a value of shape " + shape + " to one of " + in);
      }
      layers.subList(from, layers.size()).clear();
      shapes.subList(from, shapes.size()).clear();
      // Values inside the block are no longer the chain's: a later Add must not reach into it.
      final int keep = from;
      chain.values().removeIf(p -> p > keep);
      shape = in;
      add(new Residual(inner), n);
      return true;
    }

    /** The five nodes of {@code x/2 · (1 + Erf(x · 1/√2))} as Nerve's export writes them. */
    private boolean isGelu(List<Onnx.Node> nodes, int i) {
      if (i + 4 >= nodes.size()) {
        return false;
      }
      Onnx.Node scale = nodes.get(i);
      Onnx.Node erf = nodes.get(i + 1);
      Onnx.Node plus = nodes.get(i + 2);
      Onnx.Node half = nodes.get(i + 3);
      Onnx.Node mul = nodes.get(i + 4);
      return scale.opType().equals("Mul")
          && isScalar(scale, 1, 0.70710678f)
          && erf.opType().equals("Erf")
          && erf.inputs().get(0).equals(scale.outputs().get(0))
          && plus.opType().equals("Add")
          && plus.inputs().get(0).equals(erf.outputs().get(0))
          && isScalar(plus, 1, 1f)
          && half.opType().equals("Mul")
          && resolve(half.inputs().get(0)).equals(current)
          && isScalar(half, 1, 0.5f)
          && mul.opType().equals("Mul")
          && mul.inputs().contains(half.outputs().get(0))
          && mul.inputs().contains(plus.outputs().get(0));
    }

    /** Whether {@code n} adds the causal mask of {@code t} steps: −∞ above the diagonal, else 0. */
    private boolean isCausalMask(Onnx.Node n, int t) {
      Onnx.Tensor m = n.inputs().size() > 1 ? constants.get(resolve(n.inputs().get(1))) : null;
      if (m == null || m.floats() == null || m.floats().length != (long) t * t) {
        return false;
      }
      for (int i = 0; i < t; i++) {
        for (int j = 0; j < t; j++) {
          float v = m.floats()[i * t + j];
          if (j > i ? v != Float.NEGATIVE_INFINITY : v != 0f) {
            return false;
          }
        }
      }
      return true;
    }

    private boolean isScalar(Onnx.Node n, int input, float v) {
      if (n.inputs().size() <= input) {
        return false;
      }
      Onnx.Tensor t = constants.get(resolve(n.inputs().get(input)));
      return t != null
          && t.floats() != null
          && t.floats().length == 1
          && Math.abs(t.floats()[0] - v) < 1e-6f;
    }

    private ModelFile file(Shape inShape) throws OnnxFormatException {
      Sequential net = new Sequential(inShape, layers);
      net.markInitialized();
      Map<String, String> meta = model.metadata();
      ModelSpec spec = null;
      if (meta.containsKey(OnnxExport.META_NETWORK)) {
        spec = nerveSpec(meta.get(OnnxExport.META_NETWORK), net);
      }
      if (spec != null) {
        Sequential described = rebuilt(spec, net);
        if (described != net && sameFunction(described, net, inShape)) {
          net = described; // the very network Nerve exported, dropout and blocks included
        } else {
          // The description does not compute what the graph computes (an edited graph): the
          // graph decides, with the description's training settings.
          spec =
              ModelSpec.describe(
                  net,
                  spec.loss(),
                  spec.optimizer(),
                  spec.learningRate(),
                  spec.epochs(),
                  spec.batchSize(),
                  spec.seed());
        }
      } else {
        spec = ModelSpec.describe(net, "softmax_cross_entropy", "adam", 1e-3f, 10, 32, 0);
      }
      Normalizer normalizer = Normalizer.none();
      if (normOffset != null) {
        if (normFactor == null || normFactor.length != normOffset.length) {
          throw new OnnxFormatException(
              "the graph starts with a Sub but no Mul of the same size: not a normalisation");
        }
        int columns = inShape.size();
        boolean scalar = normOffset.length == 1;
        if (!scalar && normOffset.length != columns) {
          throw new OnnxFormatException(
              "the normalisation at the front has "
                  + normOffset.length
                  + " values for inputs of "
                  + columns
                  + " (one, or one per input value, is what Nerve's normaliser holds)");
        }
        Normalizer.Kind kd = scalar ? Normalizer.Kind.SCALE : Normalizer.Kind.STANDARDIZE;
        if (!scalar && meta.containsKey(OnnxExport.META_NORMALIZATION)) {
          Object m = Json.parse(meta.get(OnnxExport.META_NORMALIZATION), "metadata");
          Object k = m instanceof Map<?, ?> mm ? mm.get("kind") : null;
          if ("min-max".equals(k)) {
            kd = Normalizer.Kind.MIN_MAX;
          }
        }
        normalizer = Normalizer.of(kd, normOffset, normFactor);
      }
      Map<String, Object> metadata = new LinkedHashMap<>();
      if (meta.containsKey(OnnxExport.META_NERVE)) {
        Object m = Json.parse(meta.get(OnnxExport.META_NERVE), "metadata");
        if (m instanceof Map<?, ?> mm) {
          mm.forEach((k, v) -> metadata.put(String.valueOf(k), v));
        }
      } else if (meta.containsKey("classes")) {
        metadata.put("classes", Json.parse(meta.get("classes"), "metadata"));
      }
      metadata.put(
          "imported_from",
          "onnx ("
              + model.producer()
              + " "
              + model.producerVersion()
              + ", opset "
              + model.opset()
              + ")");
      return new ModelFile(spec, net, normalizer, metadata);
    }

    /**
     * Whether two networks compute the same outputs (to 1e-6) for a fixed input: token ids for a
     * network that starts with an embedding, values in [-1, 1] otherwise.
     */
    private static boolean sameFunction(Sequential a, Sequential b, Shape in) {
      int n = 2;
      dev.nerve.tensor.Tensor x =
          dev.nerve.tensor.Tensor.uniform(new dev.nerve.tensor.Rng(1), -1f, 1f, n * in.size())
              .reshape(n, in.size());
      if (a.layers().get(0) instanceof dev.nerve.nn.Embedding e) {
        for (int i = 0; i < x.size(); i++) {
          x.data()[i] = i % e.vocabulary();
        }
      }
      try {
        float[] ya = a.predict(x).data();
        float[] yb = b.predict(x).data();
        if (ya.length != yb.length) {
          return false;
        }
        for (int i = 0; i < ya.length; i++) {
          if (!(Math.abs(ya[i] - yb[i]) <= 1e-6f * (1 + Math.abs(ya[i])))) {
            return false;
          }
        }
        return true;
      } catch (RuntimeException e) {
        return false;
      }
    }

    /** The network description Nerve's export saved, if it still describes this network. */
    private static ModelSpec nerveSpec(String json, Sequential imported) {
      try {
        ModelSpec s = ModelSpec.fromJson(Json.parse(json, "metadata"), "the ONNX metadata");
        return s.build().parameterCount() == imported.parameterCount() ? s : null;
      } catch (FormatException | RuntimeException e) {
        return null; // an edited or foreign description: the graph alone decides
      }
    }

    /**
     * The network of {@code spec} (dropout layers and all) holding the imported values, parameter
     * by parameter and buffer by buffer; the imported network itself if they do not line up.
     */
    private static Sequential rebuilt(ModelSpec spec, Sequential imported) {
      Sequential net = spec.build();
      List<Parameter> a = net.parameters();
      List<Parameter> b = imported.parameters();
      List<dev.nerve.nn.Buffer> ab = net.buffers();
      List<dev.nerve.nn.Buffer> bb = imported.buffers();
      if (a.size() != b.size() || ab.size() != bb.size()) {
        return imported;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!a.get(i).value().shape().equals(b.get(i).value().shape())) {
          return imported;
        }
      }
      for (int i = 0; i < ab.size(); i++) {
        if (!ab.get(i).value().shape().equals(bb.get(i).value().shape())) {
          return imported;
        }
      }
      net.initialize(spec.seed()); // random state for dropout, then every value replaced
      for (int i = 0; i < a.size(); i++) {
        a.get(i).value().copyFromInPlace(b.get(i).value());
      }
      for (int i = 0; i < ab.size(); i++) {
        ab.get(i).value().copyFromInPlace(bb.get(i).value());
      }
      return net;
    }
  }
}
