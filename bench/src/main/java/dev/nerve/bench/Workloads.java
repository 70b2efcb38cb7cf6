package dev.nerve.bench;

import dev.nerve.data.Dataset;
import dev.nerve.examples.FashionMnist;
import dev.nerve.examples.LeNet;
import dev.nerve.examples.Tutorial1;
import dev.nerve.io.ModelSpec;
import dev.nerve.loss.Loss;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Sgd;
import dev.nerve.tensor.Tensor;
import dev.nerve.tensor.kernel.Parallel;
import dev.nerve.train.Evaluation;
import dev.nerve.train.Trainer;
import dev.nerve.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Nerve's side of {@code bench/compare.py}: the same workloads as {@code bench/peers/*.py} and the
 * JVM peers in {@code bench/jvm-peers}, each printing one JSON line.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.nerve.bench.Workloads
 *     mlp|lenet EPOCHS THREADS [MAX_BATCHES]     train (SGD lr 0.1, batch 64), per-epoch seconds
 *     infer mlp|lenet BATCH THREADS SECONDS       forward-pass latency at one batch size
 *     sweep WIDTH BATCH THREADS SECONDS           MLP 784-W-W-10: a training step's and a forward
 *                                                 pass's median time at one width and batch
 *     chart RESULTS.json OUT PEAK                 the sweep's chart, OUT.png and OUT.svg
 *     tutorial1 RUNS                              tutorial 1's 5000 epochs, per-run milliseconds
 *     language EPOCHS THREADS [DATA_DIR]          the language example (GRU on word lists)
 *     charlm EPOCHS THREADS [DATA_DIR]            the text example (char LSTM on fortunes)
 *     transformer EPOCHS THREADS [DATA_DIR]       the text-transformer example (same data)
 *     attention THREADS SECONDS                   attention's products, GFLOP/s against the peak
 *     export-digits DIR                           the spoken digits' features, for PyTorch
 *     digits|digits-transformer EPOCHS THREADS DIR  the spoken-digit examples on them
 *     export-text DIR                             both examples' data, encoded, for PyTorch
 * </pre>
 *
 * MAX_BATCHES (0: all) cuts each epoch short for the slow peers; the harness passes the same number
 * to every system it compares.
 */
public final class Workloads {
  static final Path DATA = FashionMnist.DEFAULT_DIR;
  static final float LR = 0.1f;
  static final int BATCH = 64;

