package dev.nerve.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nerve.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelTest {
  private final int before = Parallel.threads();

  @AfterEach
  void restore() {
    Parallel.setThreads(before);
  }

  @Test
  void everyPartRunsExactlyOnce() {
    for (int parts : new int[] {1, 2, 3, 5}) {
      AtomicIntegerArray seen = new AtomicIntegerArray(parts);
      for (int rep = 0; rep < 2000; rep++) {
        Parallel.forEach(parts, seen::incrementAndGet);
      }
      for (int i = 0; i < parts; i++) {
        assertEquals(2000, seen.get(i), "part " + i + " of " + parts);
      }
    }
  }

  @Test
  void anExceptionInAWorkerReachesTheCallerAndThePoolRecovers() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                Parallel.forEach(
                    2,
                    p -> {
                      if (p == 1) {
                        throw new IllegalStateException("part 1 failed");
                      }
                    }));
    assertEquals("part 1 failed", e.getMessage());
    AtomicIntegerArray seen = new AtomicIntegerArray(2);
    Parallel.forEach(2, seen::incrementAndGet);
    assertEquals(1, seen.get(1));
  }

  @Test
  void nestedCallsRunInlineInsteadOfDeadlocking() {
    AtomicIntegerArray seen = new AtomicIntegerArray(4);
    Parallel.forEach(
        2, outer -> Parallel.forEach(2, inner -> seen.incrementAndGet(outer * 2 + inner)));
    for (int i = 0; i < 4; i++) {
      assertEquals(1, seen.get(i));
    }
  }

  @Test
  void concurrentCallersAllGetRightAndIdenticalProducts() throws Exception {
    Parallel.setThreads(2);
    int n = 200;
    Rng rng = new Rng(9);
    float[] a = new float[n * n];
    float[] b = new float[n * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = rng.nextFloat() - 0.5f;
      b[i] = rng.nextFloat() - 0.5f;
    }
    float[] expected = new float[n * n];
    Gemm.gemm(false, false, n, n, n, a, 0, n, b, 0, n, expected, 0, n, false);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> results = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        results.add(
            pool.submit(
                () -> {
                  float[] c = new float[n * n];
                  for (int rep = 0; rep < 5; rep++) {
                    Gemm.gemm(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
                  }
                  return c;
                }));
      }
      for (Future<float[]> f : results) {
        assertArrayEquals(expected, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
