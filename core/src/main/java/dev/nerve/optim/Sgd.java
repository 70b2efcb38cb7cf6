package dev.nerve.optim;

import dev.nerve.nn.Parameter;
import java.util.List;

/**
 * Plain gradient descent: {@code w = w - learningRate * dL/dw} for every parameter.
 *
 * <p>Whether this is full-batch, stochastic or mini-batch gradient descent depends only on how many
 * examples the gradient was computed from: see {@link dev.nerve.train.Trainer}'s batch size.
 *
 * <pre>{@code
 * Optimizer sgd = new Sgd(net.parameters(), 0.1f);
 * }</pre>
 */
public final class Sgd implements Optimizer {
  private final List<Parameter> parameters;
  private float learningRate;

  /**
   * Gradient descent over {@code parameters}.
   *
   * @throws IllegalArgumentException if the learning rate is not a positive finite number
   */
  public Sgd(List<Parameter> parameters, float learningRate) {
    this.parameters = List.copyOf(parameters);
    setLearningRate(learningRate);
  }

  @Override
  public void step() {
    for (Parameter p : parameters) {
      p.value().addScaledInPlace(p.grad(), -learningRate);
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
    if (!(learningRate > 0f) || !Float.isFinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate must be a positive finite number, got " + learningRate);
    }
    this.learningRate = learningRate;
  }

  @Override
  public String toString() {
    return "Sgd(learningRate=" + learningRate + ")";
  }
}
