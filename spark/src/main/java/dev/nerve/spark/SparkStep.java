package dev.nerve.spark;

import dev.nerve.data.Batch;
import dev.nerve.data.Dataset;
import dev.nerve.io.Json;
import dev.nerve.io.ModelSpec;
import dev.nerve.loss.Loss;
import dev.nerve.nn.Buffer;
import dev.nerve.nn.Parameter;
import dev.nerve.nn.Sequential;
import dev.nerve.train.GradientSource;
import dev.nerve.train.ShardSum;
import dev.nerve.train.ShardedStep;
import dev.nerve.train.StepResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Synchronous data-parallel training on Apache Spark: a {@link GradientSource} for the core's
 * {@link dev.nerve.train.Trainer}, which stays on the driver with the network and the optimiser.
 * Each step it broadcasts the weights, buffers and generator states; every partition runs the
 * core's training step on its slice of the batch (the batch's examples it holds: index {@code k}
 * modulo {@code K}); the driver collects the slices' sums and adds them <b>in partition order</b>,
 * then the trainer clips and steps as on one machine. The result is the same bytes as the core's
 * single-machine K-shard mode ({@link dev.nerve.train.Trainer.Builder#shards}) with the same {@code
 * K}, on any cluster, whatever tasks Spark retries.
 *
 * <pre>{@code
 * try (SparkStep spark = SparkStep.builder(sc, net, loss).partitions(4)
 *          .data(ShardSource.idx(images, labels, 10, 1f / 255)).build()) {
 *   Trainer.builder(net, loss, new Adam(net.parameters(), 1e-3f))
 *       .gradientSource(spark).epochs(10).batchSize(256).build()
 *       .fit(trainOnDriver);             // the driver's copy orders the batches
 * }
 * }</pre>
 *
 * <p>Each partition's examples are read once (on the executor, from files every worker can read, or
 * sent from the driver) and cached between steps; a partition Spark loses is read again.
 */
public final class SparkStep implements GradientSource, AutoCloseable {
  private final JavaSparkContext sc;
  private final Sequential model;
  private final Loss loss;
  private final int partitions;
  private final List<Parameter> params;
  private final List<Buffer> buffers;
  private final Setup setup;
  private Broadcast<Setup> setupCast;
  private final JavaRDD<Shard> shards;
  private final List<Broadcast<Shard>> shardCasts = new ArrayList<>();
  private long[] hashes;
  private final int examples;
  private final long timeoutMillis;
  private final long failStep;
  private final int failPartition;
  private long step;
  private final Stats.Accumulator stats = new Stats.Accumulator();

