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
public final class Adagrad implements Optimizer {
  private static final float EPSILON = 1e-10f;

  private final List<Parameter> parameters;
  private final List<float[]> sums = new ArrayList<>();
  private float learningRate;
  private float weightDecay;

  /**
   * Adagrad over {@code parameters}.
   *
   * @throws IllegalArgumentException if the learning rate is not positive and finite
   */
  public Adagrad(List<Parameter> parameters, float learningRate) {
    this.parameters = List.copyOf(parameters);
    for (Parameter p : this.parameters) {
      sums.add(new float[p.value().size()]);
    }
    setLearningRate(learningRate);
  }

  /**
   * Adds L2 weight decay ({@code weightDecay * w} added to every gradient). Returns this.
   *
   * @throws IllegalArgumentException if {@code weightDecay} is negative or not finite
   */
  public Adagrad setWeightDecay(float weightDecay) {
    this.weightDecay = Optimizer.checkWeightDecay(weightDecay);
    return this;
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
  public List<Parameter> parameters() {
    return parameters;
  }

  @Override
  public float learningRate() {
    return learningRate;
  }

  @Override
  public void setLearningRate(float learningRate) {
    Optimizer.checkLearningRate(learningRate);
    this.learningRate = learningRate;
  }

  @Override
  public String toString() {
    return "Adagrad(learningRate=" + learningRate + ")";
  }
}
