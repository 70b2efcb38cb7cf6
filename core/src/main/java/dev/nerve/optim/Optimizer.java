package dev.nerve.optim;

import dev.nerve.nn.Parameter;
import java.util.List;

/**
 * Updates parameters from their gradients. An optimiser is its own object, built from the list of
 * parameters it updates, and holds any state it needs (none for plain SGD); layers never see a
 * learning rate.
 */
public interface Optimizer {
  /** Applies one update to every parameter from its current gradient. */
  void step();

  /** Sets every parameter's gradient to zero (before a new backward pass). */
  default void zeroGrad() {
    for (Parameter p : parameters()) {
      p.zeroGradInPlace();
    }
  }

  /** The parameters this optimiser updates. */
  List<Parameter> parameters();

  /** The current learning rate. */
  float learningRate();

  /** Changes the learning rate from the next step on (for schedules). */
  void setLearningRate(float learningRate);

  /**
   * The optimiser's running state, copied, for a checkpoint that resumes to the same bits: the
   * number of steps taken and every per-weight array (momentum, averages), in a fixed order.
   */
  default State state() {
    return new State(0, List.of());
  }

  /**
   * Continues from a state {@link #state()} returned for an optimiser of the same kind over the
   * same parameters.
   *
   * @throws IllegalArgumentException if the state does not fit this optimiser
   */
  default void restoreState(State state) {
    if (state.steps() != 0 || !state.arrays().isEmpty()) {
      throw new IllegalArgumentException(this + " keeps no state, but the saved one has some");
    }
  }

  /**
   * An optimiser's running state.
   *
   * @param steps the steps taken (Adam's bias correction needs it)
   * @param arrays the per-weight arrays, in the optimiser's fixed order
   */
  record State(long steps, List<float[]> arrays) {}

  /**
   * Checks a learning rate.
   *
   * @throws IllegalArgumentException if it is not a positive finite number
   */
  static void checkLearningRate(float learningRate) {
    if (!(learningRate > 0f) || !Float.isFinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate must be a positive finite number, got " + learningRate);
    }
  }

  /**
   * Checks an L2 weight decay and returns it.
   *
   * @throws IllegalArgumentException if it is negative or not finite
   */
  static float checkWeightDecay(float weightDecay) {
    if (!(weightDecay >= 0f) || !Float.isFinite(weightDecay)) {
      throw new IllegalArgumentException(
          "weight decay must be 0 or a positive finite number, got " + weightDecay);
    }
    return weightDecay;
  }

  /** {@code g += weightDecay * w} for every parameter (nothing when the decay is 0). */
  static void addWeightDecay(List<Parameter> parameters, float weightDecay) {
    if (weightDecay != 0f) {
      for (Parameter p : parameters) {
        p.grad().addScaledInPlace(p.value(), weightDecay);
      }
    }
  }

  /**
   * The optimiser named {@code name} (sgd, momentum, nesterov, adam, adamw, rmsprop or adagrad)
   * over {@code parameters}; momentum and nesterov use μ = 0.9, adamw a weight decay of 0.01.
   *
   * @throws IllegalArgumentException naming the choices if there is no such optimiser
   */
  static Optimizer named(String name, List<Parameter> parameters, float learningRate) {
    return named(name, parameters, learningRate, -1f);
  }

  /**
   * As {@link #named(String, List, float)} with a weight decay: L2 for sgd, momentum, nesterov,
   * adam, rmsprop and adagrad, decoupled for adamw; a negative value keeps each optimiser's default
   * (0, or 0.01 for adamw).
   *
   * @throws IllegalArgumentException naming the choices if there is no such optimiser
   */
  static Optimizer named(
      String name, List<Parameter> parameters, float learningRate, float weightDecay) {
    float wd = Math.max(0f, weightDecay);
    boolean given = weightDecay >= 0f;
    return switch (name) {
      case "sgd" -> new Sgd(parameters, learningRate).setWeightDecay(wd);
      case "momentum" -> new Sgd(parameters, learningRate, 0.9f, false).setWeightDecay(wd);
      case "nesterov" -> new Sgd(parameters, learningRate, 0.9f, true).setWeightDecay(wd);
      case "adam" -> new Adam(parameters, learningRate).setWeightDecay(wd);
      case "adamw" ->
          given ? new AdamW(parameters, learningRate, wd) : new AdamW(parameters, learningRate);
      case "rmsprop" -> new RmsProp(parameters, learningRate).setWeightDecay(wd);
      case "adagrad" -> new Adagrad(parameters, learningRate).setWeightDecay(wd);
      default ->
          throw new IllegalArgumentException(
              "unknown optimizer '"
                  + name
                  + "' (choose sgd, momentum, nesterov, adam, adamw, rmsprop or adagrad)");
    };
  }
}
