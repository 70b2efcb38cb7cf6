package dev.nerve.spark;

/**
 * The figures of a Spark run so far.
 *
 * @param steps steps done
 * @param partitions K
 * @param executors the executors the application has (1 in local mode: the driver)
 * @param wallNanos the steps' time on the driver, from broadcasting to having added the results
 * @param computeNanos the slowest partition's time in each step (loading the weights, forward,
 *     backward, copying the gradients), summed over the steps
 * @param retriedTasks results that came from a retried task
 * @param uiUrl the Spark UI's address while the run lasts, or null
 */
public record Stats(
    long steps,
    int partitions,
    int executors,
    long wallNanos,
    long computeNanos,
    long retriedTasks,
    String uiUrl) {
  /** The rest of each step's time: broadcasting, scheduling, serialising, collecting, adding. */
  public long communicationNanos() {
    return Math.max(0, wallNanos - computeNanos);
  }

  /** Mean milliseconds per step, or 0 before the first. */
  public double msPerStep() {
    return steps == 0 ? 0 : wallNanos / 1e6 / steps;
  }

  /** Mean compute milliseconds per step. */
  public double computeMsPerStep() {
    return steps == 0 ? 0 : computeNanos / 1e6 / steps;
  }

  /** Mean communication milliseconds per step. */
  public double communicationMsPerStep() {
    return steps == 0 ? 0 : communicationNanos() / 1e6 / steps;
  }

  /** One line for a terminal or a report. */
  @Override
  public String toString() {
    return String.format(
        "%d partitions on %d executor%s; %d steps, %.2f ms per step (compute %.2f, communication"
            + " %.2f)%s%s",
        partitions,
        executors,
        executors == 1 ? "" : "s",
        steps,
        msPerStep(),
        computeMsPerStep(),
        communicationMsPerStep(),
        retriedTasks == 0 ? "" : "; " + retriedTasks + " tasks retried",
        uiUrl == null ? "" : "; Spark UI " + uiUrl);
  }

  static final class Accumulator {
    private long steps;
    private long wall;
    private long compute;
    private long retried;

    synchronized void add(long wallNanos, long computeNanos, int retriedTasks) {
      steps++;
      wall += wallNanos;
      compute += computeNanos;
      retried += retriedTasks;
    }

    synchronized Stats snapshot(int partitions, int executors, String ui) {
      return new Stats(steps, partitions, executors, wall, compute, retried, ui);
    }
  }
}
