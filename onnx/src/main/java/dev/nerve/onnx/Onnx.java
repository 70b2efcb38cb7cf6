package dev.nerve.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of the ONNX format ({@code onnx.proto}, IR version 8) Nerve reads and writes, as plain
 * records: a model with its operator sets and metadata, one graph of nodes, initialisers (tensors)
 * and typed inputs and outputs. {@link #write} and {@link #read} encode and decode them; fields
 * Nerve does not use are skipped when read.
 */
public final class Onnx {
  private Onnx() {}

  /** ONNX's element type of 32-bit floats. */
  public static final int FLOAT = 1;

  /** ONNX's element type of 32-bit ints. */
  public static final int INT32 = 6;

  /** ONNX's element type of 64-bit ints. */
  public static final int INT64 = 7;

  /** The IR version written (ONNX 1.10+). */
  public static final long IR_VERSION = 8;

  /** The most values one tensor may hold when read: 2^28 (a gigabyte of floats). */
  public static final long MAX_VALUES = 1L << 28;

  /** The largest file read: 2 GiB less a little (protobuf's own limit). */
  public static final long MAX_BYTES = Integer.MAX_VALUE - 8;

  /**
   * A model.
   *
   * @param opset the default domain's operator set version
   * @param metadata {@code metadata_props}, in order
   */
  public record Model(
      long irVersion,
      long opset,
      String producer,
      String producerVersion,
      Graph graph,
      Map<String, String> metadata) {}

  /** A graph: nodes in order, initialisers, inputs and outputs. */
  public record Graph(
      String name,
      List<Node> nodes,
      List<Tensor> initializers,
      List<ValueInfo> inputs,
      List<ValueInfo> outputs) {}

  /** A node: an operator applied to named values, giving named values. */
  public record Node(
      String name,
      String opType,
      String domain,
      List<String> inputs,
      List<String> outputs,
      Map<String, Attribute> attributes) {
    /** An integer attribute, or {@code dflt}. */
    public long i(String key, long dflt) {
      Attribute a = attributes.get(key);
      return a == null ? dflt : a.i();
    }

    /** A float attribute, or {@code dflt}. */
    public float f(String key, float dflt) {
      Attribute a = attributes.get(key);
      return a == null ? dflt : a.f();
    }

    /** An integer-list attribute, or {@code dflt}. */
    public long[] ints(String key, long[] dflt) {
      Attribute a = attributes.get(key);
      return a == null || a.ints() == null ? dflt : a.ints();
    }

    /** A string attribute, or {@code dflt}. */
    public String s(String key, String dflt) {
      Attribute a = attributes.get(key);
      return a == null || a.s() == null ? dflt : a.s();
    }

    /** Like {@code Gemm "fc1" (input, weight, bias)}. */
    public String describe() {
      return opType + " '" + name + "'";
    }
  }

  /** An attribute: one of a float, an int, a string, floats, ints or a tensor. */
  public record Attribute(
      String name, int type, float f, long i, String s, float[] floats, long[] ints, Tensor t) {
    static final int FLOAT = 1;
    static final int INT = 2;
    static final int STRING = 3;
    static final int TENSOR = 4;
    static final int FLOATS = 6;
    static final int INTS = 7;
    static final int STRINGS = 8;

    /** An int attribute. */
    public static Attribute of(String name, long v) {
      return new Attribute(name, INT, 0, v, null, null, null, null);
    }

    /** A float attribute. */
    public static Attribute of(String name, float v) {
      return new Attribute(name, FLOAT, v, 0, null, null, null, null);
    }

    /** A string attribute. */
    public static Attribute ofString(String name, String v) {
      return new Attribute(name, STRING, 0, 0, v, null, null, null);
    }

    /** A string-list attribute (written as ONNX's {@code strings}). */
    public static Attribute ofStrings(String name, String... v) {
      return new Attribute(name, STRINGS, 0, 0, String.join("\u0000", v), null, null, null);
    }

    /** An int-list attribute. */
    public static Attribute of(String name, long[] v) {
      return new Attribute(name, INTS, 0, 0, null, null, v.clone(), null);
    }
  }

  /**
   * A tensor: float values ({@link #FLOAT}) or integers ({@link #INT64}, {@link #INT32}), row
   * major.
   */
  public record Tensor(String name, long[] dims, int dataType, float[] floats, long[] longs) {
    /** A float tensor. */
    public static Tensor of(String name, float[] values, long... dims) {
      return new Tensor(name, dims.clone(), FLOAT, values, null);
    }

    /** An int64 tensor. */
    public static Tensor ofLongs(String name, long[] values, long... dims) {
      return new Tensor(name, dims.clone(), INT64, null, values);
    }

    /** The number of values its dimensions say. */
    public long size() {
      long n = 1;
      for (long d : dims) {
        n *= d;
      }
      return n;
    }
  }

  /**
   * A named graph input or output of element type {@code elemType}; each dimension a {@code Long}
   * (fixed) or a {@code String} (symbolic, such as {@code "batch"}).
   */
  public record ValueInfo(String name, int elemType, List<Object> dims) {}

  /**
   * {@code a} ({@code rows × cols}, row major) transposed: ONNX and Nerve store some weights so.
   */
  static float[] transpose(float[] a, int rows, int cols) {
    float[] t = new float[a.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = a[r * cols + c];
      }
    }
    return t;
  }

  // ------------------------------------------------------------------------------------ write

  /** The model as ONNX protobuf bytes. */
  public static byte[] write(Model m) {
    Protobuf.Writer w = new Protobuf.Writer();
    w.varint(1, m.irVersion());
    w.string(2, m.producer());
    w.string(3, m.producerVersion());
    w.message(7, graph(m.graph()));
    w.message(8, new Protobuf.Writer().string(1, "").varint(2, m.opset()));
    for (Map.Entry<String, String> e : m.metadata().entrySet()) {
      w.message(14, new Protobuf.Writer().string(1, e.getKey()).string(2, e.getValue()));
    }
    return w.toByteArray();
  }

  private static Protobuf.Writer graph(Graph g) {
    Protobuf.Writer w = new Protobuf.Writer();
    for (Node n : g.nodes()) {
      w.message(1, node(n));
    }
    w.string(2, g.name());
    for (Tensor t : g.initializers()) {
      w.message(5, tensor(t));
    }
    for (ValueInfo v : g.inputs()) {
      w.message(11, valueInfo(v));
    }
    for (ValueInfo v : g.outputs()) {
      w.message(12, valueInfo(v));
    }
    return w;
  }

  private static Protobuf.Writer node(Node n) {
    Protobuf.Writer w = new Protobuf.Writer();
    for (String s : n.inputs()) {
      w.string(1, s);
    }
    for (String s : n.outputs()) {
      w.string(2, s);
    }
    w.string(3, n.name());
    w.string(4, n.opType());
    for (Attribute a : n.attributes().values()) {
      Protobuf.Writer aw = new Protobuf.Writer().string(1, a.name());
      switch (a.type()) {
        case Attribute.FLOAT -> aw.float32(2, a.f());
        case Attribute.INT -> aw.varint(3, a.i());
        case Attribute.STRING -> aw.string(4, a.s());
        case Attribute.TENSOR -> aw.message(5, tensor(a.t()));
        case Attribute.FLOATS -> aw.packedFloats(7, a.floats());
        case Attribute.INTS -> aw.packedVarints(8, a.ints());
        case Attribute.STRINGS -> {
          for (String one : a.s().split("\u0000", -1)) {
            aw.string(9, one);
          }
        }
        default -> throw new IllegalArgumentException("attribute type " + a.type());
      }
      aw.varint(20, a.type());
      w.message(5, aw);
    }
    if (n.domain() != null && !n.domain().isEmpty()) {
      w.string(7, n.domain());
    }
    return w;
  }

  private static Protobuf.Writer tensor(Tensor t) {
    Protobuf.Writer w = new Protobuf.Writer();
    w.packedVarints(1, t.dims());
    w.varint(2, t.dataType());
    w.string(8, t.name());
    if (t.dataType() == FLOAT) {
      ByteBuffer b = ByteBuffer.allocate(t.floats().length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(t.floats());
      w.bytes(9, b.array());
    } else {
      ByteBuffer b = ByteBuffer.allocate(t.longs().length * 8).order(ByteOrder.LITTLE_ENDIAN);
      b.asLongBuffer().put(t.longs());
      w.bytes(9, b.array());
    }
    return w;
  }

  private static Protobuf.Writer valueInfo(ValueInfo v) {
    Protobuf.Writer shape = new Protobuf.Writer();
    for (Object d : v.dims()) {
      Protobuf.Writer dim = new Protobuf.Writer();
      if (d instanceof Long l) {
        dim.varint(1, l);
      } else {
        dim.string(2, String.valueOf(d));
      }
      shape.message(1, dim);
    }
    Protobuf.Writer tensorType = new Protobuf.Writer().varint(1, v.elemType()).message(2, shape);
    return new Protobuf.Writer()
        .string(1, v.name())
        .message(2, new Protobuf.Writer().message(1, tensorType));
  }

  // ------------------------------------------------------------------------------------- read

  /**
   * The model in {@code bytes}.
   *
   * @throws OnnxFormatException if the bytes are not an ONNX model this reader can take, naming the
   *     byte offset or the tensor and the reason
   */
  public static Model read(byte[] bytes) throws OnnxFormatException {
    if (bytes.length == 0) {
      throw new OnnxFormatException("the file is empty");
    }
    Protobuf.Reader r = new Protobuf.Reader(bytes);
    long ir = 0;
    long opset = -1;
    String producer = "";
    String version = "";
    Graph graph = null;
    Map<String, String> meta = new LinkedHashMap<>();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> ir = r.readVarint();
        case 2 -> producer = r.readString();
        case 3 -> version = r.readString();
        case 7 -> graph = readGraph(r.readMessage());
        case 8 -> {
          Protobuf.Reader o = r.readMessage();
          String domain = "";
          long v = 0;
          while (o.next()) {
            switch (o.field()) {
              case 1 -> domain = o.readString();
              case 2 -> v = o.readVarint();
              default -> o.skip();
            }
          }
          if (domain.isEmpty() || domain.equals("ai.onnx")) {
            opset = v;
          }
        }
        case 14 -> {
          Protobuf.Reader e = r.readMessage();
          String k = "";
          String v = "";
          while (e.next()) {
            switch (e.field()) {
              case 1 -> k = e.readString();
              case 2 -> v = e.readString();
              default -> e.skip();
            }
          }
          meta.put(k, v);
        }
        default -> r.skip();
      }
    }
    if (graph == null) {
      throw new OnnxFormatException("no graph: this is not an ONNX model");
    }
    if (ir < 3) {
      throw new OnnxFormatException(
          "IR version " + ir + ": not an ONNX model this reader takes (3 or later)");
    }
    if (opset < 0) {
      throw new OnnxFormatException("no operator set for the default domain");
    }
    return new Model(ir, opset, producer, version, graph, meta);
  }

  private static Graph readGraph(Protobuf.Reader r) throws OnnxFormatException {
    List<Node> nodes = new ArrayList<>();
    List<Tensor> inits = new ArrayList<>();
    List<ValueInfo> in = new ArrayList<>();
    List<ValueInfo> out = new ArrayList<>();
    String name = "";
    while (r.next()) {
      switch (r.field()) {
        case 1 -> nodes.add(readNode(r.readMessage()));
        case 2 -> name = r.readString();
        case 5 -> inits.add(readTensor(r.readMessage()));
        case 11 -> in.add(readValueInfo(r.readMessage()));
        case 12 -> out.add(readValueInfo(r.readMessage()));
        default -> r.skip();
      }
    }
    return new Graph(name, nodes, inits, in, out);
  }

  private static Node readNode(Protobuf.Reader r) throws OnnxFormatException {
    List<String> in = new ArrayList<>();
    List<String> out = new ArrayList<>();
    String name = "";
    String op = "";
    String domain = "";
    Map<String, Attribute> attrs = new LinkedHashMap<>();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> in.add(r.readString());
        case 2 -> out.add(r.readString());
        case 3 -> name = r.readString();
        case 4 -> op = r.readString();
        case 5 -> {
          Attribute a = readAttribute(r.readMessage());
          attrs.put(a.name(), a);
        }
        case 7 -> domain = r.readString();
        default -> r.skip();
      }
    }
    return new Node(name, op, domain, in, out, attrs);
  }

  private static Attribute readAttribute(Protobuf.Reader r) throws OnnxFormatException {
    String name = "";
    int type = 0;
    float f = 0;
    long i = 0;
    String s = null;
    Protobuf.FloatList floats = null;
    Protobuf.LongList ints = null;
    Tensor t = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> name = r.readString();
        case 2 -> f = r.readFloat();
        case 3 -> i = r.readVarint();
        case 4 -> s = r.readString();
        case 5 -> t = readTensor(r.readMessage());
        case 7 -> {
          floats = floats == null ? new Protobuf.FloatList() : floats;
          r.readFloats(floats);
        }
        case 8 -> {
          ints = ints == null ? new Protobuf.LongList() : ints;
          r.readVarints(ints);
        }
        case 9 -> {
          // strings: kept joined by NUL in s (RNN activations, one per direction)
          String one = r.readString();
          s = s == null ? one : s + "\u0000" + one;
        }
        case 20 -> type = (int) r.readVarint();
        default -> r.skip();
      }
    }
    return new Attribute(
        name,
        type,
        f,
        i,
        s,
        floats == null ? null : floats.toArray(),
        ints == null ? null : ints.toArray(),
        t);
  }

  private static Tensor readTensor(Protobuf.Reader r) throws OnnxFormatException {
    int at = r.offset();
    Protobuf.LongList dims = new Protobuf.LongList();
    int type = 0;
    String name = "";
    Protobuf.FloatList floats = null;
    Protobuf.LongList longs = null;
    byte[] raw = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> r.readVarints(dims);
        case 2 -> type = (int) r.readVarint();
        case 4 -> {
          floats = floats == null ? new Protobuf.FloatList() : floats;
          r.readFloats(floats);
        }
        case 5, 7 -> {
          longs = longs == null ? new Protobuf.LongList() : longs;
          r.readVarints(longs);
        }
        case 8 -> name = r.readString();
        case 9 -> raw = r.readBytes();
        case 14 ->
            throw new OnnxFormatException(
                "tensor '"
                    + name
                    + "' (byte "
                    + at
                    + ") keeps its data in an external file, which"
                    + " this reader does not follow");
        default -> r.skip();
      }
    }
    long[] d = dims.toArray();
    if (d.length > 32) {
      throw new OnnxFormatException(
          "tensor '" + name + "' (byte " + at + ") has " + d.length + " dimensions");
    }
    long size = 1;
    for (long x : d) {
      if (x < 0 || x > MAX_VALUES) {
        throw new OnnxFormatException(
            "tensor '"
                + name
                + "' (byte "
                + at
                + ") has dimension "
                + x
                + " in "
                + Arrays.toString(d));
      }
      size *= x;
      if (size > MAX_VALUES) {
        throw new OnnxFormatException(
            "tensor '"
                + name
                + "' (byte "
                + at
                + ") of "
                + Arrays.toString(d)
                + " holds more than "
                + MAX_VALUES
                + " values");
      }
    }
    if (type == FLOAT) {
      float[] v;
      if (raw != null) {
        if (raw.length != size * 4) {
          throw sizeMismatch(name, at, d, size * 4, "bytes of floats", raw.length);
        }
        v = new float[(int) size];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
      } else {
        v = floats == null ? new float[0] : floats.toArray();
        if (v.length != size) {
          throw sizeMismatch(name, at, d, size, "floats", v.length);
        }
      }
      return new Tensor(name, d, FLOAT, v, null);
    }
    if (type == INT64 || type == INT32) {
      long[] v;
      int width = type == INT64 ? 8 : 4;
      if (raw != null) {
        if (raw.length != size * width) {
          throw sizeMismatch(name, at, d, size * width, "bytes of integers", raw.length);
        }
        v = new long[(int) size];
        ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < v.length; k++) {
          v[k] = width == 8 ? bb.getLong() : bb.getInt();
        }
      } else {
        v = longs == null ? new long[0] : longs.toArray();
        if (v.length != size) {
          throw sizeMismatch(name, at, d, size, "integers", v.length);
        }
      }
      return new Tensor(name, d, INT64, null, v);
    }
    throw new OnnxFormatException(
        "tensor '"
            + name
            + "' (byte "
            + at
            + ") has element type "
            + type
            + "; this reader takes float, int32 and int64 tensors");
  }

  /** A tensor whose data does not fill (or overfills) its declared dimensions. */
  private static OnnxFormatException sizeMismatch(
      String name, int at, long[] dims, long need, String what, long got) {
    return new OnnxFormatException(
        "tensor '"
            + name
            + "' (byte "
            + at
            + ") of "
            + Arrays.toString(dims)
            + " needs "
            + need
            + " "
            + what
            + " but holds "
            + got);
  }

  private static ValueInfo readValueInfo(Protobuf.Reader r) throws OnnxFormatException {
    String name = "";
    int elem = 0;
    List<Object> dims = new ArrayList<>();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> name = r.readString();
        case 2 -> {
          Protobuf.Reader type = r.readMessage();
          while (type.next()) {
            if (type.field() != 1) {
              type.skip();
              continue;
            }
            Protobuf.Reader tt = type.readMessage();
            while (tt.next()) {
              switch (tt.field()) {
                case 1 -> elem = (int) tt.readVarint();
                case 2 -> {
                  Protobuf.Reader shape = tt.readMessage();
                  while (shape.next()) {
                    if (shape.field() != 1) {
                      shape.skip();
                      continue;
                    }
                    Protobuf.Reader dim = shape.readMessage();
                    Object value = "?";
                    while (dim.next()) {
                      switch (dim.field()) {
                        case 1 -> value = dim.readVarint();
                        case 2 -> value = dim.readString();
                        default -> dim.skip();
                      }
                    }
                    dims.add(value);
                  }
                }
                default -> tt.skip();
              }
            }
          }
        }
        default -> r.skip();
      }
    }
    return new ValueInfo(name, elem, dims);
  }
}