  private SparkStep(Builder b) {
    this.sc = b.sc;
    this.model = b.model;
    this.loss = b.loss;
    this.partitions = b.partitions;
    this.params = List.copyOf(model.parameters());
    this.buffers = ShardedStep.buffersOf(model);
    this.timeoutMillis = b.timeoutSeconds * 1000L;
    this.failStep = b.failStep;
    this.failPartition = b.failPartition;
    ShardedStep.refuseStateful(model);
    String network =
        Json.write(ModelSpec.describe(model, loss.name(), "sgd", 0.01f, 1, 1, 0).toJson());
    this.setup = new Setup(UUID.randomUUID().toString(), network, loss.name());
    int k = partitions;
    JavaRDD<Shard> rdd;
    if (b.rows != null) {
      if (b.rows.size() < k) {
        throw new IllegalArgumentException(
            k + " partitions for " + b.rows.size() + " examples: each needs one at least");
      }
      rdd = b.rows.shards(k, model.inputShape().dims());
    } else if (b.inMemory != null) {
      if (b.inMemory.size() < k) {
        throw new IllegalArgumentException(
            k + " partitions for " + b.inMemory.size() + " examples: each needs one at least");
      }
      // One broadcast per partition, kept for the run: a task carries only its partition's
      // number, so the examples cross the network once (and again only to rebuild a lost one).
      List<Broadcast<Shard>> casts = new ArrayList<>();
      for (int s = 0; s < k; s++) {
        casts.add(sc.broadcast(new Shard(s, k, ShardSource.shardOf(b.inMemory, s, k))));
      }
      this.shardCasts.addAll(casts);
      rdd = sc.parallelize(ids(k), k).map(s -> casts.get(s).value());
    } else {
      ShardSource source = b.source;
      try {
        rdd =
            sc.parallelize(ids(k), k)
                .map(
                    s -> {
                      try {
                        return new Shard(s, k, source.load(s, k));
                      } catch (Exception e) {
                        throw new IllegalStateException(
                            "partition "
                                + s
                                + " on executor "
                                + PartitionWorker.where()
                                + " cannot read its data: "
                                + e.getMessage(),
                            e);
                      }
                    });
      } catch (Exception e) { // Spark's closure check throws SparkException, a checked one
        if (e instanceof org.apache.spark.SparkException
            || e.getCause() instanceof java.io.NotSerializableException) {
          throw new IllegalArgumentException(
              "the data source cannot be sent to the executors ("
                  + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage())
                  + "): let it capture only serializable values, such as paths as strings",
              e);
        }
        throw (RuntimeException) e;
      }
    }
    // Kept between steps; spilled to disk rather than read again if memory runs short.
    this.shards = rdd.persist(StorageLevel.MEMORY_AND_DISK());
    this.setupCast = sc.broadcast(setup);
    long[][] sizes;
    try {
      sizes =
          await(
                  shards
                      .map(
                          s ->
                              new long[] {
                                s.shard,
                                s.size,
                                Arrays.stream(s.inputShape).reduce(1, (a, c) -> a * c),
                                s.hash()
                              })
                      .collectAsync(),
                  "reading the data")
              .toArray(new long[0][]);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    this.hashes = new long[k];
    for (long[] h : sizes) {
      hashes[(int) h[0]] = h[3];
    }
    int total = 0;
    for (long[] s : sizes) {
      total += (int) s[1];
    }
    int inputs = model.inputShape() == null ? -1 : model.inputShape().size();
    for (long[] s : sizes) {
      if (s[1] == 0) {
        close();
        throw new IllegalArgumentException(
            k
                + " partitions for "
                + total
                + " examples: each needs one at least (partition "
                + s[0]
                + " holds none)");
      }
      if (inputs > 0 && s[2] != inputs) {
        close();
        throw new IllegalArgumentException(
            "partition "
                + s[0]
                + " holds examples of "
                + s[2]
                + " values; the network takes "
                + inputs);
      }
    }
    this.examples = total;
  }

  private static List<Integer> ids(int k) {
    List<Integer> ids = new ArrayList<>();
    for (int s = 0; s < k; s++) {
      ids.add(s);
    }
    return ids;
  }

  /** A builder for a run of {@code model} on {@code loss} through the context {@code sc}. */
  public static Builder builder(JavaSparkContext sc, Sequential model, Loss loss) {
    return new Builder(sc, model, loss);
  }

  /** The number of partitions, K. */
  public int partitions() {
    return partitions;
  }

  /** The examples the partitions hold together. */
  public int examples() {
    return examples;
  }

  /**
   * Checks that the driver's data set has as many examples as the partitions hold (the driver
   * orders the batches by index, the partitions read them).
   *
   * @throws IllegalArgumentException naming both counts if not
   */
  public void requireSameSize(Dataset driverData) {
    if (driverData.size() != examples) {
      throw new IllegalArgumentException(
          "the driver's data has "
              + driverData.size()
              + " examples, the "
              + partitions
              + " partitions hold "
              + examples
              + ": they must read the same data");
    }
  }

  /**
   * Checks that the partitions hold exactly the driver's examples, value for value: each
   * partition's hash (computed where it was read) against the same shard of {@code driverData}.
   *
   * @throws IllegalArgumentException naming the first partition that differs, or the counts
   */
  public void requireSameData(Dataset driverData) {
    requireSameSize(driverData);
    for (int s = 0; s < partitions; s++) {
      long h = new Shard(s, partitions, ShardSource.shardOf(driverData, s, partitions)).hash();
      if (h != hashes[s]) {
        throw new IllegalArgumentException(
            "partition "
                + s
                + " holds other examples than the driver's (the same count, other values): the"
                + " workers read other data");
      }
    }
  }

  /** The run's figures so far: steps, time split into compute and communication, executors. */
  public Stats stats() {
    return stats.snapshot(partitions, executors(), uiUrl());
  }

  /** The Spark UI's address, or null when it is off. */
  public String uiUrl() {
    scala.Option<String> u = sc.sc().uiWebUrl();
    return u.isDefined() ? u.get() : null;
  }

