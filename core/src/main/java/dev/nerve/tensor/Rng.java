package dev.nerve.tensor;

/**
 * A small, fast, seeded pseudo-random generator (SplitMix64) whose whole state is one {@code long},
 * so a run can be reproduced to the bit and its state saved and restored.
 *
 * <p>Nerve has no global random generator: every random draw (initial weights, shuffling) comes
 * from an {@code Rng} that the caller creates from an explicit seed and passes in.
 *
 * <pre>{@code
 * Rng rng = new Rng(42);
 * float u = rng.nextFloat();      // uniform in [0, 1)
 * double g = rng.nextGaussian();  // standard normal
 * }</pre>
 *
 * <p>Not thread-safe: give each thread its own generator (see {@link #split()}).
 */
public final class Rng {
  private long state;

  /** Creates a generator from a seed; equal seeds give equal sequences. */
  public Rng(long seed) {
    this.state = seed;
  }

  /** The complete state, for saving; {@code Rng.fromState(s)} continues the sequence. */
  public long state() {
    return state;
  }

  /** A generator that continues from a state returned by {@link #state()}. */
  public static Rng fromState(long state) {
    return new Rng(state);
  }

  /**
   * The state this generator reaches after {@code draws} more calls of {@link #nextLong()} (each
   * {@link #nextFloat()} and {@link #nextDouble()} is one), without making them: SplitMix64 adds a
   * constant per draw, so a jump costs one multiplication. A slice of a batch uses it to draw the
   * values its rows would draw in the whole batch.
   *
   * @param draws how many draws to jump over; wraps around like the state itself
   */
  public static long stateAfter(long state, long draws) {
    return state + draws * GOLDEN;
  }

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  /** The next 64 random bits. */
  public long nextLong() {
    long z = (state += GOLDEN);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in [0, 1) with 24 random bits, every value exactly representable. */
  public float nextFloat() {
    return (nextLong() >>> 40) * 0x1.0p-24f;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /**
   * Uniform integer in [0, bound), without modulo bias.
   *
   * @throws IllegalArgumentException if {@code bound <= 0}
   */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    long r = nextLong() >>> 33; // 31 bits
    long m = r * bound;
    int low = (int) (m & 0x7FFFFFFFL);
    if (low < bound) {
      long threshold = (0x80000000L - bound) % bound;
      while (low < threshold) {
        r = nextLong() >>> 33;
        m = r * bound;
        low = (int) (m & 0x7FFFFFFFL);
      }
    }
    return (int) (m >>> 31);
  }

  /** Standard normal draw (Box-Muller; one value per call, so the state stays one long). */
  public double nextGaussian() {
    double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
    double u2 = nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  /** An independent generator seeded from this one (advances this generator once). */
  public Rng split() {
    return new Rng(nextLong());
  }

  /** Fisher-Yates shuffle of {@code a} in place. */
  public void shuffleInPlace(int[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
