package dev.nerve.tensor.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;

/**
 * The shared thread pool behind the large kernels.
 *
 * <p>The number of threads defaults to the machine's processors and can be set with the
 * system property {@code nerve.threads} or {@link #setThreads(int)}. Changing it never
 * changes a result: kernels split work so that each output element is computed by exactly
 * one thread in a fixed order, so results are bit-identical for every thread count.
 */
public final class Parallel {
  private static volatile int threads = initialThreads();
  private static volatile ForkJoinPool pool;

  private Parallel() {}

  private static int initialThreads() {
    String p = System.getProperty("nerve.threads");
    int n = Runtime.getRuntime().availableProcessors();
    if (p != null) {
      try {
        n = Integer.parseInt(p.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("nerve.threads must be a whole number, got '" + p + "'");
      }
      if (n < 1) {
        throw new IllegalArgumentException("nerve.threads must be at least 1, got " + n);
      }
    }
    return n;
  }

  /** The number of threads a kernel may use, the caller's included. */
  public static int threads() {
    return threads;
  }

  /**
   * Sets the number of threads kernels may use (the caller's included); 1 means no pool.
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public static synchronized void setThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + n);
    }
    threads = n;
  }

  private static ForkJoinPool pool() {
    ForkJoinPool p = pool;
    if (p == null) {
      synchronized (Parallel.class) {
        p = pool;
        if (p == null) {
          // Daemon workers (the common-pool factory makes daemons): never keep a JVM alive.
          p = new ForkJoinPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
          pool = p;
        }
      }
    }
    return p;
  }

  /**
   * Runs {@code task.accept(i)} for {@code i = 0 .. parts-1}, part 0 on the calling thread
   * and the others on the pool, and returns when all are done. An exception in any part is
   * rethrown to the caller.
   */
  public static void forEach(int parts, IntConsumer task) {
    if (parts <= 1) {
      if (parts == 1) {
        task.accept(0);
      }
      return;
    }
    @SuppressWarnings("unchecked")
    ForkJoinTask<Void>[] forks = new ForkJoinTask[parts - 1];
    ForkJoinPool p = pool();
    for (int i = 1; i < parts; i++) {
      int part = i;
      forks[i - 1] = p.submit(() -> task.accept(part), null);
    }
    RuntimeException first = null;
    try {
      task.accept(0);
    } catch (RuntimeException e) {
      first = e;
    }
    for (ForkJoinTask<Void> f : forks) {
      try {
        f.join();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
