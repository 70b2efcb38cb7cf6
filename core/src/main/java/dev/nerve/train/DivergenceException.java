package dev.nerve.train;

/**
 * Training met a NaN or an infinity — in the loss, in a layer's output, in a gradient or in a
 * parameter — and stopped rather than carry on with garbage. The message names the epoch, the batch
 * and, when it can tell, the layer and what in it went bad; the parameters are those of the last
 * good update (a bad gradient is caught before it is applied), and checkpoints already written are
 * left as they were.
 */
public final class DivergenceException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int epoch;
  private final int batch;
  private final int layer;
  private final String what;

  /** The loss was {@code loss} at {@code epoch} and {@code batch} (both from 1). */
  public DivergenceException(int epoch, int batch, double loss) {
    this(epoch, batch, -1, "the loss is " + loss);
  }

  /**
   * At {@code epoch} and {@code batch} (both from 1), {@code what} went bad in layer {@code layer}
   * (-1 when no layer is to blame, such as the loss function itself).
   *
   * @param what what became non-finite, such as {@code the gradient of layer 2 Dense(in=3, out=1)'s
   *     weight is NaN}
   */
  public DivergenceException(int epoch, int batch, int layer, String what) {
    super(
        "training diverged at epoch "
            + epoch
            + ", batch "
            + batch
            + ": "
            + what
            + " (try a smaller learning rate, gradient clipping, or normalised inputs)");
    this.epoch = epoch;
    this.batch = batch;
    this.layer = layer;
    this.what = what;
  }

  /** The epoch, from 1. */
  public int epoch() {
    return epoch;
  }

  /** The batch within the epoch, from 1. */
  public int batch() {
    return batch;
  }

  /** The index of the layer where it went bad, or -1 if no layer is to blame. */
  public int layer() {
    return layer;
  }

  /** What went bad, in words. */
  public String what() {
    return what;
  }
}
