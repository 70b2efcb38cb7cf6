package dev.nerve.audio;

import dev.nerve.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a sound becomes the input of a network: log-mel spectrogram or MFCCs, with every setting that
 * decides the numbers. A model trained on these features keeps them in its metadata ({@link
 * #toJson()}, under {@link #METADATA_KEY}) so that a prediction on a WAV file rebuilds the same
 * features ({@link #fromJson}).
 *
 * <p>{@link #extract} mixes a sound down to one channel, resamples it to {@code sample_rate} if it
 * has another rate ({@link Resampler}), cuts it or pads it with zeros at the end to {@code seconds}
 * (unless 0), takes the power spectrogram ({@link Spectrogram}: periodic Hann window of {@code
 * win_length} centred in frames of {@code n_fft}, every {@code hop_length} samples, reflect-padded
 * at both ends), the HTK mel filterbank from {@code f_min} to {@code f_max} and the decibels {@code
 * 10 log10(max(mel, 1e-10))}; for {@code mfcc}, the orthonormal DCT of each frame's decibels, first
 * {@code n_mfcc} coefficients ({@link Mel}). Each step is torchaudio's formula, checked against a
 * numpy implementation of it ({@code reference/audio_numpy.py} in the tests).
 *
 * <p>The result is {@code [bands, frames]}: the mel bands (or coefficients) are the channels of a
 * one-dimensional convolution over time. {@link #extractFramesFirst} gives {@code [frames, bands]},
 * one row per time step, for recurrent layers and transformers.
 *
 * <pre>{@code
 * AudioFeatures f = AudioFeatures.defaults();                 // 16 kHz log-mel, 40 bands, 1 s
 * Tensor x = f.extract(Wav.read(Path.of("seven.wav")));       // [40, 101]
 * AudioFeatures m = f.withMfcc(13).withSeconds(1.5);           // [13, 151]
 * }</pre>
 *
 * @param sampleRate the rate every sound is resampled to, 1 to {@link Wav#MAX_SAMPLE_RATE} Hz
 * @param nFft samples per frame, 2 to 65536 (a power of two is fastest)
 * @param hopLength samples between frames, 1 to 65536
 * @param winLength the Hann window's length inside each frame, 1 to {@code nFft}
 * @param nMels mel bands, 1 to {@link #MAX_MELS}; each must cover at least one frequency bin
 * @param fMin the lowest frequency of the filterbank in Hz, 0 to below {@code fMax}
 * @param fMax the highest, above {@code fMin} and at most {@code sampleRate / 2}
 * @param kind log-mel or MFCC
 * @param nMfcc MFCCs kept, 1 to {@code nMels} (checked for log-mel too, where it is unused)
 * @param seconds the duration every sound is cut or zero-padded to, at the end (0 to 3600; 0 keeps
 *     each sound's own length, so the number of frames varies)
 */
public record AudioFeatures(
    int sampleRate,
    int nFft,
    int hopLength,
    int winLength,
    int nMels,
    double fMin,
    double fMax,
    Kind kind,
    int nMfcc,
    double seconds) {

  /** The metadata key a model file keeps its audio features under. */
  public static final String METADATA_KEY = "audio_features";

  /** The most mel bands, 1024. */
  public static final int MAX_MELS = 1024;

  /** The longest fixed duration, one hour. */
  public static final double MAX_SECONDS = 3600;

  /** The most samples a fixed duration may hold, 2^30. */
  public static final long MAX_SAMPLES = 1L << 30;

  /** What is computed from the mel spectrogram. */
  public enum Kind {
    /** Log-mel spectrogram in decibels, {@code n_mels} bands. */
    LOG_MEL("log_mel"),
    /** Mel-frequency cepstral coefficients, {@code n_mfcc} of them. */
    MFCC("mfcc");

    private final String jsonName;

    Kind(String jsonName) {
      this.jsonName = jsonName;
    }

    /** The name in JSON and on the command line: {@code log_mel} or {@code mfcc}. */
    public String jsonName() {
      return jsonName;
    }

    /**
     * The kind of a JSON name.
     *
     * @throws IllegalArgumentException for another name
     */
    public static Kind named(String name) {
      for (Kind k : values()) {
        if (k.jsonName.equals(name)) {
          return k;
        }
      }
      throw new IllegalArgumentException("kind must be log_mel or mfcc, got " + name);
    }
  }

  private static final List<String> KEYS =
      List.of(
          "sample_rate",
          "n_fft",
          "hop_length",
          "win_length",
          "n_mels",
          "f_min",
          "f_max",
          "kind",
          "n_mfcc",
          "seconds");

  /**
   * Checks every setting.
   *
   * @throws IllegalArgumentException in one line naming the setting (by its JSON name) and its
   *     range, for the first one out of range
   */
  public AudioFeatures {
    whole("sample_rate", sampleRate, 1, Wav.MAX_SAMPLE_RATE);
    whole("n_fft", nFft, 2, Spectrogram.MAX_SIZE);
    whole("hop_length", hopLength, 1, Spectrogram.MAX_SIZE);
    whole("win_length", winLength, 1, nFft);
    whole("n_mels", nMels, 1, MAX_MELS);
    double nyquist = sampleRate / 2.0;
    if (!(fMax > 0 && fMax <= nyquist)) {
      throw new IllegalArgumentException(
          "f_max must be above 0 and at most sample_rate / 2 (" + nyquist + " Hz), got " + fMax);
    }
    if (!(fMin >= 0 && fMin < fMax)) {
      throw new IllegalArgumentException(
          "f_min must be from 0 to below f_max (" + fMax + " Hz), got " + fMin);
    }
    if (kind == null) {
      throw new IllegalArgumentException("kind must be log_mel or mfcc, got null");
    }
    whole("n_mfcc", nMfcc, 1, nMels);
    if (!(seconds >= 0 && seconds <= MAX_SECONDS)) {
      throw new IllegalArgumentException(
          "seconds must be from 0 to "
              + (int) MAX_SECONDS
              + " (0: keep each length), got "
              + seconds);
    }
    long samples = Math.round(seconds * sampleRate);
    if (seconds > 0 && (samples < 1 || samples > MAX_SAMPLES)) {
      throw new IllegalArgumentException(
          "seconds must give 1 to "
              + MAX_SAMPLES
              + " samples at "
              + sampleRate
              + " Hz, got "
              + seconds
              + " ("
              + samples
              + " samples)");
    }
    float[] fb = Mel.filterbank(nFft / 2 + 1, fMin, fMax, nMels, sampleRate).data();
    for (int m = 0; m < nMels; m++) {
      boolean covered = false;
      for (int f = m; f < fb.length && !covered; f += nMels) {
        covered = fb[f] > 0;
      }
      if (!covered) {
        throw new IllegalArgumentException(
            "n_mels "
                + nMels
                + " is too many for n_fft "
                + nFft
                + " at "
                + sampleRate
                + " Hz from f_min "
                + fMin
                + " to f_max "
                + fMax
                + ": mel band "
                + m
                + " covers no frequency bin (use fewer mel bands, a larger n_fft or a wider"
                + " range)");
      }
    }
  }

  private static void whole(String key, int v, int min, int max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(
          key + " must be from " + min + " to " + max + ", got " + v);
    }
  }

  /**
   * 16 kHz log-mel: {@code n_fft} 512, hop 160 (10 ms), window 400 (25 ms), 40 mel bands from 0 to
   * 8000 Hz, {@code n_mfcc} 13 (for {@link #withMfcc}), sounds cut or padded to 1 second: {@code
   * [40, 101]}.
   */
  public static AudioFeatures defaults() {
    return new AudioFeatures(16000, 512, 160, 400, 40, 0, 8000, Kind.LOG_MEL, 13, 1.0);
  }

  /** These settings at another sample rate, with {@code f_max} at its Nyquist frequency. */
  public AudioFeatures withSampleRate(int rate) {
    return new AudioFeatures(
        rate, nFft, hopLength, winLength, nMels, fMin, rate / 2.0, kind, nMfcc, seconds);
  }

  /**
   * These settings with other frame sizes: {@code n_fft}, {@code hop_length}, {@code win_length}.
   */
  public AudioFeatures withFrames(int nFft, int hopLength, int winLength) {
    return new AudioFeatures(
        sampleRate, nFft, hopLength, winLength, nMels, fMin, fMax, kind, nMfcc, seconds);
  }

  /**
   * These settings with {@code nMels} bands from {@code fMin} to {@code fMax} Hz ({@code n_mfcc}
   * lowered to {@code nMels} if it was above).
   */
  public AudioFeatures withMels(int nMels, double fMin, double fMax) {
    return new AudioFeatures(
        sampleRate,
        nFft,
        hopLength,
        winLength,
        nMels,
        fMin,
        fMax,
        kind,
        Math.min(nMfcc, nMels),
        seconds);
  }

  /** Log-mel features with these settings. */
  public AudioFeatures withLogMel() {
    return new AudioFeatures(
        sampleRate, nFft, hopLength, winLength, nMels, fMin, fMax, Kind.LOG_MEL, nMfcc, seconds);
  }

  /** {@code nMfcc} MFCCs with these settings. */
  public AudioFeatures withMfcc(int nMfcc) {
    return new AudioFeatures(
        sampleRate, nFft, hopLength, winLength, nMels, fMin, fMax, Kind.MFCC, nMfcc, seconds);
  }

  /** These settings with every sound cut or padded to {@code seconds} (0: kept as it is). */
  public AudioFeatures withSeconds(double seconds) {
    return new AudioFeatures(
        sampleRate, nFft, hopLength, winLength, nMels, fMin, fMax, kind, nMfcc, seconds);
  }

  /** The number of rows of a result: {@code nMels} for log-mel, {@code nMfcc} for MFCCs. */
  public int bands() {
    return kind == Kind.MFCC ? nMfcc : nMels;
  }

  /** The samples every sound is cut or padded to, or 0 when {@code seconds} is 0. */
  public int samples() {
    return (int) Math.round(seconds * sampleRate);
  }

  /**
   * The frames of every result, {@code 1 + samples() / hop_length} for an even {@code n_fft}; or 0
   * when {@code seconds} is 0 and each sound keeps its length.
   */
  public int frames() {
    return seconds == 0 ? 0 : spectrogram().frames(samples());
  }

  /** The spectrogram these settings take. */
  public Spectrogram spectrogram() {
    return new Spectrogram(nFft, hopLength, winLength);
  }

  /** The mel filterbank these settings apply, {@code [n_fft / 2 + 1, n_mels]}. */
  public Tensor filterbank() {
    return Mel.filterbank(nFft / 2 + 1, fMin, fMax, nMels, sampleRate);
  }

  /**
   * The features of {@code wav} (its channels averaged): {@code [bands(), frames]}.
   *
   * @throws IllegalArgumentException if the result would not fit a Java array
   */
  public Tensor extract(Wav wav) {
    return extract(wav.mono(), wav.sampleRate());
  }

  /**
   * The features of one channel of samples at {@code rate} Hz (not modified): {@code [bands(),
   * frames]}.
   *
   * @throws IllegalArgumentException if the rate is outside [1, {@link Wav#MAX_SAMPLE_RATE}] or the
   *     result would not fit a Java array
   */
  public Tensor extract(float[] mono, int rate) {
    float[] x = rate == sampleRate ? mono : new Resampler(rate, sampleRate).apply(mono);
    if (seconds > 0) {
      x = Arrays.copyOf(x, samples());
    }
    Tensor power = spectrogram().power(x);
    Tensor db = Mel.decibels(Mel.apply(filterbank(), power));
    return kind == Kind.MFCC ? Mel.mfcc(db, nMfcc) : db;
  }

  /** {@link #extract(Wav)} transposed: {@code [frames, bands()]}, one row per time step. */
  public Tensor extractFramesFirst(Wav wav) {
    return transpose(extract(wav));
  }

  /** {@link #extract(float[], int)} transposed: {@code [frames, bands()]}. */
  public Tensor extractFramesFirst(float[] mono, int rate) {
    return transpose(extract(mono, rate));
  }

  private static Tensor transpose(Tensor t) {
    int rows = t.shape().dim(0);
    int cols = t.shape().dim(1);
    float[] a = t.data();
    float[] out = new float[a.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[c * rows + r] = a[r * cols + c];
      }
    }
    return Tensor.wrap(out, cols, rows);
  }

  /** The settings as JSON, every key written, for a model file's metadata. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sample_rate", sampleRate);
    m.put("n_fft", nFft);
    m.put("hop_length", hopLength);
    m.put("win_length", winLength);
    m.put("n_mels", nMels);
    m.put("f_min", fMin);
    m.put("f_max", fMax);
    m.put("kind", kind.jsonName());
    m.put("n_mfcc", nMfcc);
    m.put("seconds", seconds);
    return m;
  }

  /**
   * The settings {@link #toJson()} wrote. A missing key takes its value from {@link #defaults()}
   * ({@code f_max} from half the sample rate read), so a hand-written {@code {"kind": "mfcc"}} is
   * enough; an unknown key is refused, so a typo never passes silently.
   *
   * @throws IllegalArgumentException naming the key that is unknown, of the wrong type or out of
   *     range, as {@code audio_features.n_fft: ...}
   */
  public static AudioFeatures fromJson(Object json) {
    if (!(json instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(METADATA_KEY + ": expected an object, got " + json);
    }
    for (Object k : m.keySet()) {
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException(
            METADATA_KEY + ": unknown key '" + k + "' (known: " + String.join(", ", KEYS) + ")");
      }
    }
    AudioFeatures d = defaults();
    int rate = wholeKey(m, "sample_rate", d.sampleRate);
    Object kind = m.get("kind");
    if (kind != null && !(kind instanceof String)) {
      throw new IllegalArgumentException(
          METADATA_KEY + ".kind: expected \"log_mel\" or \"mfcc\", got " + kind);
    }
    int nFft = wholeKey(m, "n_fft", d.nFft);
    int hopLength = wholeKey(m, "hop_length", d.hopLength);
    int winLength = wholeKey(m, "win_length", d.winLength);
    int nMels = wholeKey(m, "n_mels", d.nMels);
    double fMin = realKey(m, "f_min", d.fMin);
    double fMax = realKey(m, "f_max", rate / 2.0);
    int nMfcc = wholeKey(m, "n_mfcc", d.nMfcc);
    double seconds = realKey(m, "seconds", d.seconds);
    try {
      return new AudioFeatures(
          rate,
          nFft,
          hopLength,
          winLength,
          nMels,
          fMin,
          fMax,
          kind == null ? d.kind : Kind.named((String) kind),
          nMfcc,
          seconds);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(METADATA_KEY + "." + e.getMessage(), e);
    }
  }

  private static int wholeKey(Map<?, ?> m, String key, int dflt) {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    double d = v instanceof Number n ? n.doubleValue() : Double.NaN;
    if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          METADATA_KEY + "." + key + ": expected a whole number, got " + v);
    }
    return (int) d;
  }

  private static double realKey(Map<?, ?> m, String key, double dflt) {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    double d = v instanceof Number n ? n.doubleValue() : Double.NaN;
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException(
          METADATA_KEY + "." + key + ": expected a number, got " + v);
    }
    return d;
  }

  /** Like {@code AudioFeatures(log_mel, 40 bands, 16000 Hz, n_fft=512, hop=160, win=400, ...)}. */
  @Override
  public String toString() {
    return "AudioFeatures("
        + kind.jsonName()
        + ", "
        + bands()
        + " bands, "
        + sampleRate
        + " Hz, n_fft="
        + nFft
        + ", hop_length="
        + hopLength
        + ", win_length="
        + winLength
        + ", n_mels="
        + nMels
        + ", f_min="
        + fMin
        + ", f_max="
        + fMax
        + ", seconds="
        + seconds
        + ")";
  }
}
