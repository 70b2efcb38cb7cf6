package dev.nerve.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import dev.nerve.testing.GradientCheck;
import dev.nerve.testing.Reference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LayerNorm against PyTorch (reference/layernorm_torch.py), by finite differences, and in JSON. */
class LayerNormTest {
  private static float[] floats(Object list) {
    double[] v = Reference.flat(list);
    float[] f = new float[v.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  private static void close(String what, Object want, float[] got) {
    double[] w = Reference.flat(want);
    assertEquals(w.length, got.length, what + " length");
    for (int i = 0; i < w.length; i++) {
      assertEquals(w[i], got[i], 1e-5 + 1e-4 * Math.abs(w[i]), what + "[" + i + "]");
    }
  }

  @Test
  void matchesPyTorch() throws Exception {
    for (String key : List.of("rows", "sequence", "plain")) {
      Map<?, ?> m = (Map<?, ?>) Reference.json("layernorm_torch.json").get(key);
      double[] s = Reference.flat(m.get("shape"));
      int[] dims = new int[s.length];
      for (int i = 0; i < dims.length; i++) {
        dims[i] = (int) s[i];
      }
      boolean affine = (Boolean) m.get("affine");
      LayerNorm ln =
          new LayerNorm(dims[dims.length - 1], ((Number) m.get("eps")).floatValue(), affine);
      if (affine) {
        System.arraycopy(
            floats(m.get("weight")),
            0,
            ln.parameters().get(0).value().data(),
            0,
            dims[dims.length - 1]);
        System.arraycopy(
            floats(m.get("bias")),
            0,
            ln.parameters().get(1).value().data(),
            0,
            dims[dims.length - 1]);
      }
      Tensor x = Tensor.wrap(floats(m.get("x")), dims);
      Tensor y = ln.forward(x, true);
      close(key + " y", m.get("y"), y.data());
      close(key + " y (inference)", m.get("y"), ln.forward(x, false).data());
      for (Parameter p : ln.parameters()) {
        p.zeroGradInPlace();
      }
      close(key + " dx", m.get("dx"), ln.backward(Tensor.wrap(floats(m.get("r")), dims)).data());
      if (affine) {
        close(key + " dweight", m.get("dweight"), ln.parameters().get(0).grad().data());
        close(key + " dbias", m.get("dbias"), ln.parameters().get(1).grad().data());
      }
    }
  }

  @Test
  void gradientsByFiniteDifferences() {
    LayerNorm ln = new LayerNorm(5);
    Rng r = new Rng(3);
    for (Parameter p : ln.parameters()) {
      for (int i = 0; i < p.value().size(); i++) {
        p.value().data()[i] =
            (float) (r.nextGaussian() * 0.5 + (p.name().equals("weight") ? 1 : 0));
      }
    }
    GradientCheck.checkLayer(ln, Tensor.uniform(new Rng(4), -2f, 2f, 2, 3, 5), 5);
    GradientCheck.checkLayer(
        new LayerNorm(4, 1e-3f, false), Tensor.uniform(new Rng(6), -1f, 3f, 3, 4), 7);
  }

  @Test
  void jsonSettingsShapesAndErrors() {
    LayerSettings s = LayerTypes.fromJson(Map.of("type", "layer_norm", "eps", 1e-6));
    assertEquals(Shape.of(7, 16), LayerTypes.walk(List.of(s), Shape.of(7, 16)).output());
    assertEquals(32, LayerTypes.walk(List.of(s), Shape.of(7, 16)).parameters());
    Layer built = LayerTypes.build(List.of(s), Shape.of(7, 16)).get(0);
    assertEquals("LayerNorm(features=16, eps=1.0E-6)", built.toString());
    assertEquals(LayerTypes.toJson(s), LayerTypes.toJson(LayerTypes.describe(built)));
    assertArrayEquals(new float[] {1, 1}, new LayerNorm(2).parameters().get(0).value().data());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LayerTypes.fromJson(Map.of("type", "layer_norm", "eps", 0)));
    assertTrue(e.getMessage().contains("'eps' must be a finite number above 0"), e.getMessage());
    assertThrows(
        ShapeMismatchException.class, () -> new LayerNorm(3).forward(Tensor.zeros(2, 4), false));
  }
}
