package dev.nerve.train;

/**
 * The loss became NaN or infinite: training stopped rather than carry on with garbage. The message
 * names the epoch and the batch; the parameters are those of the last update before the loss went
 * bad.
 */
public final class DivergenceException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int epoch;
  private final int batch;

  /** The loss was {@code loss} at {@code epoch} and {@code batch} (both from 1). */
  public DivergenceException(int epoch, int batch, double loss) {
    super(
        "training diverged: the loss is "
            + loss
            + " at epoch "
            + epoch
            + ", batch "
            + batch
            + " (try a smaller learning rate)");
    this.epoch = epoch;
    this.batch = batch;
  }

  /** The epoch, from 1. */
  public int epoch() {
    return epoch;
  }

  /** The batch within the epoch, from 1. */
  public int batch() {
    return batch;
  }
}
