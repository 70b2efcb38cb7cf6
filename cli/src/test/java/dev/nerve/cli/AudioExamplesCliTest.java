package dev.nerve.cli;

import static dev.nerve.cli.CliTest.fails;
import static dev.nerve.cli.CliTest.nerve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spoken-digit examples end to end: the set synthesised on first use (into a temporary
 * directory, through the {@code nerve.data} property), a Conv1d network and a transformer trained
 * and tested on speakers they never heard, and {@code predict --wav}. Quick by default (two or
 * three epochs); the examples' full recipes with {@code -Dnerve.fullExamples=true}, as {@code
 * .ci/run} runs them.
 */
class AudioExamplesCliTest {
  @TempDir static Path data;

  @TempDir Path dir;

  @BeforeAll
  static void useATemporaryDataDirectory() {
    System.setProperty("nerve.data", data.toString());
  }

  @AfterAll
  static void restore() {
    System.clearProperty("nerve.data");
  }

  private static void requireEspeak() {
    boolean present;
    try {
      present = new ProcessBuilder("espeak-ng", "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      present = false;
    }
    if (!Boolean.getBoolean("nerve.requireDatasets") && !"1".equals(System.getenv("NERVE_CI"))) {
      Assumptions.assumeTrue(present, "espeak-ng is not installed");
    }
    assertTrue(present, "espeak-ng is missing: apt-get install espeak-ng");
  }

  private static double testAccuracy(CliTest.Run r) {
    return Double.parseDouble(
        r.out().replaceAll("(?s).*test: loss [0-9.]+, accuracy ([0-9.]+)%.*", "$1"));
  }

  @Test
  void theConvolutionalNetworkKnowsDigitsOfUnheardSpeakersAndPredictsAWavFile() throws Exception {
    requireEspeak();
    boolean full = Boolean.getBoolean("nerve.fullExamples");
    Path model = dir.resolve("digits.nerve");
    Path report = dir.resolve("digits.html");
    String[] args = {
      "train", "--example", "spoken-digits", "-o", model.toString(), "--report", report.toString()
    };
    if (!full) {
      args = java.util.Arrays.copyOf(args, args.length + 2);
      args[args.length - 2] = "--epochs";
      args[args.length - 1] = "3";
    }
    CliTest.Run r = nerve(args);
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out().contains("2040 training clips of 34 speakers, 480 test clips of 8"), r.out());
    assertTrue(r.out().contains("Conv1d(in=40, out=64, kernel=5, padding=2)"), r.out());
    assertTrue(r.out().contains("true\\pred"), "the confusion matrix: " + r.out());
    // Measured: 97.5% after the 15 epochs, 97.7% after 3.
    assertTrue(testAccuracy(r) > (full ? 95 : 90), r.out());
    // The report draws a spectrogram of each digit.
    String html = Files.readString(report);
    assertTrue(html.contains("<section id=\"inputs\">"), "the inputs section");
    assertEquals(10, html.split("data:image/png;base64,", -1).length - 1, "ten spectrograms");
    assertTrue(html.contains("<figcaption>zero (training example "), "in class order");
    // A speaker of the test split, and a file eSpeak writes at its own rate (22,050 Hz).
    Path seven =
        Files.list(data.resolve("spoken-digits/test/seven")).sorted().findFirst().orElseThrow();
    CliTest.Run p = nerve("predict", "--model", model.toString(), "--wav", seven.toString());
    assertEquals(0, p.code(), p.err());
    assertTrue(p.out().startsWith("file,predicted,p_zero,p_one,"), p.out());
    assertTrue(p.out().contains(seven + ",seven,"), p.out());
    String bad = dir.resolve("cut.wav").toString();
    Files.write(Path.of(bad), java.util.Arrays.copyOf(Files.readAllBytes(seven), 100));
    String err = fails(ExitCodes.BAD_INPUT, "predict", "--model", model.toString(), "--wav", bad);
    assertTrue(err.contains("cut.wav: offset 4: RIFF size says"), err);
    String text = fails(ExitCodes.USAGE, "predict", "--model", model.toString(), "--text", "seven");
    assertTrue(text.contains("--text is for a model that reads text"), text);
  }

  @Test
  void theTransformerReadsTheFramesAsASequence() {
    requireEspeak();
    boolean full = Boolean.getBoolean("nerve.fullExamples");
    CliTest.Run r =
        full
            ? nerve("train", "--example", "spoken-digits-transformer")
            : nerve("train", "--example", "spoken-digits-transformer", "--epochs", "2");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("TransformerEncoder(width=64, heads=4, feedforward=128"), r.out());
    // Measured: 98.75% after the 10 epochs, 98.5% after 2.
    assertTrue(testAccuracy(r) > (full ? 95 : 90), r.out());
  }
}
