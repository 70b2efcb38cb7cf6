package dev.nerve.spark;

/**
 * The figures of a Spark run so far, summed over its steps. A step's time on the driver is split
 * into: preparing the step message (copying the weights, the batch's mean count), creating its
 * broadcast, the Spark job (scheduling the K tasks, shipping them, each task fetching the broadcast
 * and computing, serialising and collecting the results), and adding the results. Inside the job,
 * the slowest partition's compute time and broadcast fetch are measured on the executors.
 *
 * @param steps steps done
 * @param partitions K
 * @param executors the executors the application has (1 in local mode: the driver)
 * @param wallNanos the steps' whole time on the driver
 * @param prepareNanos copying weights, buffers and generator states into the step message
 * @param broadcastNanos creating the step's broadcast on the driver
 * @param jobNanos from submitting the job to having every partition's result
 * @param combineNanos adding the results in partition order
 * @param computeNanos the slowest partition's compute in each step (loading the weights, forward,
 *     backward, copying the gradients)
 * @param fetchNanos the slowest partition's wait for the step's broadcast in each step
 * @param retriedTasks results that came from a retried task
 * @param uiUrl the Spark UI's address while the run lasts, or null
 */
public record Stats(
    long steps,
    int partitions,
    int executors,
    long wallNanos,
    long prepareNanos,
    long broadcastNanos,
    long jobNanos,
    long combineNanos,
    long computeNanos,
    long fetchNanos,
    long retriedTasks,
    String uiUrl) {
  /** Everything but the slowest partition's compute: the price of distributing a step. */
  public long communicationNanos() {
    return Math.max(0, wallNanos - computeNanos);
  }

  /**
   * Of the job's time, what is neither compute nor the broadcast fetch: scheduling, task
   * serialisation and launch, result serialisation and collection.
   */
  public long schedulingNanos() {
    return Math.max(0, jobNanos - computeNanos - fetchNanos);
  }

  private double perStep(long nanos) {
    return steps == 0 ? 0 : nanos / 1e6 / steps;
  }

  /** Mean milliseconds per step, or 0 before the first. */
  public double msPerStep() {
    return perStep(wallNanos);
  }

  /** Mean compute milliseconds per step. */
  public double computeMsPerStep() {
    return perStep(computeNanos);
  }

  /** Mean communication milliseconds per step. */
  public double communicationMsPerStep() {
    return perStep(communicationNanos());
  }

  /**
   * Where a mean step's communication goes, in milliseconds: prepare, broadcast, fetch, scheduling
   * and collection, combine.
   */
  public String breakdown() {
    return String.format(
        java.util.Locale.ROOT,
        "prepare %.2f, broadcast %.2f, fetch %.2f, scheduling and collection %.2f, adding %.2f",
        perStep(prepareNanos),
        perStep(broadcastNanos),
        perStep(fetchNanos),
        perStep(schedulingNanos()),
        perStep(combineNanos));
  }

  /** One line for a terminal or a report. */
  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "%d partitions on %d executor%s; %d steps, %.2f ms per step (compute %.2f, communication"
            + " %.2f: %s)%s%s",
        partitions,
        executors,
        executors == 1 ? "" : "s",
        steps,
        msPerStep(),
        computeMsPerStep(),
        communicationMsPerStep(),
        breakdown(),
        retriedTasks == 0 ? "" : "; " + retriedTasks + " tasks retried",
        uiUrl == null ? "" : "; Spark UI " + uiUrl);
  }

  static final class Accumulator {
    private long steps;
    private final long[] sums = new long[7];
    private long retried;

    synchronized void add(
        long wall,
        long prepare,
        long broadcast,
        long job,
        long combine,
        long compute,
        long fetch,
        int retriedTasks) {
      steps++;
      long[] v = {wall, prepare, broadcast, job, combine, compute, fetch};
      for (int i = 0; i < v.length; i++) {
        sums[i] += v[i];
      }
      retried += retriedTasks;
    }

    synchronized Stats snapshot(int partitions, int executors, String ui) {
      return new Stats(
          steps,
          partitions,
          executors,
          sums[0],
          sums[1],
          sums[2],
          sums[3],
          sums[4],
          sums[5],
          sums[6],
          retried,
          ui);
    }
  }
}
