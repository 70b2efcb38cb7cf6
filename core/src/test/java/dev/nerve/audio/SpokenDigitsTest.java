package dev.nerve.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.DataFormatException;
import dev.nerve.data.Dataset;
import dev.nerve.tensor.Rng;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spoken-digit set: the grid and split (no eSpeak needed), then a tiny set made by espeak-ng
 * (skipped when it is not installed, unless {@code NERVE_CI=1}, where CI installs it).
 */
class SpokenDigitsTest {
  @TempDir Path dir;

  /** Two speakers, one speed, one pitch, one noisy copy: 40 clips. */
  static final SpokenDigits.Options TINY =
      SpokenDigits.Options.defaults()
          .withSpeakers(2)
          .withSpeeds(List.of(175))
          .withPitches(List.of(50))
          .withNoise(List.of(10.0));

  static void requireEspeak() {
    boolean present;
    try {
      Process p = new ProcessBuilder("espeak-ng", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      present = p.waitFor() == 0;
    } catch (IOException e) {
      present = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      present = false;
    }
    if (!Boolean.getBoolean("nerve.requireDatasets") && !"1".equals(System.getenv("NERVE_CI"))) {
      Assumptions.assumeTrue(present, "espeak-ng is not installed");
    }
  }

  @Test
  void theGridCoversVoicesAndVariantsEvenlyAndTheSplitIsBySpeaker() {
    SpokenDigits.Options d = SpokenDigits.Options.defaults();
    List<SpokenDigits.Speaker> grid = d.grid();
    assertEquals(42, grid.size());
    assertEquals(42, new HashSet<>(grid).size(), "every pair once");
    assertEquals(new SpokenDigits.Speaker("en-us", "m1"), grid.get(0));
    assertEquals(new SpokenDigits.Speaker("en-gb", "m3"), grid.get(1));
    assertEquals(new SpokenDigits.Speaker("en-us", "m3"), grid.get(7));
    assertEquals("en-gb-scotland+m6", grid.get(2).name());
    assertEquals(2520, d.clips());
    List<SpokenDigits.Speaker> test = d.testSpeakers();
    assertEquals(8, test.size()); // round(42 * 0.2)
    assertEquals(test, d.testSpeakers(), "the same seed, the same speakers");
    assertFalse(test.equals(d.withSeed(1).testSpeakers()), "another seed, others");
    assertEquals(1, TINY.testSpeakers().size(), "two speakers: one for test");
    assertEquals(0, TINY.withTestFraction(0).testSpeakers().size());
    assertEquals(0, TINY.withSpeakers(1).testSpeakers().size());
    assertEquals(40, TINY.clips());
  }

  @Test
  void optionsAreRangeChecked() {
    SpokenDigits.Options d = SpokenDigits.Options.defaults();
    assertEquals(
        "speakers must be from 0 (all) to 42 (voices × variants), got 43",
        assertThrows(IllegalArgumentException.class, () -> d.withSpeakers(43)).getMessage());
    assertEquals(
        "speeds must each be from 80 to 450, got 50",
        assertThrows(IllegalArgumentException.class, () -> d.withSpeeds(List.of(50))).getMessage());
    assertEquals(
        "pitches are repeated: [50, 50]",
        assertThrows(IllegalArgumentException.class, () -> d.withPitches(List.of(50, 50)))
            .getMessage());
    assertEquals(
        "voices: 'en us' is not a name of 1 to 40 letters, digits, '-' and '_' (starting with a"
            + " letter or digit)",
        assertThrows(IllegalArgumentException.class, () -> d.withVoices(List.of("en us")))
            .getMessage());
    assertEquals(
        "noise SNR must be from -30 to 100 dB, got NaN",
        assertThrows(IllegalArgumentException.class, () -> d.withNoise(List.of(Double.NaN)))
            .getMessage());
    assertEquals(
        "test fraction must be in [0, 1), got 1.0",
        assertThrows(IllegalArgumentException.class, () -> d.withTestFraction(1)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> d.withThreads(0));
    assertThrows(IllegalArgumentException.class, () -> d.withVariants(List.of()));
  }

  @Test
  void noiseHasTheAskedSignalToNoiseRatio() {
    float[] x = new float[16000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.3 * Math.sin(i * 0.05));
    }
    for (double snr : new double[] {0, 10, 20}) {
      float[] y = SpokenDigits.noisy(x, snr, new Rng(3));
      double s = 0;
      double n = 0;
      for (int i = 0; i < x.length; i++) {
        s += x[i] * x[i];
        n += (y[i] - x[i]) * (y[i] - x[i]);
      }
      assertEquals(snr, 10 * Math.log10(s / n), 0.1);
    }
    assertArrayEquals(
        new float[] {0.1f, 0f, 0.2f},
        SpokenDigits.trimSilence(new float[] {0.1f, 0f, 0.2f, 1e-5f, 0f}));
    assertEquals(0, SpokenDigits.trimSilence(new float[] {0f, 1e-6f}).length);
  }

  @Test
  void aMissingEspeakSaysHowToInstallIt() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                SpokenDigits.generate(
                    dir.resolve("out"), TINY.withEspeak("/nonexistent/espeak-ng"), false));
    assertTrue(e.getMessage().contains("apt-get install espeak-ng"), e.getMessage());
    assertTrue(Files.notExists(dir.resolve("out")), "nothing made");
  }

  @Test
  void makesATinySetSplitBySpeakerReadableAndTheSameEveryTime() throws Exception {
    requireEspeak();
    Path a = dir.resolve("a");
    SpokenDigits.Summary s = SpokenDigits.generate(a, TINY, false);
    assertEquals(40, s.clips().size());
    assertEquals(1, s.trainSpeakers().size());
    assertEquals(1, s.testSpeakers().size());
    assertEquals(20, s.count(SpokenDigits.TRAIN));
    assertEquals(20, s.count(SpokenDigits.TEST));

    List<String> lines = Files.readAllLines(a.resolve(SpokenDigits.MANIFEST));
    assertEquals(String.join(",", SpokenDigits.COLUMNS), lines.get(0));
    assertEquals(41, lines.size());
    List<SpokenDigits.Clip> clips = SpokenDigits.readManifest(a);
    assertEquals(s.clips(), clips);
    Set<SpokenDigits.Speaker> train = new HashSet<>();
    Set<SpokenDigits.Speaker> test = new HashSet<>();
    int noisy = 0;
    for (SpokenDigits.Clip c : clips) {
      (c.split().equals(SpokenDigits.TRAIN) ? train : test).add(c.speaker());
      assertTrue(c.file().startsWith(c.split() + "/" + c.word() + "/"), c.file());
      Wav w = Wav.read(a.resolve(c.file()));
      assertEquals(16000, w.sampleRate());
      assertEquals(1, w.channels());
      assertTrue(w.seconds() > 0.2 && w.seconds() < 1.5, c.file() + ": " + w);
      noisy += c.noisy() ? 1 : 0;
    }
    assertEquals(20, noisy);
    assertEquals(1, train.size());
    assertEquals(1, test.size());
    assertFalse(train.removeAll(test), "no speaker in both splits");
    assertEquals(
        "train/seven/" + s.trainSpeakers().get(0).name() + "_s175_p50_snr10.wav",
        clips.stream()
            .filter(c -> c.split().equals("train") && c.digit() == 7 && c.noisy())
            .findFirst()
            .orElseThrow()
            .file());

    // The same options, on one thread: the same bytes.
    Path b = dir.resolve("b");
    SpokenDigits.generate(b, TINY.withThreads(1), false);
    assertEquals(contents(a), contents(b));

    // Not into a directory that is not empty, unless forced.
    FileAlreadyExistsException e =
        assertThrows(FileAlreadyExistsException.class, () -> SpokenDigits.generate(a, TINY, false));
    assertTrue(e.getMessage().contains("is not empty"), e.getMessage());
    SpokenDigits.generate(a, TINY, true);
    assertEquals(contents(b), contents(a));

    // Read back as features and a dataset.
    List<SpokenDigits.Example> all = SpokenDigits.load(a, AudioFeatures.defaults(), 2);
    assertEquals(40, all.size());
    assertArrayEquals(new int[] {40, 101}, all.get(0).features().shape().dims());
    assertEquals(clips.get(3).digit(), all.get(3).label());
    Dataset d = SpokenDigits.dataset(SpokenDigits.split(all, SpokenDigits.TEST), false);
    assertEquals(20, d.size());
    assertArrayEquals(new int[] {40, 101}, d.inputShape().dims());
    Dataset t = SpokenDigits.dataset(all, true);
    assertArrayEquals(new int[] {101, 40}, t.inputShape().dims());
    assertEquals(
        all.get(1).features().data()[3 * 101 + 7],
        t.features().toTensor().data()[40 * 101 + 7 * 40 + 3]);

    // An unknown variant is refused before anything is made.
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SpokenDigits.generate(
                    dir.resolve("c"), TINY.withVariants(List.of("m3", "nonesuch")), false));
    assertEquals(
        "variant 'nonesuch' is not one of espeak-ng's (espeak-ng --voices=variant lists them)",
        bad.getMessage());
  }

  /** Every file under {@code root}: its relative path and its bytes as text, in order. */
  private static TreeMap<String, String> contents(Path root) throws IOException {
    TreeMap<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(
            root.relativize(p).toString(),
            java.util.HexFormat.of().formatHex(Files.readAllBytes(p)));
      }
    }
    return out;
  }

  @Test
  void theLoaderNamesTheManifestLineOfABadRowOrAMissingFile() throws Exception {
    Path d = dir.resolve("set");
    Files.createDirectories(d.resolve("train/one"));
    Wav.write(d.resolve("train/one/a.wav"), 16000, new float[1600], false);
    String header = String.join(",", SpokenDigits.COLUMNS) + "\n";
    String good = "train/one/a.wav,1,one,en-us+m1,en-us,m1,160,50,,train\n";
    Path manifest = d.resolve(SpokenDigits.MANIFEST);

    Files.writeString(manifest, header + good);
    assertEquals(1, SpokenDigits.load(d, AudioFeatures.defaults(), 1).size());

    String[][] cases = {
      {"train/one/a.wav,1,one,en-us+m1,en-us,m1,160,50,train\n", "expected 10 fields, got 9"},
      {"train/one/a.wav,12,one,en-us+m1,en-us,m1,160,50,,train\n", "digit 12 is outside 0 to 9"},
      {
        "train/one/a.wav,1,two,en-us+m1,en-us,m1,160,50,,train\n",
        "word 'two' is not digit 1 ('one')"
      },
      {
        "../a.wav,1,one,en-us+m1,en-us,m1,160,50,,train\n",
        "file '../a.wav' is not a .wav file inside the dataset directory"
      },
      {
        "train/one/a.wav,1,one,en-us+m2,en-us,m1,160,50,,train\n",
        "speaker 'en-us+m2' is not voice+variant ('en-us+m1')"
      },
      {
        "train/one/a.wav,1,one,en-us+m1,en-us,m1,160,50,loud,train\n",
        "noise_snr 'loud' is not a number (or empty for a clean clip)"
      },
      {"train/one/a.wav,1,one,en-us+m1,en-us,m1,160,50,,dev\n", "split 'dev' is not train or test"},
      {
        "train/one/a.wav,1,one,en-us+m1,en-us,m1,160,50,,test\n",
        "speaker en-us+m1 is in test here but in train above: the split must be by speaker"
      },
    };
    for (String[] c : cases) {
      Files.writeString(manifest, header + good + c[0]);
      DataFormatException e =
          assertThrows(
              DataFormatException.class, () -> SpokenDigits.load(d, AudioFeatures.defaults(), 1));
      assertEquals(manifest + ": line 3: " + c[1], e.getMessage());
    }
    Files.writeString(manifest, header + good.replace("a.wav", "missing.wav"));
    assertEquals(
        manifest + ": line 2: " + d.resolve("train/one/missing.wav") + ": no such file",
        assertThrows(
                DataFormatException.class, () -> SpokenDigits.load(d, AudioFeatures.defaults(), 1))
            .getMessage());
    Files.write(d.resolve("train/one/a.wav"), new byte[] {1, 2, 3});
    Files.writeString(manifest, header + good);
    assertTrue(
        assertThrows(
                DataFormatException.class, () -> SpokenDigits.load(d, AudioFeatures.defaults(), 1))
            .getMessage()
            .startsWith(manifest + ": line 2: " + d.resolve("train/one/a.wav") + ": 3 bytes"));
    Files.writeString(manifest, "file,digit\n");
    assertTrue(
        assertThrows(DataFormatException.class, () -> SpokenDigits.readManifest(d))
            .getMessage()
            .startsWith(manifest + ": line 1: expected the header file,digit,word,"));
  }
}
