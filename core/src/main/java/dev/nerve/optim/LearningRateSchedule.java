package dev.nerve.optim;

/**
 * How the learning rate changes from epoch to epoch. The trainer asks for each epoch's rate before
 * the epoch starts ({@code Trainer.Builder.learningRateSchedule}); the rates are PyTorch's
 * schedulers' ({@code StepLR}, {@code ExponentialLR}, {@code CosineAnnealingLR}, {@code LinearLR}
 * for warm-up, {@code ReduceLROnPlateau}) stepped once per epoch.
 *
 * <pre>{@code
 * LearningRateSchedule s = LearningRateSchedule.warmup(2, LearningRateSchedule.cosine(20, 0f));
 * }</pre>
 *
 * A schedule may keep state (reduce-on-plateau does): use one object per training run.
 */
public interface LearningRateSchedule {
  /**
   * The rate for {@code epoch} (from 1).
   *
   * @param epoch the epoch about to run, from 1
   * @param baseRate the optimiser's rate when training started
   * @param previousLoss the loss the schedule watches (validation loss when there is a validation
   *     set, else training loss) after the previous epoch; NaN before the first
   */
  float rate(int epoch, float baseRate, double previousLoss);

  /** The same rate every epoch. */
  static LearningRateSchedule constant() {
    return (epoch, base, loss) -> base;
  }

  /**
   * Step decay: the rate times {@code gamma} every {@code stepSize} epochs, {@code base *
   * gamma^floor((epoch - 1) / stepSize)}.
   *
   * @throws IllegalArgumentException if {@code stepSize < 1} or gamma is not in (0, 1]
   */
  static LearningRateSchedule step(int stepSize, float gamma) {
    if (stepSize < 1) {
      throw new IllegalArgumentException("step size must be at least 1, got " + stepSize);
    }
    checkFactor(gamma);
    return (epoch, base, loss) -> (float) (base * Math.pow(gamma, (epoch - 1) / stepSize));
  }

  /**
   * Exponential decay: {@code base * gamma^(epoch - 1)}.
   *
   * @throws IllegalArgumentException if gamma is not in (0, 1]
   */
  static LearningRateSchedule exponential(float gamma) {
    checkFactor(gamma);
    return (epoch, base, loss) -> (float) (base * Math.pow(gamma, epoch - 1));
  }

  /**
   * Cosine annealing from the base rate down to {@code minRate} over {@code period} epochs: {@code
   * min + (base - min) (1 + cos(π t / period)) / 2} with {@code t = epoch - 1}, staying at {@code
   * min} after the period.
   *
   * @throws IllegalArgumentException if {@code period < 1} or {@code minRate} is negative
   */
  static LearningRateSchedule cosine(int period, float minRate) {
    if (period < 1 || !(minRate >= 0f)) {
      throw new IllegalArgumentException(
          "cosine annealing needs a period of at least 1 and a minimum rate of 0 or more");
    }
    return (epoch, base, loss) -> {
      int t = Math.min(epoch - 1, period);
      return (float) (minRate + (base - minRate) * (1 + Math.cos(Math.PI * t / period)) / 2);
    };
  }

  /**
   * Linear warm-up: {@code base * epoch / (warmupEpochs + 1)} for the first {@code warmupEpochs}
   * epochs, then {@code after} as if training had started there.
   *
   * @throws IllegalArgumentException if {@code warmupEpochs < 1}
   */
  static LearningRateSchedule warmup(int warmupEpochs, LearningRateSchedule after) {
    if (warmupEpochs < 1) {
      throw new IllegalArgumentException("warm-up needs at least 1 epoch, got " + warmupEpochs);
    }
    return (epoch, base, loss) ->
        epoch <= warmupEpochs
            ? base * epoch / (warmupEpochs + 1)
            : after.rate(epoch - warmupEpochs, base, loss);
  }

  /**
   * Reduce on plateau: the rate is multiplied by {@code factor} whenever the watched loss has not
   * improved (by a relative 1e-4) for more than {@code patience} epochs, never below {@code
   * minRate}. Stateful: one object per run.
   *
   * @throws IllegalArgumentException if the factor is not in (0, 1), patience is negative, or the
   *     minimum is negative
   */
  static LearningRateSchedule reduceOnPlateau(float factor, int patience, float minRate) {
    if (!(factor > 0f && factor < 1f) || patience < 0 || !(minRate >= 0f)) {
      throw new IllegalArgumentException(
          "reduce-on-plateau needs a factor in (0, 1), patience of 0 or more and a minimum of 0"
              + " or more");
    }
    return new ReduceOnPlateau(factor, patience, minRate);
  }

  private static void checkFactor(float gamma) {
    if (!(gamma > 0f && gamma <= 1f)) {
      throw new IllegalArgumentException("decay factor must be in (0, 1], got " + gamma);
    }
  }
}
