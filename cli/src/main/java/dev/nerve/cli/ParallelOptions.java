package dev.nerve.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How {@code nerve train} splits each batch: in K shards on this machine ({@code --shards}), or
 * across the partitions of an Apache Spark application ({@code --spark}). Both add the slices'
 * gradients in shard order, so a Spark run with K partitions ends with the bytes of the K-shard
 * run.
 */
final class ParallelOptions {
  @Option(
      names = "--shards",
      paramLabel = "K",
      description =
          "Compute each batch's gradients in K slices on this machine and add them in order, as K"
              + " Spark partitions do (the reference a Spark run must match to the bit). 1 to"
              + " 4096; 1 is ordinary training.")
  Integer shards;

  @Option(
      names = "--spark",
      paramLabel = "MASTER",
      description =
          "Train data-parallel on Apache Spark: a master URL such as spark://127.0.0.1:7077 (see"
              + " ./nerve cluster start) or local[2]. Needs Spark on the class path: ./nerve adds"
              + " the jars Maven fetched.")
  String spark;

  @Option(
      names = "--partitions",
      paramLabel = "K",
      description = "With --spark: how many partitions split each batch (default 2), 1 to 4096.")
  Integer partitions;

  @Option(
      names = "--spark-data",
      paramLabel = "WHERE",
      description =
          "With --spark: workers (the default: every partition reads the data from the same"
              + " files, with this command line's options, and keeps its own examples; paths must"
              + " be readable on every worker) or driver (the driver sends each partition its"
              + " examples once).")
  String sparkData;

  @Option(
      names = "--spark-timeout",
      paramLabel = "SECONDS",
      description =
          "With --spark: the longest a step may take before the run stops with an error"
              + " (default 600), 1 to 86400.")
  Integer timeout;

  @Option(
      names = "--spark-wait",
      paramLabel = "SECONDS",
      description =
          "With --spark: how long to wait for the first executor (default 60), 1 to 3600; the"
              + " master must answer within 10 s of it.")
  Integer waitSeconds;

  @Option(
      names = "--spark-conf",
      paramLabel = "KEY=VALUE",
      description = "With --spark: a Spark setting, such as spark.executor.memory=2g (repeatable).")
  List<String> conf = new ArrayList<>();

  /** Whether the run goes to Spark. */
  boolean onSpark() {
    return spark != null;
  }

  /** The partitions of a Spark run. */
  int partitions() {
    return partitions == null ? 2 : partitions;
  }

  /** Whether the partitions read the files themselves. */
  boolean workersRead() {
    return sparkData == null || sparkData.equals("workers");
  }

  int timeoutSeconds() {
    return timeout == null ? 600 : timeout;
  }

  int waitSeconds() {
    return waitSeconds == null ? 60 : waitSeconds;
  }

  /**
   * Checks the options among themselves and their ranges.
   *
   * @throws CliException (usage) naming the option
   */
  void check(TrainOptions o) {
    if (shards != null && (shards < 1 || shards > 4096)) {
      throw new CliException(ExitCodes.USAGE, "--shards must be in [1, 4096], got " + shards);
    }
    if (partitions != null && (partitions < 1 || partitions > 4096)) {
      throw new CliException(
          ExitCodes.USAGE, "--partitions must be in [1, 4096], got " + partitions);
    }
    if (timeout != null && (timeout < 1 || timeout > 86_400)) {
      throw new CliException(
          ExitCodes.USAGE, "--spark-timeout must be in [1, 86400] seconds, got " + timeout);
    }
    if (waitSeconds != null && (waitSeconds < 1 || waitSeconds > 3600)) {
      throw new CliException(
          ExitCodes.USAGE, "--spark-wait must be in [1, 3600] seconds, got " + waitSeconds);
    }
    if (sparkData != null && !List.of("workers", "driver").contains(sparkData)) {
      throw new CliException(
          ExitCodes.USAGE, "--spark-data must be workers or driver, got " + sparkData);
    }
    if (spark == null
        && (partitions != null
            || sparkData != null
            || timeout != null
            || waitSeconds != null
            || !conf.isEmpty())) {
      throw new CliException(
          ExitCodes.USAGE,
          "--partitions, --spark-data, --spark-timeout, --spark-wait and --spark-conf go with"
              + " --spark");
    }
    if (spark != null && shards != null) {
      throw new CliException(
          ExitCodes.USAGE,
          "give --spark (with --partitions K) or --shards K, not both: a Spark run with K"
              + " partitions already adds its slices as K shards do");
    }
    if (spark != null && !spark.startsWith("spark://") && !spark.startsWith("local")) {
      throw new CliException(
          ExitCodes.USAGE,
          "--spark takes a master URL such as spark://127.0.0.1:7077 or local[2], got " + spark);
    }
    for (String c : conf) {
      int eq = c.indexOf('=');
      if (eq <= 0 || eq == c.length() - 1) {
        throw new CliException(ExitCodes.USAGE, "--spark-conf takes KEY=VALUE, got " + c);
      }
    }
    if ((spark != null || shards != null) && o.tbptt) {
      throw new CliException(
          ExitCodes.USAGE,
          "--tbptt carries each stream's state from batch to batch; it cannot be split into"
              + " shards or partitions");
    }
  }
}
