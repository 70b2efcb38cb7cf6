package dev.nerve.tensor.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The shared thread pool behind the large kernels.
 *
 * <p>The number of threads defaults to the machine's processors and can be set with the system
 * property {@code nerve.threads} or {@link #setThreads(int)}. Changing it never changes a result:
 * kernels split work so that each output element is computed by exactly one thread in a fixed
 * order, so results are bit-identical for every thread count.
 *
 * <p>Why not a {@code ForkJoinPool}: a kernel call lasts from tens of microseconds to a few
 * milliseconds, and waking a parked worker for each call cost up to a third of the second core's
 * work. Workers here spin briefly (up to {@link #SPIN_NANOS}) for the next piece of work before
 * parking, as BLAS libraries' threads do, and the caller spins for their results. One caller uses
 * the pool at a time; a call made while the pool is busy (from another thread, or from inside a
 * kernel) runs all its parts on the calling thread, so nothing can deadlock.
 */
public final class Parallel {
  /** How long an idle worker or a waiting caller spins before parking. */
  static final long SPIN_NANOS = 200_000;

  private static volatile int threads = initialThreads();

  /** Held by the one caller using the workers; not reentrant, so a nested call runs inline. */
  private static final AtomicBoolean BUSY = new AtomicBoolean();

  private static Worker[] workers = new Worker[0]; // guarded by BUSY

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
  public static void setThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + n);
    }
    threads = n;
  }

  /**
   * Runs {@code task.accept(i)} for {@code i = 0 .. parts-1}, part 0 on the calling thread and the
   * others on the pool's workers, and returns when all are done. An exception in any part is
   * rethrown to the caller after every part has finished.
   */
  public static void forEach(int parts, IntConsumer task) {
    if (parts <= 1) {
      if (parts == 1) {
        task.accept(0);
      }
      return;
    }
    if (!BUSY.compareAndSet(false, true)) {
      for (int i = 0; i < parts; i++) {
        task.accept(i);
      }
      return;
    }
    try {
      Worker[] ws = workers(parts - 1);
      for (int i = 1; i < parts; i++) {
        ws[i - 1].hand(task, i);
      }
      Throwable first = null;
      try {
        task.accept(0);
      } catch (Throwable t) {
        first = t;
      }
      for (int i = 1; i < parts; i++) {
        Throwable t = ws[i - 1].await();
        if (first == null) {
          first = t;
        }
      }
      if (first instanceof RuntimeException) {
        throw (RuntimeException) first;
      }
      if (first instanceof Error) {
        throw (Error) first;
      }
      if (first != null) {
        throw new IllegalStateException(first);
      }
    } finally {
      BUSY.set(false);
    }
  }

  /** A piece of a split loop: the elements {@code [from, to)}. */
  @FunctionalInterface
  public interface Range {
    /** Processes the elements {@code [from, to)}. */
    void run(int from, int to);
  }

  /**
   * Splits {@code [0, n)} into at most {@link #threads()} contiguous ranges of at least {@code
   * grain} elements (whole multiples of 16 but the last, so that no two threads write one cache
   * line) and runs them as {@link #forEach} does. Below {@code 2 * grain} it runs inline.
   */
  public static void forRanges(int n, int grain, Range task) {
    int parts = Math.min(threads, n / Math.max(1, grain));
    if (parts <= 1) {
      task.run(0, n);
      return;
    }
    int size = ((n + parts - 1) / parts + 15) / 16 * 16;
    forEach((n + size - 1) / size, part -> task.run(part * size, Math.min(n, (part + 1) * size)));
  }

  private static Worker[] workers(int n) {
    if (workers.length < n) {
      Worker[] ws = java.util.Arrays.copyOf(workers, n);
      for (int i = workers.length; i < n; i++) {
        ws[i] = new Worker(i + 1);
        ws[i].start();
      }
      workers = ws;
    }
    return workers;
  }

  /** A daemon thread that runs one part at a time, handed over through volatile fields. */
  private static final class Worker extends Thread {
    private volatile int generation; // bumped by the caller to hand over a part
    private volatile boolean done = true;
    private volatile boolean parked;
    private IntConsumer task; // published by the volatile write of generation
    private int part;
    private Throwable failure; // published by the volatile write of done
    private int seen;

    Worker(int index) {
      super("nerve-worker-" + index);
      setDaemon(true);
    }

    void hand(IntConsumer t, int p) {
      task = t;
      part = p;
      failure = null;
      done = false;
      generation = generation + 1; // single writer: the caller holding BUSY
      if (parked) {
        LockSupport.unpark(this);
      }
    }

    Throwable await() {
      long start = System.nanoTime();
      while (!done) {
        if (System.nanoTime() - start < SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          LockSupport.parkNanos(20_000);
        }
      }
      return failure;
    }

    @Override
    public void run() {
      while (true) {
        long start = System.nanoTime();
        while (generation == seen) {
          if (System.nanoTime() - start < SPIN_NANOS) {
            Thread.onSpinWait();
          } else {
            parked = true;
            if (generation == seen) {
              LockSupport.park(this);
            }
            parked = false;
          }
        }
        seen = generation;
        IntConsumer t = task;
        task = null;
        try {
          t.accept(part);
        } catch (Throwable e) {
          failure = e;
        }
        done = true;
      }
    }
  }
}
