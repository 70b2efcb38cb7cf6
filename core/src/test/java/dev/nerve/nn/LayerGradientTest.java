package dev.nerve.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Tensor;
import dev.nerve.testing.GradientCheck;
import org.junit.jupiter.api.Test;

/** Every differentiable layer against the shared central-difference check. */
class LayerGradientTest {
  private static Tensor input(long seed, int rows, int cols) {
    // Keep clear of ReLU's kink at 0 so the central difference never straddles it.
    Tensor x = Tensor.uniform(new Rng(seed), 0.1f, 1.5f, rows, cols);
    Rng signs = new Rng(seed + 1);
    for (int i = 0; i < x.size(); i++) {
      if (signs.nextInt(2) == 0) {
        x.data()[i] = -x.data()[i];
      }
    }
    return x;
  }

  @Test
  void denseWithBias() {
    Dense d = new Dense(5, 3);
    d.initialize(new Rng(7));
    d.bias().value().fillInPlace(0.3f);
    GradientCheck.checkLayer(d, input(1, 4, 5), 11);
  }

  @Test
  void denseWithoutBias() {
    Dense d = new Dense(3, 4, false);
    d.initialize(new Rng(8));
    GradientCheck.checkLayer(d, input(2, 1, 3), 12);
  }

  @Test
  void denseWithOddSizesLargeEnoughForTheBlockedKernel() {
    Dense d = new Dense(37, 21);
    d.initialize(new Rng(9));
    GradientCheck.checkLayer(d, input(3, 19, 37), 13);
  }

  @Test
  void sigmoid() {
    GradientCheck.checkLayer(new Sigmoid(), input(4, 3, 5), 14);
  }

  @Test
  void tanh() {
    GradientCheck.checkLayer(new Tanh(), input(5, 3, 5), 15);
  }

  private static Tensor images(long seed, int... dims) {
    return Tensor.uniform(new Rng(seed), -1f, 1f, dims);
  }

  @Test
  void conv2d() {
    Conv2d c = new Conv2d(2, 3, 3);
    c.initialize(new Rng(40));
    c.bias().value().fillInPlace(0.2f);
    GradientCheck.checkLayer(c, images(41, 2, 2, 5, 4), 42);
  }

  @Test
  void conv2dWithStridePaddingDilationAndOddSizes() {
    Conv2d c = new Conv2d(3, 2, 3, 2, 2, 2, true, Init.heUniform(), Init.uniform(-1, 1));
    c.initialize(new Rng(43));
    GradientCheck.checkLayer(c, images(44, 2, 3, 7, 5), 45);
    Conv2d one = new Conv2d(1, 1, 1);
    one.initialize(new Rng(46));
    GradientCheck.checkLayer(one, images(47, 1, 1, 3, 3), 48);
  }

  @Test
  void conv2dWithPaddingThatTheDirectKernelComputes() {
    // Stride 1 with padding: forward, weight and input gradients of the direct path (with the
    // Vector API) or of im2col (without), against finite differences.
    Conv2d c = new Conv2d(2, 4, 5, 1, 2);
    c.initialize(new Rng(61));
    c.bias().value().fillInPlace(-0.1f);
    GradientCheck.checkLayer(c, images(62, 2, 2, 9, 7), 63);
  }

  @Test
  void conv2dWithPaddingWiderThanTheInput() {
    // Width 1, padding 2, a 5×5 kernel: some taps' columns lie wholly in the padding. Im2col made
    // an empty copy from past the end of the input there and threw: the stride-1 layer takes im2col
    // in the suite's run without the Vector API (with it, the direct kernels), the stride-2 one
    // im2col's element loop in both.
    Conv2d direct = new Conv2d(2, 3, 5, 1, 2);
    direct.initialize(new Rng(55));
    GradientCheck.checkLayer(direct, images(56, 3, 2, 6, 1), 57);
    Conv2d lowered = new Conv2d(2, 3, 5, 2, 2);
    lowered.initialize(new Rng(58));
    GradientCheck.checkLayer(lowered, images(59, 3, 2, 6, 1), 60);
  }

  @Test
  void pooling() {
    // Distinct values keep the max away from ties, where the derivative jumps.
    Tensor x = Tensor.zeros(2, 2, 5, 5);
    for (int i = 0; i < x.size(); i++) {
      x.data()[i] = ((i * 37) % 101) / 50f - 1f;
    }
    GradientCheck.checkLayer(new MaxPool2d(2), x, 50);
    GradientCheck.checkLayer(new MaxPool2d(3, 2, 1), x, 51);
    GradientCheck.checkLayer(new AvgPool2d(2), x, 52);
    GradientCheck.checkLayer(new AvgPool2d(3, 2, 1), x, 53);
    GradientCheck.checkLayer(new GlobalAvgPool2d(), x, 54);
    GradientCheck.checkLayer(new Flatten(), x, 55);
  }

