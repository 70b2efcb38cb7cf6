package dev.nerve.optim;

import dev.nerve.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * RMSProp (Hinton): each weight keeps a running average of its squared gradient, {@code v = α v +
 * (1 - α) g²}, and moves by {@code w = w - learningRate * g / (√v + ε)}. PyTorch's {@code
 * torch.optim.RMSprop} without momentum or centring; defaults α 0.99, ε 1e-8.
 *
 * <pre>{@code
 * Optimizer opt = new RmsProp(net.parameters(), 1e-3f);
 * }</pre>
 */
public final class RmsProp extends BaseOptimizer {
  private final float alpha;
  private final float epsilon;
  private final List<float[]> v = new ArrayList<>();

  /** RMSProp with α 0.99 and ε 1e-8. */
  public RmsProp(List<Parameter> parameters, float learningRate) {
    this(parameters, learningRate, 0.99f, 1e-8f);
  }

  /**
   * RMSProp with chosen smoothing α and ε.
   *
   * @throws IllegalArgumentException if α is outside [0, 1) or ε or the learning rate is not
   *     positive and finite
   */
  public RmsProp(List<Parameter> parameters, float learningRate, float alpha, float epsilon) {
    super(parameters, learningRate);
    if (!(alpha >= 0f && alpha < 1f)) {
      throw new IllegalArgumentException("RMSProp's alpha must be in [0, 1), got " + alpha);
    }
    if (!(epsilon > 0f) || !Float.isFinite(epsilon)) {
      throw new IllegalArgumentException("RMSProp's epsilon must be positive, got " + epsilon);
    }
    this.alpha = alpha;
    this.epsilon = epsilon;
    v.addAll(zerosLikeParameters());
  }

  /**
   * Adds L2 weight decay ({@code weightDecay * w} added to every gradient). Returns this.
   *
   * @throws IllegalArgumentException if {@code weightDecay} is negative or not finite
   */
  public RmsProp setWeightDecay(float weightDecay) {
    setWeightDecayValue(weightDecay);
    return this;
  }

  @Override
  List<float[]> stateArrays() {
    return v;
  }

  @Override
  public void step() {
    Optimizer.addWeightDecay(parameters, weightDecay);
    for (int k = 0; k < parameters.size(); k++) {
      float[] w = parameters.get(k).value().data();
      float[] g = parameters.get(k).grad().data();
      float[] vk = v.get(k);
      for (int i = 0; i < w.length; i++) {
        float vi = alpha * vk[i] + (1 - alpha) * g[i] * g[i];
        vk[i] = vi;
        w[i] -= learningRate * g[i] / ((float) Math.sqrt(vi) + epsilon);
      }
    }
  }

  @Override
  public String toString() {
    return "RmsProp(learningRate=" + learningRate + ", alpha=" + alpha + ")";
  }
}
