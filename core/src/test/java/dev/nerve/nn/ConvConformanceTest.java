package dev.nerve.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nerve.tensor.Tensor;
import dev.nerve.testing.Reference;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Conv2d, the pools and BatchNorm against PyTorch: from the same input and weights, the same
 * outputs and gradients within 1e-4 relative (fixture and script: {@code reference/conv_torch.py}).
 */
class ConvConformanceTest {
  private static Map<?, ?> ref(String key) throws Exception {
    return (Map<?, ?>) Reference.json("conv_torch.json").get(key);
  }

  private static Tensor tensor(Map<?, ?> m, String values, String shape) {
    double[] v = Reference.flat(m.get(values));
    double[] s = Reference.flat(m.get(shape));
    float[] f = new float[v.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) v[i];
    }
    int[] dims = new int[s.length];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = (int) s[i];
    }
    return Tensor.wrap(f, dims);
  }

  private static void load(Map<?, ?> m, String key, Parameter p) {
    double[] v = Reference.flat(m.get(key));
    for (int i = 0; i < v.length; i++) {
      p.value().data()[i] = (float) v[i];
    }
  }

  private static void close(String what, Object want, float[] got) {
    double[] w = Reference.flat(want);
    assertEquals(w.length, got.length, what + " length");
    for (int i = 0; i < w.length; i++) {
      assertEquals(w[i], got[i], 1e-5 + 1e-4 * Math.abs(w[i]), what + "[" + i + "]");
    }
  }

  /** Forward, then backward of sum(y * r): output, input gradient, parameter gradients. */
  private static void check(String key, Layer layer) throws Exception {
    Map<?, ?> m = ref(key);
    if (!layer.parameters().isEmpty()) {
      load(m, "weight", layer.parameters().get(0));
      if (layer.parameters().size() > 1) {
        load(m, "bias", layer.parameters().get(1));
      }
    }
    Tensor x = tensor(m, "x", "x_shape");
    Tensor y = layer.forward(x, true);
    close(key + " y", m.get("y"), y.data());
    Tensor r = tensor(m, "r", "y_shape");
    Tensor dx = layer.backward(r);
    close(key + " dx", m.get("dx"), dx.data());
    if (!layer.parameters().isEmpty()) {
      close(key + " dweight", m.get("dweight"), layer.parameters().get(0).grad().data());
      if (layer.parameters().size() > 1) {
        close(key + " dbias", m.get("dbias"), layer.parameters().get(1).grad().data());
      }
    }
    for (Buffer b : layer.buffers()) {
      close(key + " " + b.name(), m.get(b.name()), b.value().data());
    }
  }

  @Test
  void conv2dMatchesPyTorch() throws Exception {
    check("conv_plain", new Conv2d(2, 3, 3));
    check("conv_stride_pad", new Conv2d(3, 4, 3, 2, 1));
    check("conv_dilation", new Conv2d(2, 2, 3, 1, 2, 2, false, Init.xavierUniform(), Init.zeros()));
  }

  @Test
  void poolsMatchPyTorch() throws Exception {
    check("maxpool", new MaxPool2d(2));
    check("maxpool_pad", new MaxPool2d(3, 2, 1));
    check("avgpool", new AvgPool2d(2));
    check("avgpool_pad", new AvgPool2d(3, 2, 1));
  }

  @Test
  void batchNormMatchesPyTorchInTrainingAndInference() throws Exception {
    check("batchnorm1d", new BatchNorm(3));
    BatchNorm bn = new BatchNorm(2);
    check("batchnorm2d", bn);
    Map<?, ?> eval = ref("batchnorm2d_eval");
    double[] xv = Reference.flat(eval.get("x"));
    float[] xf = new float[xv.length];
    for (int i = 0; i < xf.length; i++) {
      xf[i] = (float) xv[i];
    }
    Tensor y = bn.forward(Tensor.wrap(xf, 2, 2, 4, 5), false);
    close("batchnorm2d eval y", eval.get("y"), y.data());
  }
}