  private Workloads() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: mlp|lenet|infer|tutorial1 ...");
    }
    switch (args[0]) {
      case "mlp", "lenet" ->
          train(
              args[0],
              Integer.parseInt(args[1]),
              Integer.parseInt(args[2]),
              args.length > 3 ? Integer.parseInt(args[3]) : 0);
      case "infer" ->
          infer(
              args[1],
              Integer.parseInt(args[2]),
              Integer.parseInt(args[3]),
              Double.parseDouble(args[4]));
      case "tutorial1" -> tutorial1(Integer.parseInt(args[1]));
      case "sweep" ->
          Sweep.point(
              Integer.parseInt(args[1]),
              Integer.parseInt(args[2]),
              Integer.parseInt(args[3]),
              Double.parseDouble(args[4]));
      case "chart" -> Sweep.chart(Path.of(args[1]), Path.of(args[2]), Double.parseDouble(args[3]));
      case "language", "charlm", "transformer" ->
          TextWorkloads.train(
              args[0],
              Integer.parseInt(args[1]),
              Integer.parseInt(args[2]),
              args.length > 3 ? Path.of(args[3]) : null);
      case "export-text" -> TextWorkloads.export(Path.of(args[1]));
      case "export-digits" -> AudioWorkloads.export(Path.of(args[1]));
      case "digits", "digits-transformer" ->
          AudioWorkloads.train(
              args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
      case "attention" ->
          AttentionWorkload.run(Integer.parseInt(args[1]), Double.parseDouble(args[2]));
      default -> throw new IllegalArgumentException("unknown workload " + args[0]);
    }
  }

  static ModelSpec spec(String model) {
    return model.equals("mlp") ? FashionMnist.spec() : LeNet.spec();
  }

  static void train(String model, int epochs, int threads, int maxBatches) throws IOException {
    Parallel.setThreads(threads);
    long t0 = System.nanoTime();
    Dataset train = FashionMnist.read(DATA, "train").normalized(FashionMnist.normalizer());
    Dataset test = FashionMnist.read(DATA, "t10k").normalized(FashionMnist.normalizer());
    if (maxBatches > 0) {
      train = train.range(0, Math.min(train.size(), maxBatches * BATCH));
    }
    double load = (System.nanoTime() - t0) / 1e9;
    ModelSpec spec = spec(model);
    Sequential net = spec.build().initialize(spec.seed());
    Loss loss = Loss.named(spec.loss());
    List<Double> seconds = new ArrayList<>();
    Trainer.builder(net, loss, new Sgd(net.parameters(), LR))
        .epochs(epochs)
        .batchSize(BATCH)
        .shuffle(spec.seed())
        .listener(
            new TrainingListener() {
              @Override
              public void onEpochEnd(EpochEnd e) {
                seconds.add(e.nanos() / 1e9);
              }
            })
        .build()
        .fit(train);
    double acc = Evaluation.of(net, loss, test).accuracy();
    System.out.printf(
        Locale.ROOT,
        "{\"load_seconds\": %.4f, \"epoch_seconds\": [%s], \"test_accuracy\": %.5f}%n",
        load,
        seconds.stream()
            .map(s -> String.format(Locale.ROOT, "%.4f", s))
            .collect(Collectors.joining(", ")),
        acc);
  }

  static void infer(String model, int batch, int threads, double seconds) {
    Parallel.setThreads(threads);
    ModelSpec spec = spec(model);
    Sequential net = spec.build().initialize(spec.seed());
    Tensor x = Tensor.zeros(batch, 784); // both take rows of 28 x 28 pixels
    dev.nerve.tensor.Rng rng = new dev.nerve.tensor.Rng(1);
    float[] d = x.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = rng.nextFloat();
    }
    double[] lat = latencies(() -> net.predict(x), seconds);
    double median = lat[lat.length / 2];
    System.out.printf(
        Locale.ROOT,
        "{\"median_us\": %.3f, \"p90_us\": %.3f, \"calls\": %d, \"per_second\": %.1f}%n",
        median * 1e6,
        lat[(int) (lat.length * 0.9)] * 1e6,
        lat.length,
        batch / median);
  }

  /** Calls {@code call} for a warm-up third of {@code seconds}, then times each call; sorted. */
  static double[] latencies(Runnable call, double seconds) {
    long warm = System.nanoTime() + (long) (seconds / 3 * 1e9);
    while (System.nanoTime() < warm) {
      call.run();
    }
    double[] t = new double[1 << 16];
    int n = 0;
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (n < t.length && System.nanoTime() < end) {
      long s = System.nanoTime();
      call.run();
      t[n++] = (System.nanoTime() - s) / 1e9;
    }
    double[] r = Arrays.copyOf(t, n);
    Arrays.sort(r);
    return r;
  }

  static void tutorial1(int runs) {
    Parallel.setThreads(1);
    Dataset data = Tutorial1.data();
    Sequential net = Tutorial1.network().initialize(0);
    Trainer trainer = Tutorial1.trainer(net).build();
    long warm = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < warm) {
      net.initialize(0);
      trainer.fit(data);
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      net.initialize(0);
      long s = System.nanoTime();
      trainer.fit(data);
      ms[i] = (System.nanoTime() - s) / 1e6;
    }
    Arrays.sort(ms);
    float[] out = net.predict(data.x()).data();
    System.out.printf(
        Locale.ROOT,
        "{\"median_ms\": %.4f, \"per_epoch_us\": %.4f, \"outputs\": [%s]}%n",
        ms[runs / 2],
        ms[runs / 2] * 1e3 / Tutorial1.EPOCHS,
        joinFloats(out));
  }

  private static String joinFloats(float[] v) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", v[i]));
    }
    return b.toString();
  }
}
