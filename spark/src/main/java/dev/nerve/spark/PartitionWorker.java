package dev.nerve.spark;

import dev.nerve.data.Batch;
import dev.nerve.io.Json;
import dev.nerve.io.ModelSpec;
import dev.nerve.loss.Loss;
import dev.nerve.nn.Buffer;
import dev.nerve.nn.Parameter;
import dev.nerve.nn.Sequential;
import dev.nerve.train.ShardedStep;
import dev.nerve.train.StepResult;
import dev.nerve.train.TrainingStep;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executor's side of a step: each partition keeps its own copy of the model for the run (built
 * once from the run's {@link Setup}), loads the step's weights, buffers and generator states into
 * it, and runs the core's training step on its slice ({@link ShardedStep#runSlice}) — exactly what
 * {@link ShardedStep} does for that shard on one machine.
 */
final class PartitionWorker {
  private static final ConcurrentHashMap<String, PartitionWorker> WORKERS =
      new ConcurrentHashMap<>();

  private final Sequential model;
  private final TrainingStep step;
  private final List<Parameter> params;
  private final List<Buffer> buffers;

  private PartitionWorker(Setup setup) {
    try {
      ModelSpec spec = ModelSpec.fromJson(Json.parse(setup.network(), "the run's network"), "run");
      this.model = spec.build().initialize(0);
    } catch (Exception e) {
      throw new IllegalStateException(
          "this executor cannot build the run's network: " + e.getMessage(), e);
    }
    this.step = new TrainingStep(model, Loss.named(setup.loss()));
    this.params = List.copyOf(model.parameters());
    this.buffers = ShardedStep.buffersOf(model);
  }

  /** Runs partition {@code partition}'s slice of the step {@code m} describes. */
  static SliceResult run(
      Setup setup, StepMessage m, Shard shard, int partition, int attempt, long fetchNanos) {
    long t0 = System.nanoTime();
    if (m.failPartition() == partition && attempt == 0) {
      throw new IllegalStateException(
          "fault injected into partition " + partition + " at step " + m.step() + " (attempt 0)");
    }
    String prefix = setup.runId() + ":";
    // A long-lived executor keeps the models of the run it works for now, not of every run it
    // ever served: the driver's close cannot reach the executors' memory.
    WORKERS.keySet().removeIf(k -> !k.startsWith(prefix));
    PartitionWorker w =
        WORKERS.computeIfAbsent(prefix + partition, k -> new PartitionWorker(setup));
    synchronized (w) {
      return w.slice(m, shard, partition, attempt, t0, fetchNanos);
    }
  }

  /**
   * Forgets the models of run {@code runId}: the driver's close, which reaches this JVM's cache in
   * local mode; an executor's is replaced when its next run starts.
   */
  static void forget(String runId) {
    WORKERS.keySet().removeIf(k -> k.startsWith(runId + ":"));
  }

  private SliceResult slice(
      StepMessage m, Shard shard, int partition, int attempt, long t0, long fetchNanos) {
    String executor = executorId();
    int[] positions = ShardedStep.positions(m.indices(), shard.shards)[partition];
    if (positions.length == 0) {
      return new SliceResult(
          partition,
          0,
          0,
          false,
          0,
          0,
          0,
          null,
          null,
          null,
          System.nanoTime() - t0,
          fetchNanos,
          executor,
          attempt);
    }
    int[] local = new int[positions.length];
    int[] idx = new int[positions.length];
    for (int i = 0; i < positions.length; i++) {
      idx[i] = m.indices()[positions[i]];
      local[i] = idx[i] / shard.shards;
      if (local[i] >= shard.size) {
        throw new IllegalStateException(
            "partition "
                + partition
                + " holds "
                + shard.size
                + " examples; the driver asked for example "
                + idx[i]
                + ": the driver's data and the workers' differ");
      }
    }
    Batch slice = shard.rows(local, idx);
    if (m.steps() >= 0) {
      slice = slice.cutTime(m.steps());
    }
    load(m);
    StepResult r =
        ShardedStep.runSlice(step, slice, positions, m.indices().length, m.meanOver(), partition);
    float[][] grads = null;
    if (r.finite()) {
      grads = new float[params.size()][];
      for (int p = 0; p < grads.length; p++) {
        grads[p] = r.gradients().get(p).data().clone();
      }
    }
    return new SliceResult(
        partition,
        r.lossSum(),
        r.terms(),
        r.sums(),
        r.examples(),
        r.positions(),
        r.correct(),
        grads,
        ShardedStep.snapshot(buffers),
        model.randomState(),
        System.nanoTime() - t0,
        fetchNanos,
        executor,
        attempt);
  }

  private void load(StepMessage m) {
    if (m.weights().length != params.size()) {
      throw new IllegalStateException(
          "the step has " + m.weights().length + " weight arrays, the model " + params.size());
    }
    for (int p = 0; p < params.size(); p++) {
      float[] v = params.get(p).value().data();
      if (m.weights()[p].length != v.length) {
        throw new IllegalStateException(
            "parameter "
                + params.get(p).name()
                + ": "
                + m.weights()[p].length
                + " values sent, "
                + v.length
                + " expected");
      }
      System.arraycopy(m.weights()[p], 0, v, 0, v.length);
    }
    ShardedStep.restore(buffers, m.buffers());
    if (m.random().length > 0) {
      model.restoreRandomState(m.random());
    }
    model.resetState();
  }

  private static String executorId() {
    org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
    return env == null ? "driver" : env.executorId();
  }

  /** This executor and its host, for error messages. */
  static String where() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "?";
    }
    return executorId() + " (" + host + ")";
  }
}
