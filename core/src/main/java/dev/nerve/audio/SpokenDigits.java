package dev.nerve.audio;

import dev.nerve.data.DataFormatException;
import dev.nerve.data.Dataset;
import dev.nerve.io.AtomicFiles;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Tensor;
import dev.nerve.text.TextFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A spoken-digit dataset made on this machine: the words "zero" to "nine" synthesised by eSpeak NG
 * ({@code espeak-ng}, a Debian package) for a grid of speakers, speeds and pitches, resampled to 16
 * kHz and written as WAV files with a {@code manifest.csv}; and the loader that reads it back
 * through {@link AudioFeatures}.
 *
 * <p><b>Speakers.</b> A speaker is an eSpeak voice (an accent: {@code en-us}, {@code
 * en-gb-scotland}, ...) with a voice variant (a timbre: {@code m3}, {@code f2}, {@code klatt},
 * ...), used as {@code espeak-ng -v en-us+m3}. The grid pairs every voice with every variant,
 * ordered so that the first speakers cover the voices and variants evenly (speaker {@code q * V +
 * r} is voice {@code r} with variant {@code (q + r) mod W}); {@link Options#speakers} takes the
 * first so many. Each speaker says each digit at each speed (words per minute, {@code -s}) and
 * pitch ({@code -p}, 0 to 99).
 *
 * <p><b>The default grid</b> ({@link Options#defaults()}): 7 voices ({@code en-us, en-gb,
 * en-gb-scotland, en-gb-x-rp, en-gb-x-gbclan, en-gb-x-gbcwmd, en-029}) × 6 variants ({@code m1, m3,
 * m6, f1, f3, klatt}) = 42 speakers, 3 speeds (130, 160, 190) and 2 pitches (35, 65): 2,520 clips.
 *
 * <p><b>The split is by speaker.</b> A seeded shuffle of the speakers picks {@code round(speakers ×
 * test_fraction)} of them (at least one and at most all but one when there are two or more and the
 * fraction is above 0) for {@code test}; their clips are never in {@code train}, so the test
 * measures how well a model hears a voice it never heard.
 *
 * <p><b>Noise.</b> For each signal-to-noise ratio asked for, every clip gets one more copy with
 * white Gaussian noise at that SNR: noise power = clip power / 10^(SNR / 10), the clip's power
 * taken over the whole clip as written, the noise from an {@link Rng} seeded from the seed and the
 * clip, so a copy never depends on the thread that made it. Copies of test speakers are in {@code
 * test}; the {@code noise_snr} column (empty for a clean clip) tells them apart.
 *
 * <p><b>Files.</b> {@code <split>/<word>/<voice>+<variant>_s<speed>_p<pitch>[_snr<db>].wav}, 16-bit
 * PCM mono at 16 kHz, cut after the last sample that is not zero at 16 bits (eSpeak ends each word
 * with about half a second of exact silence, which costs disk and tells nothing), and {@code
 * manifest.csv} with the columns {@link #COLUMNS}. The manifest is written last and atomically: a
 * directory with a manifest is complete. The same options give the same bytes, whatever the number
 * of threads (eSpeak NG is deterministic; this was checked on Debian's 1.51).
 *
 * <pre>{@code
 * SpokenDigits.Summary s = SpokenDigits.generate(dir, SpokenDigits.Options.defaults(), false);
 * List<SpokenDigits.Example> all = SpokenDigits.load(dir, AudioFeatures.defaults(), 2);
 * Dataset train = SpokenDigits.dataset(SpokenDigits.split(all, "train"), false);  // [40, 101]
 * }</pre>
 */
public final class SpokenDigits {
  /** The words said, digit {@code d} at index {@code d}. */
  public static final List<String> WORDS =
      List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");

  /** The sample rate of the clips written, 16 kHz. */
  public static final int SAMPLE_RATE = 16000;

  /** The manifest's file name in the dataset directory. */
  public static final String MANIFEST = "manifest.csv";

  /** The manifest's columns, in order. */
  public static final List<String> COLUMNS =
      List.of(
          "file",
          "digit",
          "word",
          "speaker",
          "voice",
          "variant",
          "speed",
          "pitch",
          "noise_snr",
          "split");

  /** The name of the training split. */
  public static final String TRAIN = "train";

  /** The name of the test split. */
  public static final String TEST = "test";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,39}");

  private SpokenDigits() {}

  /**
   * One synthetic speaker: an eSpeak voice and a variant.
   *
   * @param voice the eSpeak voice (language and accent), such as {@code en-gb-scotland}
   * @param variant the eSpeak variant (timbre), such as {@code f2}
   */
  public record Speaker(String voice, String variant) {
    /** As eSpeak and the manifest name it: {@code voice+variant}. */
    public String name() {
      return voice + "+" + variant;
    }

    @Override
    public String toString() {
      return name();
    }
  }

  /**
   * What to synthesise, and how.
   *
   * @param voices eSpeak voices, 1 to 64 names of letters, digits, '-' and '_'
   * @param variants eSpeak variants, 1 to 64 such names
   * @param speakers how many speakers of the grid to take, from the first; 0 for all
   * @param speeds words per minute, each 80 to 450
   * @param pitches each 0 to 99 (eSpeak's default is 50)
   * @param noiseSnrs signal-to-noise ratios in dB, each -30 to 100: one noisy copy of every clip
   *     per ratio; empty for none
   * @param testFraction the share of speakers held out for the test split, in [0, 1)
   * @param seed seeds the choice of test speakers and the noise
   * @param threads espeak-ng processes run at once, 1 to 64 (the result does not depend on it)
   * @param espeak the espeak-ng program, a name on the PATH or a path
   * @param timeoutSeconds the longest wait for one espeak-ng call, 1 to 3600
   */
  public record Options(
      List<String> voices,
      List<String> variants,
      int speakers,
      List<Integer> speeds,
      List<Integer> pitches,
      List<Double> noiseSnrs,
      double testFraction,
      long seed,
      int threads,
      String espeak,
      int timeoutSeconds) {
    /** The default voices: seven English accents eSpeak NG ships. */
    public static final List<String> DEFAULT_VOICES =
        List.of(
            "en-us",
            "en-gb",
            "en-gb-scotland",
            "en-gb-x-rp",
            "en-gb-x-gbclan",
            "en-gb-x-gbcwmd",
            "en-029");

    /** The default variants: three male, two female, one Klatt-synthesiser timbre. */
    public static final List<String> DEFAULT_VARIANTS =
        List.of("m1", "m3", "m6", "f1", "f3", "klatt");

    /** The default speeds in words per minute (eSpeak's own default is 175). */
    public static final List<Integer> DEFAULT_SPEEDS = List.of(130, 160, 190);

    /** The default pitches (eSpeak's own default is 50). */
    public static final List<Integer> DEFAULT_PITCHES = List.of(35, 65);

    /**
     * Copies the lists and checks every option.
     *
     * @throws IllegalArgumentException in one line naming the option and its range
     */
    public Options {
      voices = names("voices", voices);
      variants = names("variants", variants);
      if (speakers < 0 || speakers > voices.size() * variants.size()) {
        throw new IllegalArgumentException(
            "speakers must be from 0 (all) to "
                + voices.size() * variants.size()
                + " (voices × variants), got "
                + speakers);
      }
      speeds = whole("speeds", speeds, 80, 450);
      pitches = whole("pitches", pitches, 0, 99);
      noiseSnrs = List.copyOf(noiseSnrs);
      for (double snr : noiseSnrs) {
        if (!(snr >= -30 && snr <= 100)) {
          throw new IllegalArgumentException("noise SNR must be from -30 to 100 dB, got " + snr);
        }
      }
      if (new LinkedHashSet<>(noiseSnrs).size() != noiseSnrs.size()) {
        throw new IllegalArgumentException("noise SNRs are repeated: " + noiseSnrs);
      }
      if (!(testFraction >= 0 && testFraction < 1)) {
        throw new IllegalArgumentException("test fraction must be in [0, 1), got " + testFraction);
      }
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("threads must be from 1 to 64, got " + threads);
      }
      if (espeak == null || espeak.isBlank()) {
        throw new IllegalArgumentException("the espeak-ng program must be named");
      }
      if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
        throw new IllegalArgumentException(
            "timeout must be from 1 to 3600 seconds, got " + timeoutSeconds);
      }
    }

    private static List<String> names(String what, List<String> names) {
      if (names.isEmpty() || names.size() > 64) {
        throw new IllegalArgumentException(what + " must list 1 to 64 names, got " + names.size());
      }
      for (String n : names) {
        if (n == null || !NAME.matcher(n).matches()) {
          throw new IllegalArgumentException(
              what
                  + ": '"
                  + n
                  + "' is not a name of 1 to 40 letters, digits, '-' and '_' (starting with a"
                  + " letter or digit)");
        }
      }
      if (new LinkedHashSet<>(names).size() != names.size()) {
        throw new IllegalArgumentException(what + " are repeated: " + names);
      }
      return List.copyOf(names);
    }

    private static List<Integer> whole(String what, List<Integer> values, int min, int max) {
      if (values.isEmpty() || values.size() > 64) {
        throw new IllegalArgumentException(
            what + " must list 1 to 64 values, got " + values.size());
      }
      for (Integer v : values) {
        if (v == null || v < min || v > max) {
          throw new IllegalArgumentException(
              what + " must each be from " + min + " to " + max + ", got " + v);
        }
      }
      if (new LinkedHashSet<>(values).size() != values.size()) {
        throw new IllegalArgumentException(what + " are repeated: " + values);
      }
      return List.copyOf(values);
    }

    /** The default grid (see the class comment), no noise, test fraction 0.2, seed 0, 2 threads. */
    public static Options defaults() {
      return new Options(
          DEFAULT_VOICES,
          DEFAULT_VARIANTS,
          0,
          DEFAULT_SPEEDS,
          DEFAULT_PITCHES,
          List.of(),
          0.2,
          0,
          Math.min(2, Runtime.getRuntime().availableProcessors()),
          "espeak-ng",
          30);
    }

    /** These options with other voices (and all their speakers). */
    public Options withVoices(List<String> voices) {
      return new Options(
          voices,
          variants,
          0,
          speeds,
          pitches,
          noiseSnrs,
          testFraction,
          seed,
          threads,
          espeak,
          timeoutSeconds);
    }

    /** These options with other variants (and all their speakers). */
    public Options withVariants(List<String> variants) {
      return new Options(
          voices,
          variants,
          0,
          speeds,
          pitches,
          noiseSnrs,
          testFraction,
          seed,
          threads,
          espeak,
          timeoutSeconds);
    }

    /** These options with the first {@code speakers} of the grid (0: all). */
    public Options withSpeakers(int speakers) {
      return new Options(
          voices,
          variants,
          speakers,
          speeds,
          pitches,
          noiseSnrs,
          testFraction,
          seed,
          threads,
          espeak,
          timeoutSeconds);
    }

    /** These options with other speeds. */
    public Options withSpeeds(List<Integer> speeds) {
      return new Options(
          voices,
          variants,
          speakers,
          speeds,
          pitches,
          noiseSnrs,
          testFraction,
          seed,
          threads,
          espeak,
          timeoutSeconds);
    }

    /** These options with other pitches. */
    public Options withPitches(List<Integer> pitches) {
      return new Options(
          voices,
          variants,
          speakers,
          speeds,
          pitches,
          noiseSnrs,
          testFraction,
          seed,
          threads,
          espeak,
          timeoutSeconds);
    }

    /** These options with a noisy copy of every clip at each of {@code snrs} dB. */
    public Options withNoise(List<Double> snrs) {
      return new Options(
          voices,
          variants,
          speakers,
          speeds,
          pitches,
          snrs,
          testFraction,
          seed,
          threads,
          espeak,
          timeoutSeconds);
    }

    /** These options with another share of test speakers. */
    public Options withTestFraction(double testFraction) {
      return new Options(
          voices,
          variants,
          speakers,
          speeds,
          pitches,
          noiseSnrs,
          testFraction,
          seed,
          threads,
          espeak,
          timeoutSeconds);
    }

    /** These options with another seed. */
    public Options withSeed(long seed) {
      return new Options(
          voices,
          variants,
          speakers,
          speeds,
          pitches,
          noiseSnrs,
          testFraction,
          seed,
          threads,
          espeak,
          timeoutSeconds);
    }

    /** These options with another number of espeak-ng processes at once. */
    public Options withThreads(int threads) {
      return new Options(
          voices,
          variants,
          speakers,
          speeds,
          pitches,
          noiseSnrs,
          testFraction,
          seed,
          threads,
          espeak,
          timeoutSeconds);
    }

    /** These options with another espeak-ng program. */
    public Options withEspeak(String espeak) {
      return new Options(
          voices,
          variants,
          speakers,
          speeds,
          pitches,
          noiseSnrs,
          testFraction,
          seed,
          threads,
          espeak,
          timeoutSeconds);
    }

    /** The speakers synthesised, in grid order (see the class comment). */
    public List<Speaker> grid() {
      int v = voices.size();
      int w = variants.size();
      int n = speakers == 0 ? v * w : speakers;
      List<Speaker> out = new ArrayList<>(n);
      for (int k = 0; k < n; k++) {
        int q = k / v;
        int r = k % v;
        out.add(new Speaker(voices.get(r), variants.get((q + r) % w)));
      }
      return out;
    }

    /** The speakers of the test split, in grid order. */
    public List<Speaker> testSpeakers() {
      List<Speaker> grid = grid();
      int n = grid.size();
      int count = 0;
      if (n >= 2 && testFraction > 0) {
        count = (int) Math.max(1, Math.min(n - 1, Math.round(n * testFraction)));
      }
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      new Rng(seed).shuffleInPlace(order);
      boolean[] test = new boolean[n];
      for (int i = 0; i < count; i++) {
        test[order[i]] = true;
      }
      List<Speaker> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (test[i]) {
          out.add(grid.get(i));
        }
      }
      return out;
    }

    /** The number of clips these options make, noisy copies included. */
    public long clips() {
      return (long) grid().size()
          * WORDS.size()
          * speeds.size()
          * pitches.size()
          * (1 + noiseSnrs.size());
    }
  }

  /**
   * One row of the manifest.
   *
   * @param file the WAV file, relative to the dataset directory, with '/' between names
   * @param digit 0 to 9, the class
   * @param word the word said, {@code WORDS.get(digit)}
   * @param speaker who said it
   * @param speed words per minute
   * @param pitch eSpeak pitch, 0 to 99
   * @param noiseSnr the SNR in dB of the noise added, or NaN for a clean clip
   * @param split {@link #TRAIN} or {@link #TEST}
   */
  public record Clip(
      String file,
      int digit,
      String word,
      Speaker speaker,
      int speed,
      int pitch,
      double noiseSnr,
      String split) {
    /** Whether noise was added. */
    public boolean noisy() {
      return !Double.isNaN(noiseSnr);
    }

    private String csv() {
      return String.join(
          ",",
          file,
          Integer.toString(digit),
          word,
          speaker.name(),
          speaker.voice(),
          speaker.variant(),
          Integer.toString(speed),
          Integer.toString(pitch),
          noisy() ? number(noiseSnr) : "",
          split);
    }
  }

  /** A whole number without ".0", anything else as Java writes a double. */
  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Double.toString(v);
  }

  /**
   * What {@link #generate} wrote.
   *
   * @param clips every clip, in manifest order
   * @param trainSpeakers the speakers of the training split, in grid order
   * @param testSpeakers the speakers of the test split, in grid order
   * @param bytes the bytes written, WAV files and manifest
   */
  public record Summary(
      List<Clip> clips, List<Speaker> trainSpeakers, List<Speaker> testSpeakers, long bytes) {
    /** The number of clips in {@code split}. */
    public int count(String split) {
      return (int) clips.stream().filter(c -> c.split.equals(split)).count();
    }
  }

  /**
   * Synthesises the clips {@code options} ask for into {@code dir} (created if missing) and writes
   * the manifest last.
   *
   * @param force whether to write into a directory that is not empty (files of the same names are
   *     replaced, others left alone; the manifest lists this run's clips only)
   * @throws FileAlreadyExistsException if {@code dir} is not empty and {@code force} is false
   * @throws IOException if espeak-ng is missing (the message says {@code apt-get install
   *     espeak-ng}), does not know a voice or variant, fails or hangs past the timeout, or a file
   *     cannot be written
   */
  public static Summary generate(Path dir, Options options, boolean force) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new NotDirectoryException(dir.toString());
    }
    if (Files.isDirectory(dir) && !force) {
      try (Stream<Path> s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          throw new FileAlreadyExistsException(
              dir.toString(), null, "is not empty; force writing into it to replace its files");
        }
      }
    }
    checkVoices(options);
    List<Speaker> grid = options.grid();
    Set<Speaker> test = new LinkedHashSet<>(options.testSpeakers());
    List<Job> jobs = new ArrayList<>();
    for (Speaker s : grid) {
      for (int speed : options.speeds()) {
        for (int pitch : options.pitches()) {
          for (int d = 0; d < WORDS.size(); d++) {
            jobs.add(new Job(jobs.size(), s, d, speed, pitch, test.contains(s) ? TEST : TRAIN));
          }
        }
      }
    }
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve(MANIFEST)); // until the new one is written, none
    for (String split : List.of(TRAIN, TEST)) {
      for (String w : WORDS) {
        Files.createDirectories(dir.resolve(split).resolve(w));
      }
    }
    Path work = Files.createTempDirectory("nerve-espeak");
    Map<Integer, Resampler> resamplers = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(options.threads());
    List<Clip> clips = new ArrayList<>();
    long bytes = 0;
    try {
      List<Future<List<Written>>> futures = new ArrayList<>();
      for (Job j : jobs) {
        futures.add(pool.submit(() -> j.run(dir, work, options, resamplers)));
      }
      for (Future<List<Written>> f : futures) {
        for (Written w : get(f)) {
          clips.add(w.clip);
          bytes += w.bytes;
        }
      }
    } finally {
      pool.shutdownNow();
      try {
        pool.awaitTermination(options.timeoutSeconds() + 5L, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      deleteTree(work);
    }
    StringBuilder manifest = new StringBuilder(String.join(",", COLUMNS)).append('\n');
    for (Clip c : clips) {
      manifest.append(c.csv()).append('\n');
    }
    byte[] m = manifest.toString().getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(dir.resolve(MANIFEST), m);
    List<Speaker> train = new ArrayList<>(grid);
    train.removeAll(test);
    return new Summary(List.copyOf(clips), train, List.copyOf(test), bytes + m.length);
  }

  private static <T> T get(Future<T> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while synthesising", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(c);
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }

  private record Written(Clip clip, long bytes) {}

  /** One word of one speaker at one speed and pitch, with its noisy copies. */
  private record Job(int index, Speaker speaker, int digit, int speed, int pitch, String split) {
    List<Written> run(Path dir, Path work, Options o, Map<Integer, Resampler> resamplers)
        throws IOException {
      String word = WORDS.get(digit);
      Path tmp = work.resolve("clip" + index + ".wav");
      String what = speaker.name() + " saying '" + word + "' (-s " + speed + " -p " + pitch + ")";
      espeak(
          o,
          what,
          "-v",
          speaker.name(),
          "-s",
          Integer.toString(speed),
          "-p",
          Integer.toString(pitch),
          "-w",
          tmp.toString(),
          word);
      Wav wav = Wav.read(tmp);
      Files.delete(tmp);
      float[] x =
          resamplers
              .computeIfAbsent(wav.sampleRate(), r -> new Resampler(r, SAMPLE_RATE))
              .apply(wav.mono());
      x = trimSilence(x);
      if (x.length == 0) {
        throw new IOException("espeak-ng gave only silence for " + what);
      }
      String stem = split + "/" + word + "/" + speaker.name() + "_s" + speed + "_p" + pitch;
      List<Written> out = new ArrayList<>();
      out.add(write(dir, stem + ".wav", x, Double.NaN));
      for (int k = 0; k < o.noiseSnrs().size(); k++) {
        double snr = o.noiseSnrs().get(k);
        Rng rng = new Rng(mix(o.seed() ^ mix((long) index * 64 + k + 1)));
        out.add(write(dir, stem + "_snr" + number(snr) + ".wav", noisy(x, snr, rng), snr));
      }
      return out;
    }

    private Written write(Path dir, String file, float[] x, double snr) throws IOException {
      byte[] b = Wav.toBytes(SAMPLE_RATE, x);
      // Plain writes: the directory is new or forced, and the manifest, written last and
      // atomically, is what makes the set complete; a sync per clip would cost seconds.
      Files.write(dir.resolve(file), b);
      Clip c = new Clip(file, digit, WORDS.get(digit), speaker, speed, pitch, snr, split);
      return new Written(c, b.length);
    }
  }

  /** The SplitMix64 finaliser: nearby inputs give unrelated seeds. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** {@code x} without its trailing samples that are zero at 16 bits. */
  static float[] trimSilence(float[] x) {
    int n = x.length;
    while (n > 0 && Math.rint(x[n - 1] * 32768.0) == 0) {
      n--;
    }
    return n == x.length ? x : Arrays.copyOf(x, n);
  }

  /** {@code x} plus white Gaussian noise at {@code snr} dB below the power of {@code x}. */
  static float[] noisy(float[] x, double snr, Rng rng) {
    double power = 0;
    for (float v : x) {
      power += (double) v * v;
    }
    power /= Math.max(1, x.length);
    double sigma = Math.sqrt(power / Math.pow(10, snr / 10));
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = (float) (x[i] + sigma * rng.nextGaussian());
    }
    return y;
  }

  /** Checks that espeak-ng runs and knows every voice and variant, before anything is made. */
  private static void checkVoices(Options o) throws IOException {
    Set<String> voices = new LinkedHashSet<>();
    for (String line : espeak(o, "listing the voices", "--voices").split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 2 && !f[0].equals("Pty")) {
        voices.add(f[1]);
      }
    }
    Set<String> variants = new LinkedHashSet<>();
    for (String line : espeak(o, "listing the variants", "--voices=variant").split("\n")) {
      int at = line.indexOf("!v/");
      if (at >= 0) {
        variants.add(line.substring(at + 3).trim());
      }
    }
    for (String v : o.voices()) {
      if (!voices.contains(v)) {
        throw new IllegalArgumentException(
            "voice '" + v + "' is not one of espeak-ng's (espeak-ng --voices lists them)");
      }
    }
    for (String v : o.variants()) {
      if (!variants.contains(v)) {
        throw new IllegalArgumentException(
            "variant '"
                + v
                + "' is not one of espeak-ng's (espeak-ng --voices=variant lists them)");
      }
    }
  }

  /**
   * Runs espeak-ng with {@code args}, waiting at most the timeout, and returns what it printed
   * (standard output and error together).
   */
  private static String espeak(Options o, String what, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(o.espeak());
    command.addAll(List.of(args));
    Path log = Files.createTempFile("nerve-espeak", ".log");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.redirectOutput(log.toFile());
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        throw new IOException(
            o.espeak()
                + " could not be run ("
                + e.getMessage()
                + "): is eSpeak NG installed? On Debian or Ubuntu: apt-get install espeak-ng",
            e);
      }
      p.getOutputStream().close(); // nothing to say on its standard input
      boolean done;
      try {
        done = p.waitFor(o.timeoutSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while espeak-ng was " + what, e);
      }
      if (!done) {
        p.destroyForcibly();
        throw new IOException(
            "espeak-ng did not finish within " + o.timeoutSeconds() + " s " + during(what));
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IOException(
            "espeak-ng failed (exit "
                + p.exitValue()
                + ") "
                + during(what)
                + ": "
                + out.strip().replace('\n', ' '));
      }
      return out;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static String during(String what) {
    return what.startsWith("listing") ? what : "for " + what;
  }

  /** A clip of the manifest and the line it is on. */
  private record Row(Clip clip, int line) {}

  /**
   * The clips listed in {@code dir}'s manifest, in order.
   *
   * @throws DataFormatException naming the manifest and the line of a bad row (wrong header or
   *     number of fields, a digit outside 0..9 or a word that is not its digit's, a speaker that is
   *     not voice+variant, a file outside the directory or not .wav, a split other than train or
   *     test, or a speaker in both splits)
   */
  public static List<Clip> readManifest(Path dir) throws IOException {
    List<Clip> out = new ArrayList<>();
    for (Row r : rows(dir)) {
      out.add(r.clip);
    }
    return out;
  }

  private static List<Row> rows(Path dir) throws IOException {
    Path manifest = dir.resolve(MANIFEST);
    String[] lines = TextFiles.read(manifest).split("\r?\n", -1);
    String header = String.join(",", COLUMNS);
    if (!lines[0].equals(header)) {
      throw new DataFormatException(
          manifest + ": line 1: expected the header " + header + ", got " + lines[0]);
    }
    List<Row> rows = new ArrayList<>();
    Map<Speaker, String> splitOf = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isEmpty() && i == lines.length - 1) {
        break;
      }
      String where = manifest + ": line " + (i + 1) + ": ";
      String[] f = lines[i].split(",", -1);
      if (f.length != COLUMNS.size()) {
        throw new DataFormatException(
            where + "expected " + COLUMNS.size() + " fields, got " + f.length);
      }
      String file = f[0];
      if (!file.endsWith(".wav")
          || file.startsWith("/")
          || file.contains("\\")
          || Arrays.asList(file.split("/", -1)).stream()
              .anyMatch(p -> p.isEmpty() || p.equals("..") || p.equals("."))) {
        throw new DataFormatException(
            where + "file '" + file + "' is not a .wav file inside the dataset directory");
      }
      int digit = integer(where, "digit", f[1], 0, 9);
      if (!f[2].equals(WORDS.get(digit))) {
        throw new DataFormatException(
            where + "word '" + f[2] + "' is not digit " + digit + " ('" + WORDS.get(digit) + "')");
      }
      Speaker speaker = new Speaker(f[4], f[5]);
      if (!f[3].equals(speaker.name())) {
        throw new DataFormatException(
            where + "speaker '" + f[3] + "' is not voice+variant ('" + speaker.name() + "')");
      }
      int speed = integer(where, "speed", f[6], 1, 10000);
      int pitch = integer(where, "pitch", f[7], 0, 99);
      double snr = Double.NaN;
      if (!f[8].isEmpty()) {
        try {
          snr = Double.parseDouble(f[8]);
        } catch (NumberFormatException e) {
          snr = Double.NaN;
        }
        if (!Double.isFinite(snr)) {
          throw new DataFormatException(
              where + "noise_snr '" + f[8] + "' is not a number (or empty for a clean clip)");
        }
      }
      String split = f[9];
      if (!split.equals(TRAIN) && !split.equals(TEST)) {
        throw new DataFormatException(
            where + "split '" + split + "' is not " + TRAIN + " or " + TEST);
      }
      String before = splitOf.putIfAbsent(speaker, split);
      if (before != null && !before.equals(split)) {
        throw new DataFormatException(
            where
                + "speaker "
                + speaker.name()
                + " is in "
                + split
                + " here but in "
                + before
                + " above: the split must be by speaker");
      }
      rows.add(new Row(new Clip(file, digit, f[2], speaker, speed, pitch, snr, split), i + 1));
    }
    return rows;
  }

  private static int integer(String where, String column, String text, int min, int max)
      throws DataFormatException {
    int v;
    try {
      v = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new DataFormatException(where + column + " '" + text + "' is not a whole number");
    }
    if (v < min || v > max) {
      throw new DataFormatException(where + column + " " + v + " is outside " + min + " to " + max);
    }
    return v;
  }

  /**
   * A clip and its features.
   *
   * @param clip the manifest's row
   * @param features {@code [bands, frames]} from {@link AudioFeatures#extract(Wav)}
   */
  public record Example(Clip clip, Tensor features) {
    /** The class, the digit 0 to 9. */
    public int label() {
      return clip.digit();
    }

    /** {@link #TRAIN} or {@link #TEST}. */
    public String split() {
      return clip.split();
    }
  }

  /**
   * Every clip of the dataset in {@code dir} with its features, in manifest order, extracted on
   * {@code threads} threads (the result does not depend on how many).
   *
   * @throws DataFormatException naming the manifest and the line of a bad row, a missing WAV file
   *     or one that cannot be read
   * @throws IllegalArgumentException if {@code threads} is outside [1, 64]
   */
  public static List<Example> load(Path dir, AudioFeatures features, int threads)
      throws IOException {
    if (threads < 1 || threads > 64) {
      throw new IllegalArgumentException("threads must be from 1 to 64, got " + threads);
    }
    List<Row> rows = rows(dir);
    Path manifest = dir.resolve(MANIFEST);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Example>> futures = new ArrayList<>();
      for (Row r : rows) {
        futures.add(
            pool.submit(
                () -> {
                  Path file = dir.resolve(r.clip.file());
                  String where = manifest + ": line " + r.line + ": ";
                  if (!Files.isRegularFile(file)) {
                    throw new DataFormatException(where + file + ": no such file");
                  }
                  Wav wav;
                  try {
                    wav = Wav.read(file);
                  } catch (IOException e) {
                    throw new DataFormatException(where + e.getMessage());
                  }
                  return new Example(r.clip, features.extract(wav));
                }));
      }
      List<Example> out = new ArrayList<>(rows.size());
      for (Future<Example> f : futures) {
        out.add(get(f));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The examples of one split ({@link #TRAIN} or {@link #TEST}), in order. */
  public static List<Example> split(List<Example> examples, String split) {
    return examples.stream().filter(e -> e.split().equals(split)).toList();
  }

  /**
   * The examples as a dataset: inputs {@code [bands, frames]} each (or {@code [frames, bands]} when
   * {@code framesFirst}), targets one-hot over the 10 digits.
   *
   * @throws IllegalArgumentException if there are no examples or their shapes differ (features with
   *     {@code seconds} 0 keep each clip's length)
   */
  public static Dataset dataset(List<Example> examples, boolean framesFirst) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("there are no examples");
    }
    int[] dims = examples.get(0).features().shape().dims();
    int size = examples.get(0).features().shape().size();
    if ((long) size * examples.size() > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          examples.size() + " examples of " + size + " values are too many for one tensor");
    }
    float[] x = new float[size * examples.size()];
    int[] labels = new int[examples.size()];
    for (int i = 0; i < examples.size(); i++) {
      Tensor t = examples.get(i).features();
      if (!Arrays.equals(t.shape().dims(), dims)) {
        throw new IllegalArgumentException(
            "example "
                + i
                + " ("
                + examples.get(i).clip().file()
                + ") has features of shape "
                + t.shape()
                + ", not "
                + Arrays.toString(dims)
                + " (give AudioFeatures a fixed duration)");
      }
      float[] a = t.data();
      if (framesFirst) {
        int bands = dims[0];
        int frames = dims[1];
        for (int b = 0; b < bands; b++) {
          for (int f = 0; f < frames; f++) {
            x[i * size + f * bands + b] = a[b * frames + f];
          }
        }
      } else {
        System.arraycopy(a, 0, x, i * size, size);
      }
      labels[i] = examples.get(i).label();
    }
    int[] shape = framesFirst ? new int[] {dims[1], dims[0]} : dims;
    return new Dataset(
        Tensor.wrap(x, examples.size(), shape[0], shape[1]), Dataset.oneHot(labels, WORDS.size()));
  }
}