  @Test
  void batchNorm() {
    BatchNorm dense = new BatchNorm(3);
    dense.parameters().get(0).value().data()[1] = -0.7f;
    GradientCheck.checkLayerTraining(dense, input(56, 5, 3), 57);
    BatchNorm conv = new BatchNorm(2);
    conv.parameters().get(1).value().data()[0] = 0.4f;
    GradientCheck.checkLayerTraining(conv, images(58, 3, 2, 3, 2), 59);
  }

  @Test
  void gelu() {
    GradientCheck.checkLayer(new GELU(), input(21, 3, 5), 31);
  }

  @Test
  void elu() {
    GradientCheck.checkLayer(new ELU(), input(22, 3, 5), 32);
    GradientCheck.checkLayer(new ELU(0.5f), input(23, 3, 5), 33);
  }

  @Test
  void softplus() {
    GradientCheck.checkLayer(new Softplus(), input(24, 3, 5), 34);
  }

  @Test
  void silu() {
    GradientCheck.checkLayer(new SiLU(), input(25, 3, 5), 35);
  }

  @Test
  void relu() {
    GradientCheck.checkLayer(new ReLU(), input(6, 3, 5), 16);
  }

  @Test
  void leakyRelu() {
    GradientCheck.checkLayer(new LeakyReLU(0.2f), input(7, 3, 5), 17);
  }

  @Test
  void identity() {
    GradientCheck.checkLayer(new Identity(), input(8, 3, 5), 18);
  }

  @Test
  void softmax() {
    GradientCheck.checkLayer(new Softmax(), input(9, 4, 6), 19);
  }

  /**
   * Smooth activations only: inside a network the pre-activations are not under the test's control,
   * and a central difference that straddles ReLU's kink at 0 is wrong by design. ReLU and LeakyReLU
   * are checked on their own, on inputs held away from 0.
   */
  @Test
  void wholeNetwork() {
    Sequential net =
        new Sequential(
                new Dense(4, 6),
                new Tanh(),
                new Dense(6, 5),
                new Sigmoid(),
                new Dense(5, 3),
                new Sigmoid())
            .initialize(3);
    GradientCheck.checkLayer(net, input(10, 7, 4), 20);
  }

  @Test
  void slopesAreTheDerivativesTheTutorialsUse() {
    Sigmoid s = new Sigmoid();
    float y = s.apply(0.7f);
    assertEquals(y * (1 - y), s.slope(0.7f, y), 1e-7);
    assertEquals(
        1 - Math.tanh(0.4) * Math.tanh(0.4), new Tanh().slope(0.4f, (float) Math.tanh(0.4)), 1e-6);
    assertEquals(0f, new ReLU().slope(-1f, 0f));
    assertEquals(1f, new ReLU().slope(2f, 2f));
    assertEquals(0.2f, new LeakyReLU(0.2f).slope(-3f, -0.6f));
    assertEquals(1f, new Identity().slope(5f, 5f));
    Tensor x = Tensor.of(new float[][] {{-1, 0.5f}});
    Tensor out = s.forward(x, false);
    Tensor slope = s.slope(x, out);
    assertEquals(out.get(0, 1) * (1 - out.get(0, 1)), slope.get(0, 1), 1e-7);
  }

  @Test
  void softmaxRowsSumToOneAndSurviveHugeLogits() {
    Tensor y =
        new Softmax().forward(Tensor.of(new float[][] {{1000, 1001, 999}, {-5, 0, 5}}), false);
    for (int r = 0; r < 2; r++) {
      assertEquals(1.0, y.get(r, 0) + y.get(r, 1) + y.get(r, 2), 1e-6);
    }
    assertEquals(Math.exp(1) / (1 + Math.exp(1) + Math.exp(-1)), y.get(0, 1), 1e-6);
  }

  @Test
  void backwardWithoutForwardIsAClearError() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> new Dense(2, 2).backward(Tensor.zeros(1, 2)));
    assertEquals("Dense(in=2, out=2): backward without a training forward", e.getMessage());
  }

  @Test
  void dropoutInferenceBetweenAForwardAndItsBackwardLeavesTheMaskAlone() {
    Dropout d = new Dropout(0.5f);
    d.initialize(new Rng(3));
    Tensor x = Tensor.full(1f, 4, 8);
    Tensor y = d.forward(x, true).copy();
    assertEquals(x, d.forward(x, false), "inference is the identity");
    Tensor g = d.backward(Tensor.full(1f, 4, 8));
    for (int i = 0; i < y.size(); i++) {
      assertEquals(y.data()[i], g.data()[i], 0f, "the training pass's mask, element " + i);
    }
  }
}