  /** The executors the application has now (the driver in local mode). */
  public int executors() {
    int n = sc.sc().statusTracker().getExecutorInfos().length;
    return sc.sc().isLocal() ? 1 : Math.max(0, n - 1);
  }

  @Override
  public StepResult gradients(Batch batch) {
    long t0 = System.nanoTime();
    step++;
    int[] indices = batch.indices();
    if (indices == null) {
      throw new IllegalArgumentException(
          "a Spark step needs the batch's example indices (batches from a Batcher carry them)");
    }
    for (int i : indices) {
      if (i < 0 || i >= examples) {
        throw new IllegalArgumentException(
            "example " + i + " is not held by the partitions (" + examples + " examples)");
      }
    }
    float[][] weights = new float[params.size()][];
    for (int p = 0; p < weights.length; p++) {
      weights[p] = params.get(p).value().data().clone();
    }
    int steps = batch.lengths() != null && batch.x().rank() >= 2 ? batch.x().shape().dim(1) : -1;
    StepMessage m =
        new StepMessage(
            step,
            weights,
            ShardedStep.snapshot(buffers),
            model.randomState(),
            indices.clone(),
            steps,
            ShardedStep.meanOver(model, loss, batch),
            step == failStep ? failPartition : -1);
    long t1 = System.nanoTime();
    Broadcast<StepMessage> cast = sc.broadcast(m);
    Broadcast<Setup> s = setupCast;
    long t2 = System.nanoTime();
    List<SliceResult> results;
    try {
      results =
          await(
              shards
                  .mapPartitionsWithIndex(
                      (k, it) -> {
                        long f0 = System.nanoTime();
                        Shard shard = it.next();
                        Setup setup = s.value();
                        StepMessage message = cast.value();
                        long fetch = System.nanoTime() - f0;
                        int attempt =
                            TaskContext.get() == null ? 0 : TaskContext.get().attemptNumber();
                        return List.of(
                                PartitionWorker.run(setup, message, shard, k, attempt, fetch))
                            .iterator();
                      },
                      true)
                  .collectAsync(),
              "step " + step);
    } finally {
      cast.destroy();
    }
    long t3 = System.nanoTime();
    StepResult r = combine(results);
    long t4 = System.nanoTime();
    long compute = 0;
    long fetch = 0;
    int retried = 0;
    for (SliceResult x : results) {
      compute = Math.max(compute, x.computeNanos());
      fetch = Math.max(fetch, x.fetchNanos());
      retried += x.attempt() > 0 ? 1 : 0;
    }
    stats.add(t4 - t0, t1 - t0, t2 - t1, t3 - t2, t4 - t3, compute, fetch, retried);
    return r;
  }

  /**
   * Adds the partitions' results in partition order into the model's gradients, with the core's
   * {@link ShardSum}: the very arithmetic of {@link ShardedStep}.
   */
  private StepResult combine(List<SliceResult> results) {
    ShardSum sum = new ShardSum(params);
    for (int k = 0; k < results.size(); k++) {
      SliceResult r = results.get(k);
      if (r.partition() != k) {
        throw new IllegalStateException("partition " + r.partition() + " answered in place " + k);
      }
      if (r.examples() > 0) {
        sum.add(
            k,
            r.lossSum(),
            r.terms(),
            r.sums(),
            r.examples(),
            r.positions(),
            r.correct(),
            r.gradients(),
            r.buffers(),
            r.random());
      }
    }
    return sum.finish(model, buffers);
  }

  private <T> List<T> await(JavaFutureAction<List<T>> job, String what) {
    try {
      return job.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      job.cancel(true);
      throw new SparkStepException(
          what
              + ": no result from the cluster within "
              + timeoutMillis / 1000
              + " s (are the workers alive? see the Spark UI"
              + (uiUrl() == null ? "" : " at " + uiUrl())
              + ")",
          e);
    } catch (InterruptedException e) {
      job.cancel(true);
      Thread.currentThread().interrupt();
      throw new SparkStepException(what + ": interrupted", e);
    } catch (ExecutionException e) {
      throw new SparkStepException(what + " failed on the cluster: " + reason(e.getCause()), e);
    }
  }

