package dev.nerve.bench;

import dev.nerve.data.Dataset;
import dev.nerve.examples.Tutorial1;
import dev.nerve.nn.Sequential;
import dev.nerve.tensor.kernel.Parallel;
import dev.nerve.train.Trainer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Tutorial 1's whole training run: 4-3-1 sigmoid network, 3 rows, 5000 full-batch epochs, the same
 * work as the tutorial's numpy loop. Per epoch = time / 5000.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class Tutorial1Benchmark {
  Dataset data;
  Trainer trainer;
  Sequential net;

  @Setup(Level.Trial)
  public void setUp() {
    Parallel.setThreads(1);
    data = Tutorial1.data();
    net = Tutorial1.network().initialize(0);
    trainer = Tutorial1.trainer(net).build();
  }

  @Setup(Level.Invocation)
  public void reset() {
    net.initialize(0);
  }

  @Benchmark
  public Object train5000Epochs() {
    return trainer.fit(data);
  }
}
