package dev.nerve.train;

import dev.nerve.optim.LearningRateSchedule;
import dev.nerve.optim.Optimizer;

/**
 * Applies a learning-rate schedule before each epoch, from the rate the run started with and the
 * loss the schedule watches (the validation loss when there is a validation set, else the training
 * loss); replays finished epochs when a run resumes, so that a stateful schedule (reduce on
 * plateau) is where it was.
 */
final class ScheduleDriver {
  private final LearningRateSchedule schedule;
  private float baseRate;
  private double watched = Double.NaN;

  ScheduleDriver(LearningRateSchedule schedule, float baseRate) {
    this.schedule = schedule;
    this.baseRate = baseRate;
  }

  /** The rate the schedule scales. */
  float baseRate() {
    return baseRate;
  }

  /** Continues a run that started at {@code baseRate}. */
  void resumeFrom(float baseRate) {
    this.baseRate = baseRate;
  }

  /** Replays a finished epoch whose watched loss was {@code loss}. */
  void replay(int epoch, double loss) {
    if (schedule != null) {
      schedule.rate(epoch, baseRate, watched);
    }
    watched = loss;
  }

  /** Sets the optimiser's rate for {@code epoch}. */
  void beforeEpoch(int epoch, Optimizer optimizer) {
    if (schedule != null) {
      // The optimisers refuse a rate of 0; a schedule that reaches it gets the smallest float.
      optimizer.setLearningRate(
          Math.max(Float.MIN_NORMAL, schedule.rate(epoch, baseRate, watched)));
    }
  }

  /** Records the watched loss of the epoch just finished. */
  void afterEpoch(double loss) {
    watched = loss;
  }
}
