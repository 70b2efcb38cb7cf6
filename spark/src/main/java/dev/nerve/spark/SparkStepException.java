package dev.nerve.spark;

/**
 * A Spark step, or the first reading of the data, failed on the cluster or took too long: the
 * message is one line saying which step or partition, where, and why (the task's own error, not
 * Spark's report around it).
 */
public final class SparkStepException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  SparkStepException(String message, Throwable cause) {
    super(message, cause);
  }
}
