package dev.nerve.optim;

import dev.nerve.nn.Parameter;
import dev.nerve.tensor.kernel.ElementWise;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba, 2015): each parameter keeps running averages of its gradient and squared
 * gradient and moves by their bias-corrected ratio.
 *
 * <pre>
 * m = β1 m + (1 - β1) g          v = β2 v + (1 - β2) g²
 * m̂ = m / (1 - β1^t)              v̂ = v / (1 - β2^t)
 * w = w - learningRate * m̂ / (√v̂ + ε)
 * </pre>
 *
 * These are PyTorch's {@code torch.optim.Adam} formulas (no weight decay, no AMSGrad); defaults β1
 * 0.9, β2 0.999, ε 1e-8.
 *
 * <pre>{@code
 * Optimizer adam = new Adam(net.parameters(), 1e-3f);
 * }</pre>
 */
public final class Adam extends BaseOptimizer {
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final List<float[]> m = new ArrayList<>();
  private final List<float[]> v = new ArrayList<>();
  private boolean decoupled;
  private long t;

  /** Adam with the usual β1 0.9, β2 0.999 and ε 1e-8. */
  public Adam(List<Parameter> parameters, float learningRate) {
    this(parameters, learningRate, 0.9f, 0.999f, 1e-8f);
  }

  /**
   * Adam with chosen decay rates and ε.
   *
   * @throws IllegalArgumentException if the learning rate or ε is not positive and finite, or a
   *     beta is outside [0, 1)
   */
  public Adam(
      List<Parameter> parameters, float learningRate, float beta1, float beta2, float epsilon) {
    super(parameters, learningRate);
    if (!(beta1 >= 0f && beta1 < 1f) || !(beta2 >= 0f && beta2 < 1f)) {
      throw new IllegalArgumentException(
          "Adam's betas must be in [0, 1), got " + beta1 + " and " + beta2);
    }
    if (!(epsilon > 0f) || !Float.isFinite(epsilon)) {
      throw new IllegalArgumentException("Adam's epsilon must be positive, got " + epsilon);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    m.addAll(zerosLikeParameters());
    v.addAll(zerosLikeParameters());
  }

  /**
   * Adds L2 weight decay: {@code weightDecay * w} is added to every gradient before the averages
   * (PyTorch's {@code Adam(weight_decay=...)}). For decoupled decay use {@link AdamW}. Returns this
   * optimiser.
   *
   * @throws IllegalArgumentException if {@code weightDecay} is negative or not finite
   */
  public Adam setWeightDecay(float weightDecay) {
    setWeightDecayValue(weightDecay);
    return this;
  }

  /** AdamW: decay applied to the weights directly, {@code w -= lr * weightDecay * w}. */
  @Override
  List<float[]> stateArrays() {
    List<float[]> all = new ArrayList<>(m);
    all.addAll(v);
    return all;
  }

  @Override
  long stepCount() {
    return t;
  }

  @Override
  void setStepCount(long steps) {
    t = steps;
  }

  Adam decoupled(float weightDecay) {
    this.weightDecay = Optimizer.checkWeightDecay(weightDecay);
    this.decoupled = true;
    return this;
  }

  @Override
  public float weightDecay() {
    return weightDecay;
  }

  @Override
  public void step() {
    if (decoupled) {
      float keep = 1 - learningRate * weightDecay;
      for (Parameter p : parameters) {
        p.value().scaleInPlace(keep);
      }
    } else {
      Optimizer.addWeightDecay(parameters, weightDecay);
    }
    t++;
    double c1 = 1 - Math.pow(beta1, t);
    double c2 = 1 - Math.pow(beta2, t);
    // PyTorch's arrangement: step = lr / c1, denominator = sqrt(v) / sqrt(c2) + eps.
    float stepSize = (float) (learningRate / c1);
    float sqrtC2 = (float) Math.sqrt(c2);
    for (int k = 0; k < parameters.size(); k++) {
      Parameter p = parameters.get(k);
      float[] w = p.value().data();
      float[] g = p.grad().data();
      float[] mk = m.get(k);
      float[] vk = v.get(k);
      // Element by element, so any split across threads gives the same bits.
      ElementWise.forRanges(
          w.length, (from, to) -> update(w, g, mk, vk, from, to, stepSize, sqrtC2));
    }
  }

  private void update(
      float[] w, float[] g, float[] mk, float[] vk, int from, int to, float stepSize, float c2) {
    for (int i = from; i < to; i++) {
      float gi = g[i];
      float mi = beta1 * mk[i] + (1 - beta1) * gi;
      float vi = beta2 * vk[i] + (1 - beta2) * gi * gi;
      mk[i] = mi;
      vk[i] = vi;
      w[i] -= stepSize * mi / ((float) Math.sqrt(vi) / c2 + epsilon);
    }
  }

  /** Steps taken so far. */
  public long steps() {
    return t;
  }

  @Override
  public String toString() {
    return "Adam(learningRate=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2 + ")";
  }
}