  /** The first line of the task's own error inside Spark's report of a failed job. */
  static String reason(Throwable t) {
    String msg = t == null ? "unknown" : String.valueOf(t.getMessage());
    String line = msg.lines().findFirst().orElse(msg);
    int at = line.indexOf("): ");
    if (at >= 0) {
      line = line.substring(at + 3);
    }
    int colon = line.indexOf("Exception: ");
    if (colon >= 0 && colon < 80) {
      line = line.substring(colon + "Exception: ".length());
    }
    return line;
  }

  /** Frees the cached partitions and the run's broadcast. */
  @Override
  public void close() {
    if (shards != null) {
      shards.unpersist(false);
    }
    if (setupCast != null) {
      setupCast.destroy();
    }
    for (Broadcast<Shard> c : shardCasts) {
      c.destroy();
    }
    PartitionWorker.forget(setup.runId());
  }

  /** Options of a Spark step. */
  public static final class Builder {
    private final JavaSparkContext sc;
    private final Sequential model;
    private final Loss loss;
    private int partitions = 2;
    private ShardSource source;
    private Dataset inMemory;
    private SparkData rows;
    private int timeoutSeconds = 600;
    private long failStep = -1;
    private int failPartition = -1;

    private Builder(JavaSparkContext sc, Sequential model, Loss loss) {
      if (sc == null || model == null || loss == null) {
        throw new IllegalArgumentException("a Spark step needs a context, a model and a loss");
      }
      this.sc = sc;
      this.model = model;
      this.loss = loss;
    }

    /**
     * K, the number of partitions (default 2): the batch is split in K slices, added in partition
     * order. The weights match the core's K-shard mode with the same K.
     *
     * @throws IllegalArgumentException if not in [1, 4096]
     */
    public Builder partitions(int k) {
      if (k < 1 || k > 4096) {
        throw new IllegalArgumentException("partitions must be in [1, 4096], got " + k);
      }
      this.partitions = k;
      return this;
    }

    /** Each partition reads its examples on its executor (files every worker can read). */
    public Builder data(ShardSource source) {
      this.source = source;
      this.inMemory = null;
      this.rows = null;
      return this;
    }

    /** The driver sends each partition its examples of {@code data} once; they stay cached. */
    public Builder data(Dataset data) {
      this.inMemory = data;
      this.source = null;
      this.rows = null;
      return this;
    }

    /**
     * Examples that live in Spark already (an RDD or a table), partitioned by their index; train
     * with {@link SparkData#driverView()} on the driver.
     */
    public Builder data(SparkData data) {
      this.rows = data;
      this.inMemory = null;
      this.source = null;
      return this;
    }

    /**
     * The longest a step (or the first reading of the data) may take before the run stops with an
     * error instead of waiting for ever (default 600 s).
     *
     * @throws IllegalArgumentException if not in [1, 86400]
     */
    public Builder timeoutSeconds(int seconds) {
      if (seconds < 1 || seconds > 86_400) {
        throw new IllegalArgumentException("timeout must be in [1, 86400] s, got " + seconds);
      }
      this.timeoutSeconds = seconds;
      return this;
    }

    /**
     * For testing fault tolerance: the first attempt of {@code partition}'s task at step {@code
     * step} (from 1) throws, as a task whose executor died would fail. With task retries allowed
     * ({@code local[n,retries]}, or a cluster) Spark runs it again and the run ends with the same
     * bytes; without, the run stops with the error.
     */
    public Builder failOnce(long step, int partition) {
      this.failStep = step;
      this.failPartition = partition;
      return this;
    }

    /**
     * Starts the run: sends the network, reads (or sends) every partition's examples and caches
     * them.
     *
     * @throws IllegalArgumentException if no data was given, a partition would hold no example, or
     *     the examples do not fit the network
     * @throws IllegalStateException if a worker cannot read its data, naming the partition and
     *     executor
     */
    public SparkStep build() {
      if (source == null && inMemory == null && rows == null) {
        throw new IllegalArgumentException(
            "a Spark step needs data: data(ShardSource), data(Dataset) or data(SparkData)");
      }
      if (failPartition >= partitions) {
        throw new IllegalArgumentException(
            "failOnce: partition " + failPartition + " of " + partitions);
      }
      model.requireInitialized();
      try {
        Loss.named(loss.name());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "the executors rebuild the loss by its name, and '"
                + loss.name()
                + "' is not one of Nerve's: "
                + e.getMessage());
      }
      return new SparkStep(this);
    }
  }
}
