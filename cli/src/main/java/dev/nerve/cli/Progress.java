package dev.nerve.cli;

import dev.nerve.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Training progress for people: a progress bar per epoch on a terminal (epoch, batch, loss,
 * examples per second, time left in the epoch and in the run), or plain lines when the output is a
 * file or a pipe, where a redrawn bar would only leave noise. The bar goes to standard output, the
 * terminal the user watches (the launcher filters standard error line by line).
 */
final class Progress implements TrainingListener {
  private final PrintWriter out;
  private ProgressBar bar;
  private int batches;
  private long runStart;
  private int epochsTotal;
  private double lossSum;
  private long examplesSeen;

  private Progress(PrintWriter out) {
    this.out = out;
  }

  /** A bar when the console is a terminal, else lines every {@code every} epochs. */
  static TrainingListener forConsole(PrintWriter out, int every) {
    return isTerminal() ? new Progress(out) : new ProgressLines(out, every);
  }

  /**
   * Whether the console is a terminal. From JDK 22 to 24 {@code System.console()} is not null even
   * when output is redirected (JDK-8308591), so ask {@code Console.isTerminal()} where it exists.
   */
  static boolean isTerminal() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  @Override
  public void onTrainStart(TrainStart e) {
    batches = e.batchesPerEpoch();
    epochsTotal = e.epochs();
    runStart = System.nanoTime();
  }

  @Override
  public void onBatchEnd(BatchEnd e) {
    if (bar == null) {
      out.flush();
      bar =
          new ProgressBarBuilder()
              .setTaskName(
                  String.format(
                      "epoch %" + String.valueOf(epochsTotal).length() + "d/%d",
                      e.epoch(),
                      epochsTotal))
              .setInitialMax(batches)
              .setStyle(ProgressBarStyle.ASCII)
              .setConsumer(new ConsoleProgressBarConsumer(System.out))
              .setUpdateIntervalMillis(200)
              .build();
      lossSum = 0;
      examplesSeen = 0;
    }
    lossSum += e.loss() * e.batchSize();
    examplesSeen += e.batchSize();
    bar.stepTo(e.batch());
    double elapsed = (System.nanoTime() - runStart) / 1e9;
    double done = (e.epoch() - 1 + (double) e.batch() / batches) / epochsTotal;
    bar.setExtraMessage(
        String.format(
            Locale.ROOT,
            " loss %.4f %.0f ex/s, run: %s left",
            lossSum / examplesSeen,
            examplesSeen / Math.max(1e-9, elapsed - epochStartOffset(e)),
            duration(done > 0 ? elapsed * (1 - done) / done : 0)));
  }

  private double epochStart;

  private double epochStartOffset(BatchEnd e) {
    if (e.batch() == 1) {
      epochStart = (System.nanoTime() - runStart) / 1e9;
    }
    return epochStart;
  }

  @Override
  public void onEpochEnd(EpochEnd e) {
    if (bar != null) {
      bar.setExtraMessage(
          String.format(
              Locale.ROOT,
              " loss %.4f%s%s%s %.1fs",
              e.loss(),
              Double.isNaN(e.accuracy())
                  ? ""
                  : String.format(Locale.ROOT, " acc %.4f", e.accuracy()),
              Double.isNaN(e.validationLoss())
                  ? ""
                  : String.format(Locale.ROOT, " val %.4f", e.validationLoss()),
              Double.isNaN(e.validationAccuracy())
                  ? ""
                  : String.format(Locale.ROOT, " val acc %.4f", e.validationAccuracy()),
              e.nanos() / 1e9));
      bar.close();
      bar = null;
    }
  }

  private static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
        : String.format("%dm%02ds", s / 60, s % 60);
  }
}
