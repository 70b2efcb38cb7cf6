package dev.nerve.optim;

/** See {@link LearningRateSchedule#reduceOnPlateau}. */
final class ReduceOnPlateau implements LearningRateSchedule {
  private static final double THRESHOLD = 1e-4;

  private final float factor;
  private final int patience;
  private final float minRate;
  private double best = Double.NaN;
  private int badEpochs;
  private double scale = 1;
  private int lastEpoch;

  ReduceOnPlateau(float factor, int patience, float minRate) {
    this.factor = factor;
    this.patience = patience;
    this.minRate = minRate;
  }

  @Override
  public float rate(int epoch, float base, double previousLoss) {
    if (epoch > 1 && epoch != lastEpoch && !Double.isNaN(previousLoss)) {
      if (Double.isNaN(best) || previousLoss < best * (1 - THRESHOLD)) {
        best = previousLoss;
        badEpochs = 0;
      } else if (++badEpochs > patience) {
        scale *= factor;
        badEpochs = 0;
      }
    }
    lastEpoch = epoch;
    return (float) Math.max(minRate, base * scale);
  }
}
