package dev.nerve.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.nerve.loss.Loss;
import dev.nerve.nn.Layer;
import dev.nerve.nn.Parameter;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Tensor;

/**
 * The one central-difference gradient checker every layer and loss test uses.
 *
 * <p>For a layer, the scalar checked is {@code L = sum(output * R)} for a fixed random R, so that
 * every output element contributes; dL/d(output) is then R. Each input and parameter element is
 * nudged by +-eps and {@code (L+ - L-) / 2 eps} compared with backpropagation.
 */
public final class GradientCheck {
  /** Step of the central difference: float32 rounding and curvature balance near 1e-2..1e-3. */
  public static final float EPS = 1e-3f;

  private static final double RTOL = 2e-2;
  private static final double ATOL = 2e-3;

  private GradientCheck() {}

  /** Checks dL/d(input) and dL/d(every parameter) of {@code layer} at {@code input}. */
  public static void checkLayer(Layer layer, Tensor input, long seed) {
    checkLayer(layer, input, null, seed, false);
  }

  /**
   * As {@link #checkLayer(Layer, Tensor, long)} over sequences of these lengths (see {@link
   * Layer#forward(Tensor, int[], boolean)}).
   */
  public static void checkLayer(Layer layer, Tensor input, int[] lengths, long seed) {
    checkLayer(layer, input, lengths, seed, false);
  }

  /**
   * As {@link #checkLayer(Layer, Tensor, long)}, with the finite differences taken in training
   * mode: for layers whose training function differs from inference (batch normalisation uses the
   * batch's statistics).
   */
  public static void checkLayerTraining(Layer layer, Tensor input, long seed) {
    checkLayer(layer, input, null, seed, true);
  }

  private static void checkLayer(
      Layer layer, Tensor input, int[] lengths, long seed, boolean training) {
    Rng rng = new Rng(seed);
    Tensor out = layer.forward(input, lengths, true);
    Tensor r = Tensor.uniform(rng, -1f, 1f, out.shape().dims());
    for (Parameter p : layer.parameters()) {
      p.zeroGradInPlace();
    }
    Tensor gradIn = layer.backward(r).copy();
    float[] x = input.data();
    for (int i = 0; i < x.length; i++) {
      double numeric = numeric(layer, input, lengths, r, x, i, training);
      compare(layer + " dL/dinput[" + i + "]", numeric, gradIn.data()[i]);
    }
    for (Parameter p : layer.parameters()) {
      float[] w = p.value().data();
      for (int i = 0; i < w.length; i++) {
        double numeric = numeric(layer, input, lengths, r, w, i, training);
        compare(layer + " dL/d" + p + "[" + i + "]", numeric, p.grad().data()[i]);
      }
    }
  }

  private static double numeric(
      Layer layer, Tensor input, int[] lengths, Tensor r, float[] arr, int i, boolean training) {
    float old = arr[i];
    arr[i] = old + EPS;
    double plus = dot(layer.forward(input, lengths, training), r);
    arr[i] = old - EPS;
    double minus = dot(layer.forward(input, lengths, training), r);
    arr[i] = old;
    return (plus - minus) / (2.0 * EPS);
  }

  private static double dot(Tensor a, Tensor b) {
    double s = 0;
    for (int i = 0; i < a.size(); i++) {
      s += (double) a.data()[i] * b.data()[i];
    }
    return s;
  }

  /** Checks dL/d(prediction) of {@code loss} at {@code prediction}. */
  public static void checkLoss(Loss loss, Tensor prediction, Tensor target) {
    Tensor g = loss.gradient(prediction, target);
    float[] p = prediction.data();
    for (int i = 0; i < p.length; i++) {
      float old = p[i];
      p[i] = old + EPS;
      double plus = loss.value(prediction, target);
      p[i] = old - EPS;
      double minus = loss.value(prediction, target);
      p[i] = old;
      compare(loss + " dL/dprediction[" + i + "]", (plus - minus) / (2.0 * EPS), g.data()[i]);
    }
  }

  /**
   * Checks {@code loss}'s gradient with a mask over positions: for every prediction element, kept
   * or padded (a padded one must have a zero gradient, as the value does not depend on it).
   */
  public static void checkLoss(Loss loss, Tensor prediction, Tensor target, Tensor mask) {
    Tensor g = Tensor.zeros(prediction.shape().dims());
    loss.gradient(prediction, target, mask, g, loss.terms(prediction, mask));
    float[] p = prediction.data();
    for (int i = 0; i < p.length; i++) {
      float old = p[i];
      p[i] = old + EPS;
      double plus = loss.value(prediction, target, mask);
      p[i] = old - EPS;
      double minus = loss.value(prediction, target, mask);
      p[i] = old;
      compare(
          loss + " masked dL/dprediction[" + i + "]", (plus - minus) / (2.0 * EPS), g.data()[i]);
    }
  }

  private static void compare(String what, double numeric, double analytic) {
    double tol = ATOL + RTOL * Math.max(Math.abs(numeric), Math.abs(analytic));
    if (!(Math.abs(numeric - analytic) <= tol)) {
      fail(what + ": backpropagation gives " + analytic + ", central difference " + numeric);
    }
  }
}
