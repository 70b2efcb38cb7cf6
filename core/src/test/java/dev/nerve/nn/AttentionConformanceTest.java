package dev.nerve.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nerve.tensor.Tensor;
import dev.nerve.testing.Reference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Multi-head attention, the transformer encoder block, Conv1d and the 1-D pools against PyTorch
 * from the same weights (reference/attention_torch.py): outputs and every gradient within 1e-4.
 */
class AttentionConformanceTest {
  private static Map<?, ?> cases(String group) throws Exception {
    return (Map<?, ?>) Reference.json("attention_torch.json").get(group);
  }

  static float[] floats(Object list) {
    double[] v = Reference.flat(list);
    float[] f = new float[v.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  static void close(String what, Object want, float[] got) {
    double[] w = Reference.flat(want);
    assertEquals(w.length, got.length, what + " length");
    for (int i = 0; i < w.length; i++) {
      assertEquals(w[i], got[i], 1e-4 + 1e-4 * Math.abs(w[i]), what + "[" + i + "]");
    }
  }

  private static int num(Map<?, ?> m, String key) {
    return ((Number) m.get(key)).intValue();
  }

  private static int[] lengths(Map<?, ?> m) {
    Object l = m.get("lengths");
    if (l == null) {
      return null;
    }
    double[] d = Reference.flat(l);
    int[] out = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = (int) d[i];
    }
    return out;
  }

  private static void set(Parameter p, Object values) {
    float[] v = floats(values);
    assertEquals(p.value().size(), v.length, p.name());
    System.arraycopy(v, 0, p.value().data(), 0, v.length);
  }

  private static void zeroGrads(Layer l) {
    for (Parameter p : l.parameters()) {
      p.zeroGradInPlace();
    }
  }

  @Test
  void multiHeadAttentionMatchesPyTorch() throws Exception {
    for (Map.Entry<?, ?> e : cases("attention").entrySet()) {
      String key = (String) e.getKey();
      Map<?, ?> m = (Map<?, ?>) e.getValue();
      int b = num(m, "batch");
      int t = num(m, "time");
      int w = num(m, "width");
      MultiHeadAttention mha =
          new MultiHeadAttention(w, num(m, "heads"), (Boolean) m.get("causal"), 0f, true);
      List<Parameter> ps = mha.parameters();
      set(ps.get(0), m.get("in_proj_weight"));
      set(ps.get(1), m.get("in_proj_bias"));
      set(ps.get(2), m.get("out_proj_weight"));
      set(ps.get(3), m.get("out_proj_bias"));
      Tensor x = Tensor.wrap(floats(m.get("x")), b, t, w);
      int[] lengths = lengths(m);
      close(key + " y (inference)", m.get("y"), mha.forward(x, lengths, false).data());
      close(key + " y", m.get("y"), mha.forward(x, lengths, true).data());
      zeroGrads(mha);
      Tensor dx = mha.backward(Tensor.wrap(floats(m.get("r")), b, t, w));
      close(key + " dx", m.get("dx"), dx.data());
      close(key + " d in_proj_weight", m.get("d_in_proj_weight"), ps.get(0).grad().data());
      close(key + " d in_proj_bias", m.get("d_in_proj_bias"), ps.get(1).grad().data());
      close(key + " d out_proj.weight", m.get("d_out_proj_weight"), ps.get(2).grad().data());
      close(key + " d out_proj.bias", m.get("d_out_proj_bias"), ps.get(3).grad().data());
      assertEquals(
          List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"),
          mha.parameterNames(),
          "named as in a PyTorch state_dict");
    }
  }

  @Test
  void transformerEncoderBlockMatchesPyTorch() throws Exception {
    for (Map.Entry<?, ?> e : cases("encoder").entrySet()) {
      String key = (String) e.getKey();
      Map<?, ?> m = (Map<?, ?>) e.getValue();
      int b = num(m, "batch");
      int t = num(m, "time");
      int w = num(m, "width");
      TransformerEncoder block =
          new TransformerEncoder(
              w,
              new TransformerEncoder.Settings(
                  num(m, "heads"),
                  num(m, "feedforward"),
                  0f,
                  "gelu",
                  (Boolean) m.get("causal"),
                  1e-5f));
      Map<?, ?> params = (Map<?, ?>) m.get("params");
      Map<?, ?> grads = (Map<?, ?>) m.get("grads");
      List<String> names = block.parameterNames();
      assertEquals(params.keySet(), new java.util.HashSet<>(names), "the same parameters");
      for (int i = 0; i < names.size(); i++) {
        set(block.parameters().get(i), params.get(names.get(i)));
      }
      Tensor x = Tensor.wrap(floats(m.get("x")), b, t, w);
      int[] lengths = lengths(m);
      close(key + " y (inference)", m.get("y"), block.forward(x, lengths, false).data());
      close(key + " y", m.get("y"), block.forward(x, lengths, true).data());
      zeroGrads(block);
      close(
          key + " dx",
          m.get("dx"),
          block.backward(Tensor.wrap(floats(m.get("r")), b, t, w)).data());
      for (int i = 0; i < names.size(); i++) {
        close(
            key + " d" + names.get(i),
            grads.get(names.get(i)),
            block.parameters().get(i).grad().data());
      }
    }
  }

  @Test
  void conv1dMatchesPyTorch() throws Exception {
    for (Map.Entry<?, ?> e : cases("conv1d").entrySet()) {
      String key = (String) e.getKey();
      Map<?, ?> m = (Map<?, ?>) e.getValue();
      Conv1d c =
          new Conv1d(
              num(m, "in"),
              num(m, "out"),
              num(m, "kernel"),
              num(m, "stride"),
              num(m, "padding"),
              num(m, "dilation"),
              num(m, "groups"),
              true,
              Init.auto(),
              Init.zeros());
      set(c.weight(), m.get("weight"));
      set(c.bias(), m.get("bias"));
      Tensor x = Tensor.wrap(floats(m.get("x")), num(m, "batch"), num(m, "in"), num(m, "length"));
      double[] os = Reference.flat(m.get("out_shape"));
      Tensor yi = c.forward(x, false);
      assertArrayEquals(new int[] {(int) os[0], (int) os[1], (int) os[2]}, yi.shape().dims());
      close(key + " y (inference)", m.get("y"), yi.data());
      Tensor y = c.forward(x, true);
      close(key + " y", m.get("y"), y.data());
      zeroGrads(c);
      Tensor dx = c.backward(Tensor.wrap(floats(m.get("r")), y.shape().dims()));
      close(key + " dx", m.get("dx"), dx.data());
      close(key + " dweight", m.get("dweight"), c.weight().grad().data());
      close(key + " dbias", m.get("dbias"), c.bias().grad().data());
    }
  }

  @Test
  void pools1dMatchPyTorch() throws Exception {
    for (Map.Entry<?, ?> e : cases("pool1d").entrySet()) {
      String key = (String) e.getKey();
      Map<?, ?> m = (Map<?, ?>) e.getValue();
      int k = num(m, "kernel");
      int s = num(m, "stride");
      int p = num(m, "padding");
      Pool1d pool = m.get("kind").equals("max") ? new MaxPool1d(k, s, p) : new AvgPool1d(k, s, p);
      Tensor x =
          Tensor.wrap(floats(m.get("x")), num(m, "batch"), num(m, "channels"), num(m, "length"));
      Tensor y = pool.forward(x, true);
      double[] os = Reference.flat(m.get("out_shape"));
      assertArrayEquals(new int[] {(int) os[0], (int) os[1], (int) os[2]}, y.shape().dims());
      close(key + " y", m.get("y"), y.data());
      close(
          key + " dx",
          m.get("dx"),
          pool.backward(Tensor.wrap(floats(m.get("r")), y.shape().dims())).data());
    }
  }
}
