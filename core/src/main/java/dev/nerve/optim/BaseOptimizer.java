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

  /** The live per-weight arrays of the running state, in a fixed order (none by default). */
  List<float[]> stateArrays() {
    return List.of();
  }

  /** Steps taken, for optimisers whose update depends on it. */
  long stepCount() {
    return 0;
  }

  void setStepCount(long steps) {}

  @Override
  public final State state() {
    List<float[]> copies = new ArrayList<>();
    for (float[] a : stateArrays()) {
      copies.add(a.clone());
    }
    return new State(stepCount(), copies);
  }

  @Override
  public final void restoreState(State state) {
    List<float[]> live = stateArrays();
    if (state.arrays().size() != live.size()) {
      throw new IllegalArgumentException(
          this
              + " keeps "
              + live.size()
              + " state arrays, the saved state has "
              + state.arrays().size());
    }
    for (int i = 0; i < live.size(); i++) {
      if (state.arrays().get(i).length != live.get(i).length) {
        throw new IllegalArgumentException(
            this
                + ": saved state array "
                + i
                + " has "
                + state.arrays().get(i).length
                + " values, the parameters need "
                + live.get(i).length);
      }
    }
    if (state.steps() < 0) {
      throw new IllegalArgumentException("a step count cannot be negative: " + state.steps());
    }
    for (int i = 0; i < live.size(); i++) {
      System.arraycopy(state.arrays().get(i), 0, live.get(i), 0, live.get(i).length);
    }
    setStepCount(state.steps());
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
