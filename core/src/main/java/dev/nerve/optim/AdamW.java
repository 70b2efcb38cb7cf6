package dev.nerve.optim;

import dev.nerve.nn.Parameter;
import java.util.List;

/**
 * AdamW (Loshchilov and Hutter): Adam with decoupled weight decay. Each step first shrinks every
 * weight, {@code w = w - learningRate * weightDecay * w}, then takes Adam's step on the plain
 * gradient; unlike L2 decay the shrinking is not rescaled by Adam's per-weight step size. PyTorch's
 * {@code torch.optim.AdamW}; default weight decay 0.01.
 *
 * <pre>{@code
 * Optimizer opt = new AdamW(net.parameters(), 1e-3f, 0.01f);
 * }</pre>
 */
public final class AdamW implements Optimizer {
  private final Adam adam;

  /** AdamW with weight decay 0.01 and Adam's usual β1 0.9, β2 0.999, ε 1e-8. */
  public AdamW(List<Parameter> parameters, float learningRate) {
    this(parameters, learningRate, 0.01f);
  }

  /**
   * AdamW with the given weight decay.
   *
   * @throws IllegalArgumentException if the learning rate is not positive and finite or the decay
   *     is negative or not finite
   */
  public AdamW(List<Parameter> parameters, float learningRate, float weightDecay) {
    this.adam = new Adam(parameters, learningRate).decoupled(weightDecay);
  }

  @Override
  public void step() {
    adam.step();
  }

  @Override
  public List<Parameter> parameters() {
    return adam.parameters();
  }

  @Override
  public float learningRate() {
    return adam.learningRate();
  }

  @Override
  public void setLearningRate(float learningRate) {
    adam.setLearningRate(learningRate);
  }

  @Override
  public State state() {
    return adam.state();
  }

  @Override
  public void restoreState(State state) {
    adam.restoreState(state);
  }

  @Override
  public String toString() {
    return "AdamW(learningRate="
        + adam.learningRate()
        + ", weightDecay="
        + adam.weightDecay()
        + ")";
  }
}
