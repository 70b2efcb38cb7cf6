package dev.nerve.bench;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.kernel.Gemm;
import dev.nerve.tensor.kernel.Parallel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * C = A x B for square float32 matrices of size n, the same work as numpy's {@code a @ b}. GFLOP/s
 * = 2 n^3 / time. Run through {@code bench/compare.py}, which also measures numpy.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
  @Param({"64", "128", "256", "512", "1024"})
  int n;

  @Param({"1", "2"})
  int threads;

  float[] a;
  float[] b;
  float[] c;

  @Setup(Level.Trial)
  public void setUp() {
    Parallel.setThreads(threads);
    Rng rng = new Rng(1);
    a = new float[n * n];
    b = new float[n * n];
    c = new float[n * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = rng.nextFloat() - 0.5f;
      b[i] = rng.nextFloat() - 0.5f;
    }
    if (!Gemm.vectorized()) {
      throw new IllegalStateException("the Vector API module is missing: " + Gemm.backend());
    }
  }

  @Benchmark
  public float[] matmul() {
    Gemm.gemm(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
    return c;
  }
}
