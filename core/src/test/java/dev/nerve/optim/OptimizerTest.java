package dev.nerve.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nerve.nn.Parameter;
import dev.nerve.tensor.Tensor;
import dev.nerve.testing.Reference;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Each optimiser's steps against PyTorch's from the same weights and gradients (fixture and script:
 * {@code reference/optimizers_torch.py}), and one momentum step worked by hand.
 */
class OptimizerTest {
  private static void compare(String key, Function<List<Parameter>, Optimizer> make)
      throws Exception {
    Map<?, ?> ref = Reference.json("optimizers_torch.json");
    double[] w0 = Reference.flat(ref.get("w0"));
    float[] w = new float[w0.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) w0[i];
    }
    Parameter p = new Parameter("weight", Tensor.wrap(w, 2, 3));
    Optimizer opt = make.apply(List.of(p));
    List<?> grads = (List<?>) ref.get("grads");
    List<?> want = (List<?>) ref.get(key);
    for (int s = 0; s < grads.size(); s++) {
      opt.zeroGrad();
      double[] g = Reference.flat(grads.get(s));
      for (int i = 0; i < g.length; i++) {
        p.grad().data()[i] = (float) g[i];
      }
      opt.step();
      double[] expect = Reference.flat(want.get(s));
      for (int i = 0; i < expect.length; i++) {
        assertEquals(
            expect[i],
            p.value().data()[i],
            1e-6 * Math.max(1, Math.abs(expect[i])),
            key + " step " + (s + 1) + " value " + i);
      }
    }
  }

  @Test
  void plainSgdMatchesPyTorch() throws Exception {
    compare("sgd", ps -> new Sgd(ps, 0.1f));
  }

  @Test
  void momentumMatchesPyTorch() throws Exception {
    compare("momentum", ps -> new Sgd(ps, 0.1f, 0.9f, false));
  }

  @Test
  void nesterovMatchesPyTorch() throws Exception {
    compare("nesterov", ps -> new Sgd(ps, 0.1f, 0.9f, true));
  }

  @Test
  void adamMatchesPyTorch() throws Exception {
    compare("adam", ps -> new Adam(ps, 0.01f));
  }

  @Test
  void adamWithOtherBetasMatchesPyTorch() throws Exception {
    compare("adam_betas", ps -> new Adam(ps, 0.05f, 0.5f, 0.9f, 1e-6f));
  }

  @Test
  void weightDecayMatchesPyTorch() throws Exception {
    compare("sgd_wd", ps -> new Sgd(ps, 0.1f, 0.9f, false).setWeightDecay(0.05f));
    compare("adam_l2", ps -> new Adam(ps, 0.01f).setWeightDecay(0.1f));
    compare("rmsprop_wd", ps -> new RmsProp(ps, 0.01f, 0.9f, 1e-6f).setWeightDecay(0.1f));
    compare("adagrad_wd", ps -> new Adagrad(ps, 0.1f).setWeightDecay(0.2f));
  }

  @Test
  void adamWMatchesPyTorch() throws Exception {
    compare("adamw", ps -> new AdamW(ps, 0.01f));
    compare("adamw_strong", ps -> new AdamW(ps, 0.05f, 0.5f));
  }

  @Test
  void rmsPropAndAdagradMatchPyTorch() throws Exception {
    compare("rmsprop", ps -> new RmsProp(ps, 0.01f));
    compare("adagrad", ps -> new Adagrad(ps, 0.1f));
  }

  /** The first step's gradients as a 2x2 weight and a 2-vector bias, as the script splits them. */
  private static List<Parameter> clipped() throws Exception {
    double[] g =
        Reference.flat(((List<?>) Reference.json("optimizers_torch.json").get("grads")).get(1));
    Parameter w = new Parameter("weight", Tensor.zeros(2, 2));
    Parameter b = new Parameter("bias", Tensor.zeros(2));
    float[] wg = w.grad().data();
    wg[0] = (float) g[0];
    wg[1] = (float) g[1];
    wg[2] = (float) g[3];
    wg[3] = (float) g[4];
    b.grad().data()[0] = (float) g[2];
    b.grad().data()[1] = (float) g[5];
    return List.of(w, b);
  }

  private static void compareClipped(String key, List<Parameter> ps) throws Exception {
    Map<?, ?> ref = (Map<?, ?>) Reference.json("optimizers_torch.json").get(key);
    double[] want = Reference.flat(ref.get("grads"));
    float[] got = {
      ps.get(0).grad().data()[0], ps.get(0).grad().data()[1],
      ps.get(0).grad().data()[2], ps.get(0).grad().data()[3],
      ps.get(1).grad().data()[0], ps.get(1).grad().data()[1]
    };
    for (int i = 0; i < got.length; i++) {
      assertEquals(want[i], got[i], 1e-6, key + " " + i);
    }
  }

  @Test
  void clippingMatchesPyTorch() throws Exception {
    List<Parameter> ps = clipped();
    double norm = GradientClipping.clipByGlobalNormInPlace(ps, 1.5f);
    assertEquals(2.625, norm, 1e-6);
    compareClipped("clip_norm", ps);
    ps = clipped();
    GradientClipping.clipByValueInPlace(ps, 0.45f);
    compareClipped("clip_value", ps);
    // A norm already below the limit changes nothing.
    ps = clipped();
    GradientClipping.clipByGlobalNormInPlace(ps, 10f);
    assertEquals(1.5f, ps.get(0).grad().data()[0]);
    assertThrows(
        IllegalArgumentException.class, () -> GradientClipping.clipByValueInPlace(List.of(), 0f));
  }

  @Test
  void momentumByHand() {
    // w = 1, g = 2 twice, lr 0.5, mu 0.5: v1 = 2, w1 = 0; v2 = 0.5*2 + 2 = 3, w2 = -1.5.
    Parameter p = new Parameter("w", Tensor.of(1f));
    Sgd sgd = new Sgd(List.of(p), 0.5f, 0.5f, false);
    p.grad().data()[0] = 2f;
    sgd.step();
    assertEquals(0f, p.value().data()[0]);
    sgd.step();
    assertEquals(-1.5f, p.value().data()[0]);
  }

  @Test
  void adamFirstStepMovesByLearningRate() {
    // After one step m̂ = g and v̂ = g², so the move is lr * g / (|g| + eps): about lr.
    Parameter p = new Parameter("w", Tensor.of(0f, 0f));
    Adam adam = new Adam(List.of(p), 0.01f);
    p.grad().data()[0] = 5f;
    p.grad().data()[1] = -0.001f;
    adam.step();
    assertEquals(-0.01f, p.value().data()[0], 1e-7);
    assertEquals(0.01f, p.value().data()[1], 1e-6);
    assertEquals(1, adam.steps());
  }

  @Test
  void badSettingsAreRefused() {
    List<Parameter> ps = List.of(new Parameter("w", Tensor.of(0f)));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0.1f, 1f, false));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0.1f, 0f, true));
    assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 0.1f, 1f, 0.9f, 1e-8f));
    assertThrows(IllegalArgumentException.class, () -> new Adam(ps, -1f));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Optimizer.named("lbfgs", ps, 0.1f));
    assertEquals(
        "unknown optimizer 'lbfgs' (choose sgd, momentum, nesterov, adam, adamw, rmsprop or"
            + " adagrad)",
        e.getMessage());
    assertEquals(
        "Adam(learningRate=0.1, beta1=0.9, beta2=0.999)",
        Optimizer.named("adam", ps, 0.1f).toString());
  }
}
