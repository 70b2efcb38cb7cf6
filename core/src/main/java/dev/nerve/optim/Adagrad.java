package dev.nerve.optim;

import dev.nerve.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Adagrad (Duchi, Hazan and Singer): each weight sums its squared gradients, {@code s = s + g²},
 * and moves by {@code w = w - learningRate * g / (√s + ε)}, so often-updated weights slow down.
 * PyTorch's {@code torch.optim.Adagrad} with no learning-rate decay; ε 1e-10.
 *
 * <pre>{@code
 * Optimizer opt = new Adagrad(net.parameters(), 0.01f);
 * }</pre>
 */
public final class Adagrad extends BaseOptimizer {
  private static final float EPSILON = 1e-10f;

  private final List<float[]> sums = new ArrayList<>();

  /**
   * Adagrad over {@code parameters}.
   *
   * @throws IllegalArgumentException if the learning rate is not positive and finite
   */
  public Adagrad(List<Parameter> parameters, float learningRate) {
    super(parameters, learningRate);
    sums.addAll(zerosLikeParameters());
  }

  /**
   * Adds L2 weight decay ({@code weightDecay * w} added to every gradient). Returns this.
   *
   * @throws IllegalArgumentException if {@code weightDecay} is negative or not finite
   */
  public Adagrad setWeightDecay(float weightDecay) {
    setWeightDecayValue(weightDecay);
    return this;
  }

  @Override
  List<float[]> stateArrays() {
    return sums;
  }

  @Override
  public void step() {
    Optimizer.addWeightDecay(parameters, weightDecay);
    for (int k = 0; k < parameters.size(); k++) {
      float[] w = parameters.get(k).value().data();
      float[] g = parameters.get(k).grad().data();
      float[] s = sums.get(k);
      for (int i = 0; i < w.length; i++) {
        float si = s[i] + g[i] * g[i];
        s[i] = si;
        w[i] -= learningRate * g[i] / ((float) Math.sqrt(si) + EPSILON);
      }
    }
  }

  @Override
  public String toString() {
    return "Adagrad(learningRate=" + learningRate + ")";
  }
}
