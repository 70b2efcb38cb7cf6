package dev.nerve.cli;

import dev.nerve.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints one line every {@code every} epochs (and for the first and last) with the loss and pace.
 */
final class ProgressLines implements TrainingListener {
  private final PrintWriter out;
  private final int every;
  private long nanosSinceLine;
  private int epochsSinceLine;

  ProgressLines(PrintWriter out, int every) {
    this.out = out;
    this.every = every;
  }

  /** About ten lines for a long run, every epoch for a short one. */
  static int defaultEvery(int epochs) {
    if (epochs <= 20) {
      return 1;
    }
    int raw = epochs / 10;
    int pow = 1;
    while (pow * 10 <= raw) {
      pow *= 10;
    }
    return raw / pow * pow;
  }

  @Override
  public void onEpochEnd(EpochEnd e) {
    nanosSinceLine += e.nanos();
    epochsSinceLine++;
    if (e.epoch() == 1 || e.epoch() % every == 0 || e.epoch() == e.epochs()) {
      int width = String.valueOf(e.epochs()).length();
      double perEpoch = nanosSinceLine / 1e6 / epochsSinceLine;
      out.printf(
          Locale.ROOT,
          "epoch %" + width + "d/%d  loss %.6f%s%s%s  (%s per epoch)%n",
          e.epoch(),
          e.epochs(),
          e.loss(),
          Double.isNaN(e.accuracy())
              ? ""
              : String.format(Locale.ROOT, "  accuracy %.4f", e.accuracy()),
          Double.isNaN(e.validationLoss())
              ? ""
              : String.format(Locale.ROOT, "  val loss %.6f", e.validationLoss()),
          Double.isNaN(e.validationAccuracy())
              ? ""
              : String.format(Locale.ROOT, "  val accuracy %.4f", e.validationAccuracy()),
          perEpoch < 1
              ? String.format(Locale.ROOT, "%.1f µs", perEpoch * 1000)
              : String.format(Locale.ROOT, "%.2f ms", perEpoch));
      out.flush();
      nanosSinceLine = 0;
      epochsSinceLine = 0;
    }
  }
}
