package dev.nerve.optim;

import dev.nerve.nn.Parameter;
import dev.nerve.tensor.kernel.ElementWise;
import java.util.List;

/**
 * Gradient descent, plain or with momentum.
 *
 * <p>Plain ({@code momentum = 0}): {@code w = w - learningRate * g} for every parameter, exactly
 * the tutorials' update. With momentum μ, each parameter keeps a velocity {@code v = μ v + g} and
 * moves by {@code w = w - learningRate * v}; Nesterov's variant moves by {@code w = w -
 * learningRate * (g + μ v)}. These are PyTorch's {@code torch.optim.SGD} formulas (no dampening).
 *
 * <p>Whether this is full-batch, stochastic or mini-batch gradient descent depends only on how many
 * examples the gradient was computed from: see {@link dev.nerve.train.Trainer}'s batch size.
 *
 * <pre>{@code
 * Optimizer sgd = new Sgd(net.parameters(), 0.1f);
 * Optimizer momentum = new Sgd(net.parameters(), 0.05f, 0.9f, true);
 * }</pre>
 */
public final class Sgd extends BaseOptimizer {
  private final float momentum;
  private final boolean nesterov;
  private final List<float[]> velocity;

  /**
   * Plain gradient descent over {@code parameters}.
   *
   * @throws IllegalArgumentException if the learning rate is not a positive finite number
   */
  public Sgd(List<Parameter> parameters, float learningRate) {
    this(parameters, learningRate, 0f, false);
  }

  /**
   * Gradient descent with momentum {@code momentum} (0 for none), Nesterov's if {@code nesterov}.
   *
   * @throws IllegalArgumentException if the learning rate is not positive and finite, the momentum
   *     is outside [0, 1), or Nesterov is asked for without momentum
   */
  public Sgd(List<Parameter> parameters, float learningRate, float momentum, boolean nesterov) {
    super(parameters, learningRate);
    if (!(momentum >= 0f && momentum < 1f)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    if (nesterov && momentum == 0f) {
      throw new IllegalArgumentException("Nesterov momentum needs a momentum above 0");
    }
    this.momentum = momentum;
    this.nesterov = nesterov;
    this.velocity = momentum > 0f ? zerosLikeParameters() : List.of();
  }

  @Override
  List<float[]> stateArrays() {
    return velocity;
  }

  @Override
  public void step() {
    Optimizer.addWeightDecay(parameters, weightDecay);
    if (momentum == 0f) {
      for (Parameter p : parameters) {
        p.value().addScaledInPlace(p.grad(), -learningRate);
      }
      return;
    }
    for (int k = 0; k < parameters.size(); k++) {
      Parameter p = parameters.get(k);
      float[] w = p.value().data();
      float[] g = p.grad().data();
      float[] v = velocity.get(k);
      ElementWise.forRanges(w.length, (from, to) -> update(w, g, v, from, to));
    }
  }

  private void update(float[] w, float[] g, float[] v, int from, int to) {
    for (int i = from; i < to; i++) {
      float vi = momentum * v[i] + g[i];
      v[i] = vi;
      w[i] -= learningRate * (nesterov ? g[i] + momentum * vi : vi);
    }
  }

  /**
   * Adds L2 weight decay: each step first adds {@code weightDecay * w} to every gradient (as
   * PyTorch's {@code weight_decay}). Returns this optimiser.
   *
   * @throws IllegalArgumentException if {@code weightDecay} is negative or not finite
   */
  public Sgd setWeightDecay(float weightDecay) {
    setWeightDecayValue(weightDecay);
    return this;
  }

  /** The momentum (0 for plain gradient descent). */
  public float momentum() {
    return momentum;
  }

  /** Whether the momentum is Nesterov's. */
  public boolean nesterov() {
    return nesterov;
  }

  @Override
  public String toString() {
    return momentum == 0f
        ? "Sgd(learningRate=" + learningRate + ")"
        : "Sgd(learningRate="
            + learningRate
            + ", momentum="
            + momentum
            + (nesterov ? ", nesterov" : "")
            + ")";
  }
}
