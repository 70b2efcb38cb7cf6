package dev.nerve.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nerve.tensor.Tensor;
import dev.nerve.testing.Reference;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GELU, ELU, Softplus and SiLU against PyTorch, values and gradients, from large negative inputs
 * through 0 to past Softplus's threshold (fixture and script: {@code
 * reference/activations_torch.py}).
 */
class ActivationConformanceTest {
  private static void compare(String key, Activation f) throws Exception {
    Map<?, ?> ref = Reference.json("activations_torch.json");
    double[] xs = Reference.flat(ref.get("x"));
    Map<?, ?> want = (Map<?, ?>) ref.get(key);
    double[] y = Reference.flat(want.get("y"));
    double[] g = Reference.flat(want.get("grad"));
    float[] x = new float[xs.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) xs[i];
    }
    Tensor in = Tensor.wrap(x, 1, x.length);
    Tensor out = f.forward(in, true);
    Tensor grad = f.backward(Tensor.full(1f, 1, x.length));
    for (int i = 0; i < x.length; i++) {
      assertEquals(y[i], out.data()[i], 1e-6 + 1e-5 * Math.abs(y[i]), key + " y at " + x[i]);
      assertEquals(g[i], grad.data()[i], 1e-6 + 1e-5 * Math.abs(g[i]), key + " grad at " + x[i]);
    }
  }

  @Test
  void geluMatchesPyTorch() throws Exception {
    compare("gelu", new GELU());
  }

  @Test
  void eluMatchesPyTorch() throws Exception {
    compare("elu", new ELU());
    compare("elu_half", new ELU(0.5f));
  }

  @Test
  void softplusMatchesPyTorch() throws Exception {
    compare("softplus", new Softplus());
  }

  @Test
  void siluMatchesPyTorch() throws Exception {
    compare("silu", new SiLU());
  }
}
