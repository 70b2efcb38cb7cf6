package dev.nerve.bench;

import dev.nerve.io.Json;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.Dense;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Sgd;
import dev.nerve.report.Chart;
import dev.nerve.report.Charts;
import dev.nerve.report.Series;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import dev.nerve.tensor.kernel.Parallel;
import dev.nerve.train.TrainingStep;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How cost grows with size: an MLP 784-W-W-10 (ReLU, softmax cross-entropy, SGD) at one hidden
 * width and batch size — the median time of a training step (forward, loss, backward, update) and
 * of a forward pass — for {@code bench/compare.py --only sweep}, which runs PyTorch's twin ({@code
 * peers/torch_workloads.py sweep}) beside it; and the chart of the results.
 */
final class Sweep {
  private Sweep() {}

  static Sequential mlp(int width) {
    return new Sequential(
            Shape.of(784),
            new Dense(784, width),
            new ReLU(),
            new Dense(width, width),
            new ReLU(),
            new Dense(width, 10))
        .initialize(0);
  }

  /** Multiply-adds ×2 of one forward pass of a batch (the three products). */
  static double forwardFlops(int width, int batch) {
    return 2.0 * batch * (784.0 * width + (double) width * width + width * 10.0);
  }

  static void point(int width, int batch, int threads, double seconds) {
    Parallel.setThreads(threads);
    Sequential net = mlp(width);
    Rng rng = new Rng(1);
    Tensor x = Tensor.uniform(rng, 0, 1, batch, 784);
    Tensor y = Tensor.zeros(batch, 10);
    for (int i = 0; i < batch; i++) {
      y.setInPlace(1, i, rng.nextInt(10));
    }
    TrainingStep step = new TrainingStep(net, new SoftmaxCrossEntropy());
    Sgd sgd = new Sgd(net.parameters(), 0.01f);
    double[] train =
        Workloads.latencies(
            () -> {
              step.run(new dev.nerve.data.Batch(x, y));
              sgd.step();
            },
            seconds);
    double[] infer = Workloads.latencies(() -> net.predict(x), seconds);
    double f = forwardFlops(width, batch);
    double t = train[train.length / 2];
    double i = infer[infer.length / 2];
    System.out.printf(
        Locale.ROOT,
        "{\"train_us\": %.3f, \"infer_us\": %.3f, \"train_gflops\": %.3f, \"infer_gflops\":"
            + " %.3f}%n",
        t * 1e6,
        i * 1e6,
        3 * f / t / 1e9,
        f / i / 1e9);
  }

  /**
   * Draws {@code results} (a JSON list of {system, threads, width, batch, train_gflops,
   * infer_gflops}) as the effective GFLOP/s of a training step on one thread against the hidden
   * width, one line per system for batches of 16 and 1024, under the multiply's {@code peak}, into
   * {@code out}.png and .svg.
   */
  static void chart(Path results, Path out, double peak) throws IOException {
    Object parsed = Json.parse(Files.readString(results), results.toString());
    Map<String, List<double[]>> lines = new TreeMap<>();
    for (Object o : (List<?>) parsed) {
      Map<?, ?> r = (Map<?, ?>) o;
      int batch = ((Number) r.get("batch")).intValue();
      // One thread, the smallest and the largest batch: where the weights' reading bounds a step
      // and where the arithmetic does (every point is in the table).
      if (((Number) r.get("threads")).intValue() != 1 || (batch != 16 && batch != 1024)) {
        continue;
      }
      String name = r.get("system") + ", batch " + batch;
      lines
          .computeIfAbsent(name, k -> new ArrayList<>())
          .add(
              new double[] {
                ((Number) r.get("width")).doubleValue(),
                ((Number) r.get("train_gflops")).doubleValue()
              });
    }
    List<Series> series = new ArrayList<>();
    double[] span = {7, 12};
    series.add(new Series("matrix multiply peak (n = 1024)", span, new double[] {peak, peak}));
    for (Map.Entry<String, List<double[]>> e : lines.entrySet()) {
      List<double[]> pts = e.getValue();
      pts.sort((a, b) -> Double.compare(a[0], b[0]));
      double[] xs = new double[pts.size()];
      double[] ys = new double[pts.size()];
      for (int k = 0; k < xs.length; k++) {
        xs[k] = Math.log(pts.get(k)[0]) / Math.log(2);
        ys[k] = pts.get(k)[1];
      }
      series.add(new Series(e.getKey(), xs, ys));
    }
    Chart c =
        new Chart(
            "MLP 784-W-W-10 training step on 1 thread: effective GFLOP/s",
            "log2 of the hidden width W",
            "GFLOP/s",
            series,
            false);
    Files.write(Path.of(out + ".png"), Charts.png(c, 1000, 600));
    Files.writeString(Path.of(out + ".svg"), Charts.svg(c, 1000, 600), StandardCharsets.UTF_8);
  }
}
