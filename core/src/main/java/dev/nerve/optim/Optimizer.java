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
}
