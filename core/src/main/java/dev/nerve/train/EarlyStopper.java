package dev.nerve.train;

import dev.nerve.nn.Model;
import dev.nerve.nn.Parameter;
import java.util.List;

/**
 * The running state of an {@link EarlyStopping} rule in one run: the best value and its epoch, the
 * epochs since, and (when the rule restores them) the best epoch's weights.
 */
final class EarlyStopper {
  private final EarlyStopping rule;
  private final Model model;
  private double best = Double.NaN;
  private int bestEpoch;
  private int sinceBest;
  private float[][] bestWeights;

  EarlyStopper(EarlyStopping rule, Model model) {
    this.rule = rule;
    this.model = model;
  }

  /** The value the rule watches, from an epoch's losses and accuracies. */
  double watched(double loss, double accuracy, double validationLoss, double validationAccuracy) {
    return switch (rule.monitor()) {
      case LOSS -> loss;
      case ACCURACY -> accuracy;
      case VALIDATION_LOSS -> validationLoss;
      case VALIDATION_ACCURACY -> validationAccuracy;
    };
  }

  /** Continues a run: its saved best weights (or null). */
  void resumeWith(float[][] saved) {
    if (saved != null) {
      List<Parameter> ps = model.parameters();
      boolean fits = saved.length == ps.size();
      for (int i = 0; fits && i < ps.size(); i++) {
        fits = saved[i].length == ps.get(i).value().size();
      }
      if (!fits) {
        throw new IllegalArgumentException("the saved best weights do not fit this model");
      }
      bestWeights = copy(saved);
    }
  }

  /** Replays a finished epoch whose watched value was {@code value}. */
  void replay(int epoch, double value) {
    if (rule.improves(value, best)) {
      best = value;
      bestEpoch = epoch;
      sinceBest = 0;
    } else {
      sinceBest++;
    }
  }

  /**
   * Takes the epoch just finished into account; returns whether training should stop.
   *
   * @throws IllegalStateException if the watched value is not defined for these targets
   */
  boolean stopAfter(int epoch, double value) {
    if (Double.isNaN(value)) {
      throw new IllegalStateException(
          "early stopping monitors "
              + rule.monitor().id()
              + ", which is not defined for these targets (accuracy needs classes)");
    }
    if (rule.improves(value, best)) {
      best = value;
      bestEpoch = epoch;
      sinceBest = 0;
      if (rule.restoreBest()) {
        bestWeights = snapshot(bestWeights);
      }
      return false;
    }
    return ++sinceBest >= rule.patience();
  }

  /** A copy of the best weights kept so far, or null. */
  float[][] bestWeights() {
    return bestWeights == null ? null : copy(bestWeights);
  }

  /**
   * Puts the best epoch's weights back if they are kept and the run did not end on that epoch;
   * returns the epoch restored, or 0.
   */
  int restoreBest(int lastEpoch) {
    if (bestWeights == null || bestEpoch == lastEpoch) {
      return 0;
    }
    List<Parameter> ps = model.parameters();
    for (int i = 0; i < bestWeights.length; i++) {
      System.arraycopy(bestWeights[i], 0, ps.get(i).value().data(), 0, bestWeights[i].length);
    }
    return bestEpoch;
  }

  private float[][] snapshot(float[][] into) {
    List<Parameter> ps = model.parameters();
    float[][] s = into != null ? into : new float[ps.size()][];
    for (int i = 0; i < s.length; i++) {
      float[] v = ps.get(i).value().data();
      if (s[i] == null) {
        s[i] = new float[v.length];
      }
      System.arraycopy(v, 0, s[i], 0, v.length);
    }
    return s;
  }

  private static float[][] copy(float[][] a) {
    float[][] c = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }
}
