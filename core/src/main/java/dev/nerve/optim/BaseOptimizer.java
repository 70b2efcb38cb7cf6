package dev.nerve.optim;

import dev.nerve.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/** What every optimiser here keeps: its parameters, learning rate and L2 weight decay. */
abstract class BaseOptimizer implements Optimizer {
  final List<Parameter> parameters;
  float learningRate;
  float weightDecay;

  BaseOptimizer(List<Parameter> parameters, float learningRate) {
    this.parameters = List.copyOf(parameters);
    setLearningRate(learningRate);
  }

  /** The L2 weight decay added to each gradient by {@link #step()} (0 for none). */
  public float weightDecay() {
    return weightDecay;
  }

  /** One zeroed array per parameter, for per-weight state such as averages. */
  final List<float[]> zerosLikeParameters() {
    List<float[]> state = new ArrayList<>();
    for (Parameter p : parameters) {
      state.add(new float[p.value().size()]);
    }
    return state;
  }

  final void setWeightDecayValue(float weightDecay) {
    this.weightDecay = Optimizer.checkWeightDecay(weightDecay);
  }

  @Override
  public final List<Parameter> parameters() {
    return parameters;
  }

  @Override
  public final float learningRate() {
    return learningRate;
  }

  @Override
  public final void setLearningRate(float learningRate) {
    Optimizer.checkLearningRate(learningRate);
    this.learningRate = learningRate;
  }
}
