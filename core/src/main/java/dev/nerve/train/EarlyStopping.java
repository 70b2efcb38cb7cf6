package dev.nerve.train;

/**
 * Stops training when a monitored value has not improved for {@code patience} epochs, and
 * optionally puts back the weights of the best epoch (as Keras's {@code EarlyStopping} with {@code
 * restore_best_weights}).
 *
 * <pre>{@code
 * Trainer.builder(net, loss, optimizer)
 *     .validation(validationSet)
 *     .earlyStopping(new EarlyStopping(EarlyStopping.Monitor.VALIDATION_LOSS, 3, 0, true))
 * }</pre>
 *
 * @param monitor the value watched after each epoch
 * @param patience epochs without improvement before stopping (at least 1)
 * @param minDelta how much the value must improve by to count (0 or more)
 * @param restoreBest whether to end with the weights of the best epoch rather than the last
 */
public record EarlyStopping(Monitor monitor, int patience, double minDelta, boolean restoreBest) {
  /** A value to watch, and which way is better. */
  public enum Monitor {
    /** Training loss, lower is better. */
    LOSS("loss", false, false),
    /** Training accuracy, higher is better. */
    ACCURACY("accuracy", true, false),
    /** Validation loss, lower is better. */
    VALIDATION_LOSS("val-loss", false, true),
    /** Validation accuracy, higher is better. */
    VALIDATION_ACCURACY("val-accuracy", true, true);

    private final String id;
    private final boolean higherIsBetter;
    private final boolean needsValidation;

    Monitor(String id, boolean higherIsBetter, boolean needsValidation) {
      this.id = id;
      this.higherIsBetter = higherIsBetter;
      this.needsValidation = needsValidation;
    }

    /** The name used on the command line: loss, accuracy, val-loss, val-accuracy. */
    public String id() {
      return id;
    }

    /** Whether a larger value is better. */
    public boolean higherIsBetter() {
      return higherIsBetter;
    }

    /** Whether the value comes from a validation set. */
    public boolean needsValidation() {
      return needsValidation;
    }

    /**
     * The monitor named {@code id}.
     *
     * @throws IllegalArgumentException naming the choices if there is none
     */
    public static Monitor of(String id) {
      for (Monitor m : values()) {
        if (m.id.equals(id)) {
          return m;
        }
      }
      throw new IllegalArgumentException(
          "unknown monitor '" + id + "' (choose loss, accuracy, val-loss or val-accuracy)");
    }
  }

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException if patience is below 1 or minDelta is negative or not finite
   */
  public EarlyStopping {
    if (monitor == null) {
      throw new IllegalArgumentException("early stopping needs a monitor");
    }
    if (patience < 1) {
      throw new IllegalArgumentException("patience must be at least 1, got " + patience);
    }
    if (!(minDelta >= 0) || !Double.isFinite(minDelta)) {
      throw new IllegalArgumentException("minDelta must be 0 or more, got " + minDelta);
    }
  }

  /** Whether {@code value} improves on {@code best} by more than {@link #minDelta}. */
  boolean improves(double value, double best) {
    if (Double.isNaN(value)) {
      return false;
    }
    if (Double.isNaN(best)) {
      return true;
    }
    return monitor.higherIsBetter ? value > best + minDelta : value < best - minDelta;
  }
}
