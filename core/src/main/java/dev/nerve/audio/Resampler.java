package dev.nerve.audio;

/**
 * Band-limited resampling by windowed-sinc interpolation, the formula of torchaudio's {@code
 * resample(..., resampling_method="sinc_interp_hann")} with its defaults (6 zero crossings, rolloff
 * 0.99), computed directly for each output sample.
 *
 * <p>Output sample {@code j} sits at time {@code j / to}; it is {@code y[j] = sum_n x[n] K(n / from
 * - j / to)} over the input samples (zero outside the signal), with the kernel
 *
 * <pre>
 *   K(d) = c sinc(pi t) cos^2(pi t / (2 w)),  t = d * 2 f_c clamped to [-w, w],
 *   f_c = rolloff * min(from, to) / 2,  c = 2 f_c / from,  w = zero crossings
 * </pre>
 *
 * a sinc low-pass at {@code f_c} under a Hann window that reaches zero after {@code w} zero
 * crossings of the lower rate. There are {@code ceil(n * to / from)} outputs. The time difference
 * is computed exactly, as the integer {@code n * to - j * from} over {@code from * to}, and the
 * weights in double precision. Since the weights repeat every {@code to / gcd(from, to)} outputs,
 * they are computed once per phase when that table is small (22,050 to 16,000 Hz: 320 phases of 19
 * weights), else for each output sample; the two give the same bits.
 *
 * <pre>{@code
 * float[] y = Resampler.resample(x, 22050, 16000);     // x.length * 16000 / 22050, rounded up
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Resampler {
  /** The default half-width of the kernel, in zero crossings of the lower rate: 6. */
  public static final int ZERO_CROSSINGS = 6;

  /** The default cut-off as a fraction of the lower Nyquist frequency: 0.99. */
  public static final double ROLLOFF = 0.99;

  private static final long MAX_TABLE = 1L << 22;

  private final int from;
  private final int to;
  private final int zeroCrossings;
  private final double rolloff;
  private final int orig; // from / gcd: input samples per period of the phases
  private final int phases; // to / gcd
  private final double reach; // |n - j * from / to| below which a weight can be non-zero
  private final int taps; // weights per output sample
  private final double[] table; // [phases][taps], or null when computed per output sample
  private final int[] firsts; // for each phase, the first input offset (from q * orig)

  /**
   * Resampling from {@code from} Hz to {@code to} Hz with torchaudio's defaults.
   *
   * @throws IllegalArgumentException if a rate is outside [1, {@link Wav#MAX_SAMPLE_RATE}]
   */
  public Resampler(int from, int to) {
    this(from, to, ZERO_CROSSINGS, ROLLOFF);
  }

  /**
   * Resampling with a kernel of {@code zeroCrossings} zero crossings each side and a cut-off of
   * {@code rolloff} times the lower Nyquist frequency.
   *
   * @throws IllegalArgumentException if a rate is outside [1, {@link Wav#MAX_SAMPLE_RATE}], {@code
   *     zeroCrossings} outside [1, 64] or {@code rolloff} outside (0, 1]
   */
  public Resampler(int from, int to, int zeroCrossings, double rolloff) {
    this(from, to, zeroCrossings, rolloff, true);
  }

  /** As above; {@code useTable} false always computes the weights per output sample (tests). */
  Resampler(int from, int to, int zeroCrossings, double rolloff, boolean useTable) {
    for (int r : new int[] {from, to}) {
      if (r < 1 || r > Wav.MAX_SAMPLE_RATE) {
        throw new IllegalArgumentException(
            "sample rate must be from 1 to " + Wav.MAX_SAMPLE_RATE + " Hz, got " + r);
      }
    }
    if (zeroCrossings < 1 || zeroCrossings > 64) {
      throw new IllegalArgumentException(
          "zero crossings must be from 1 to 64, got " + zeroCrossings);
    }
    if (!(rolloff > 0 && rolloff <= 1)) {
      throw new IllegalArgumentException("rolloff must be in (0, 1], got " + rolloff);
    }
    this.from = from;
    this.to = to;
    this.zeroCrossings = zeroCrossings;
    this.rolloff = rolloff;
    int g = gcd(from, to);
    this.orig = from / g;
    this.phases = to / g;
    this.reach = zeroCrossings * (double) from / (Math.min(from, to) * rolloff);
    this.taps = (int) Math.ceil(2 * reach) + 2;
    if (from == to) {
      table = null;
      firsts = null;
    } else if (useTable && (long) phases * taps <= MAX_TABLE) {
      table = new double[phases * taps];
      firsts = new int[phases];
      double[] w = new double[taps];
      for (int i = 0; i < phases; i++) {
        firsts[i] = weights(i, w);
        System.arraycopy(w, 0, table, i * taps, taps);
      }
    } else {
      table = null;
      firsts = null;
    }
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** The input rate. */
  public int from() {
    return from;
  }

  /** The output rate. */
  public int to() {
    return to;
  }

  /**
   * The weights of phase {@code i} (output {@code j = q * phases + i}) into {@code w}; returns the
   * input offset, from {@code q * orig}, that {@code w[0]} applies to.
   */
  private int weights(int i, double[] w) {
    // Output j is at input position q * orig + i * orig / phases.
    double centre = (double) i * orig / phases;
    int first = (int) Math.floor(centre - reach);
    double cutoff = Math.min(from, to) * rolloff; // 2 f_c
    double scale = cutoff / from;
    double fromTo = (double) from * to;
    for (int k = 0; k < taps; k++) {
      long idx = first + k;
      // n / from - j / to = (idx * to - i * from) / (from * to), exactly in the numerator.
      double t = (idx * to - (long) i * from) / fromTo * cutoff;
      t = Math.max(-zeroCrossings, Math.min(zeroCrossings, t));
      double window = Math.cos(t * Math.PI / zeroCrossings / 2);
      double x = t * Math.PI;
      double sinc = x == 0 ? 1.0 : Math.sin(x) / x;
      w[k] = sinc * window * window * scale;
    }
    return first;
  }

  /**
   * The number of samples {@code n} input samples become: {@code ceil(n * to / from)}.
   *
   * @throws IllegalArgumentException if that does not fit a Java array
   */
  public int outputLength(int n) {
    long out = ((long) n * to + from - 1) / from;
    if (out > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          n + " samples at " + from + " Hz make too many at " + to + " Hz for one array");
    }
    return (int) out;
  }

  /** {@code x} (not modified) at the output rate: a new array of {@link #outputLength} samples. */
  public float[] apply(float[] x) {
    if (from == to) {
      return x.clone();
    }
    int outLength = outputLength(x.length);
    float[] y = new float[outLength];
    double[] w = table == null ? new double[taps] : null;
    for (int j = 0; j < outLength; j++) {
      int q = j / phases;
      int i = j % phases;
      int first;
      double[] weights;
      int base;
      if (table != null) {
        first = firsts[i];
        weights = table;
        base = i * taps;
      } else {
        first = weights(i, w);
        weights = w;
        base = 0;
      }
      long start = (long) q * orig + first;
      int kLo = (int) Math.max(0, -start);
      int kHi = (int) Math.min(taps, x.length - start);
      double s = 0;
      for (int k = kLo; k < kHi; k++) {
        s += weights[base + k] * x[(int) (start + k)];
      }
      y[j] = (float) s;
    }
    return y;
  }

  /**
   * {@code x} (not modified) resampled from {@code from} to {@code to} Hz with torchaudio's
   * defaults; a copy when the rates are equal.
   *
   * @throws IllegalArgumentException if a rate is outside [1, {@link Wav#MAX_SAMPLE_RATE}]
   */
  public static float[] resample(float[] x, int from, int to) {
    return new Resampler(from, to).apply(x);
  }

  /** Like {@code Resampler(22050 Hz -> 16000 Hz)}. */
  @Override
  public String toString() {
    return "Resampler(" + from + " Hz -> " + to + " Hz)";
  }
}
