package dev.nerve.cli;

import dev.nerve.data.Dataset;
import dev.nerve.loss.Loss;
import dev.nerve.nn.Sequential;
import dev.nerve.spark.ShardSource;
import dev.nerve.spark.SparkStep;
import dev.nerve.spark.SparkStepException;
import dev.nerve.spark.Stats;
import dev.nerve.train.GradientSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code nerve train --spark}: starts the Spark application (after checking that the master
 * answers), waits a bounded time for an executor, and hands the trainer a {@link SparkStep}. Only
 * this class touches Spark's classes, so the CLI runs without Spark on the class path unless {@code
 * --spark} is given.
 */
final class SparkRun implements AutoCloseable {
  private final JavaSparkContext sc;
  private final SparkStep step;

  private SparkRun(JavaSparkContext sc, SparkStep step) {
    this.sc = sc;
    this.step = step;
  }

  /**
   * Connects, reads or sends the data, and prints where the run goes.
   *
   * @throws CliException (I/O) for an unreachable master, no executor in time, a worker that cannot
   *     read the data, or Spark missing from the class path
   */
  static SparkRun start(
      ParallelOptions p,
      List<String> args,
      Sequential net,
      Loss loss,
      Dataset train,
      PrintWriter out,
      boolean human) {
    try {
      Class.forName("org.apache.spark.SparkConf");
    } catch (ClassNotFoundException | LinkageError e) {
      throw new CliException(
          ExitCodes.USAGE,
          "--spark: Apache Spark is not on the class path; run through ./nerve, which adds the"
              + " jars Maven fetched for the spark module");
    }
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "nerve-spark-log4j2.properties");
    }
    String master = p.spark;
    boolean cluster = master.startsWith("spark://");
    if (cluster) {
      requireReachable(master, p.waitSeconds());
    }
    SparkConf conf =
        new SparkConf()
            .setMaster(master)
            .setAppName("nerve train")
            .set("spark.ui.showConsoleProgress", "false")
            .set(
                "spark.executor.extraJavaOptions",
                "--add-modules jdk.incubator.vector -XX:+UseSerialGC -XX:-UseLoopPredicate"
                    + " -XX:-UseProfiledLoopPredicate");
    for (String c : p.conf) {
      int eq = c.indexOf('=');
      String key = c.substring(0, eq);
      String value = c.substring(eq + 1);
      // Nerve's own executor options stay (the Vector API, the collector, the JIT flags ./nerve
      // uses); the user's follow.
      conf.set(
          key, key.equals("spark.executor.extraJavaOptions") ? conf.get(key) + " " + value : value);
    }
    if (cluster) {
      String host = URI.create(master.replace("spark://", "http://")).getHost();
      if (host.equals("127.0.0.1") || host.equals("localhost")) {
        conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
      }
      String jar = ownJar();
      if (jar == null) {
        throw new CliException(
            ExitCodes.USAGE,
            "--spark "
                + master
                + ": the executors need Nerve's jar; run from cli/target/nerve.jar"
                + " (./nerve does)");
      }
      conf.setJars(new String[] {jar});
    }
    JavaSparkContext sc;
    try {
      sc = new JavaSparkContext(conf);
    } catch (RuntimeException e) {
      throw new CliException(
          ExitCodes.IO, "spark: cannot start the application on " + master + ": " + e.getMessage());
    }
    try {
      sc.setLogLevel("WARN");
      waitForExecutor(sc, master, p.waitSeconds());
      SparkStep.Builder b =
          SparkStep.builder(sc, net, loss)
              .partitions(p.partitions())
              .timeoutSeconds(p.timeoutSeconds());
      if (p.workersRead()) {
        b.data(new CommandLineShards(args, Path.of("").toAbsolutePath().toString()));
      } else {
        b.data(train);
      }
      SparkStep step;
      try {
        step = b.build();
      } catch (SparkStepException e) {
        throw new CliException(ExitCodes.IO, "spark: " + e.getMessage());
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.BAD_INPUT, "spark: " + e.getMessage());
      }
      try {
        step.requireSameData(train);
      } catch (IllegalArgumentException e) {
        step.close();
        throw new CliException(ExitCodes.BAD_INPUT, "spark: " + e.getMessage());
      }
      SparkRun run = new SparkRun(sc, step);
      if (human) {
        out.printf(
            "spark: %s, %d partitions on %d executor%s, %s%s%n",
            master,
            step.partitions(),
            step.executors(),
            step.executors() == 1 ? "" : "s",
            p.workersRead() ? "each reading its examples" : "examples sent by the driver",
            step.uiUrl() == null ? "" : ", Spark UI " + step.uiUrl());
        out.flush();
      }
      return run;
    } catch (RuntimeException e) {
      sc.stop();
      throw e;
    }
  }

  /** The trainer's source of gradients; a failure on the cluster becomes one line (exit 1). */
  GradientSource source() {
    return batch -> {
      try {
        return step.gradients(batch);
      } catch (SparkStepException e) {
        throw new CliException(ExitCodes.IO, "spark: " + e.getMessage());
      }
    };
  }

  /** The run's figures so far. */
  Stats stats() {
    return step.stats();
  }

  /** What the model file and the report record of the Spark run. */
  Map<String, Object> describe() {
    Stats s = step.stats();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("master", sc.master());
    m.put("partitions", s.partitions());
    m.put("executors", s.executors());
    m.put("steps", s.steps());
    m.put("ms_per_step", s.msPerStep());
    m.put("compute_ms_per_step", s.computeMsPerStep());
    m.put("communication_ms_per_step", s.communicationMsPerStep());
    m.put("communication", s.breakdown());
    m.put("retried_tasks", s.retriedTasks());
    return m;
  }

  @Override
  public void close() {
    try {
      step.close();
    } finally {
      sc.stop();
    }
  }

  /** The jar this class was loaded from, or null when it runs from classes. */
  private static String ownJar() {
    try {
      Path p = Path.of(SparkRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return p.toString().endsWith(".jar") ? p.toString() : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static void requireReachable(String master, int seconds) {
    URI u = URI.create(master.replace("spark://", "http://"));
    int port = u.getPort() < 0 ? 7077 : u.getPort();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(u.getHost(), port), Math.min(seconds, 10) * 1000);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.IO,
          "spark: cannot reach the master at "
              + master
              + " ("
              + e.getMessage()
              + "); is it running? ./nerve cluster start starts one on this machine");
    }
  }

  private static void waitForExecutor(JavaSparkContext sc, String master, int seconds) {
    if (sc.sc().isLocal()) {
      return;
    }
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (sc.sc().statusTracker().getExecutorInfos().length < 2) {
      if (System.nanoTime() > end || sc.sc().isStopped()) {
        throw new CliException(
            ExitCodes.IO,
            "spark: no executor joined within "
                + seconds
                + " s on "
                + master
                + " (are workers registered with enough free cores and memory? see the master's"
                + " web UI)");
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(ExitCodes.IO, "spark: interrupted while waiting for executors");
      }
    }
  }

  /**
   * Each partition runs the data part of this very command line (in the driver's directory) and
   * keeps its own examples: the same files, options, splits and normalisation as the driver.
   */
  record CommandLineShards(List<String> args, String dir) implements ShardSource {
    @Override
    public Dataset load(int shard, int shards) {
      try {
        return ShardSource.shardOf(TrainingRun.trainingSet(args, dir), shard, shards);
      } catch (CliException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }
  }
}
