package dev.nerve.cli;

import static dev.nerve.cli.CliTest.fails;
import static dev.nerve.cli.CliTest.nerve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nerve data spoken-digits}: its refusals, and a tiny set when espeak-ng is installed. */
class SpokenDigitsCliTest {
  @TempDir Path dir;

  @Test
  void refusesToWriteIntoADirectoryThatIsNotEmpty() throws Exception {
    Path out = dir.resolve("digits");
    Files.createDirectories(out);
    Files.writeString(out.resolve("notes.txt"), "mine");
    assertEquals(
        "nerve: --output " + out + " is not empty; use --force to write into it",
        fails(ExitCodes.EXISTS, "data", "spoken-digits", "--output", out.toString()));
    assertEquals("mine", Files.readString(out.resolve("notes.txt")));
    assertEquals(
        "nerve: --output " + out.resolve("notes.txt") + " is not a directory",
        fails(
            ExitCodes.USAGE,
            "data",
            "spoken-digits",
            "--output",
            out.resolve("notes.txt").toString()));
  }

  @Test
  void badOptionsAndAMissingEspeakAreOneLine() {
    String out = dir.resolve("d").toString();
    assertEquals("nerve: a dataset is required: spoken-digits", fails(ExitCodes.USAGE, "data"));
    assertEquals(
        "nerve: speeds must each be from 80 to 450, got 10",
        fails(ExitCodes.USAGE, "data", "spoken-digits", "-o", out, "--speeds", "10"));
    assertEquals(
        "nerve: speakers must be from 0 (all) to 42 (voices × variants), got 50",
        fails(ExitCodes.USAGE, "data", "spoken-digits", "-o", out, "--speakers", "50"));
    String missing =
        fails(ExitCodes.IO, "data", "spoken-digits", "-o", out, "--espeak", "/nonexistent/espeak");
    assertTrue(missing.contains("apt-get install espeak-ng"), missing);
    assertTrue(Files.notExists(dir.resolve("d")));
  }

  @Test
  void writesATinySetAndSaysWhatItWrote() throws Exception {
    boolean present;
    try {
      present = new ProcessBuilder("espeak-ng", "--version").start().waitFor() == 0;
    } catch (IOException e) {
      present = false;
    }
    if (!Boolean.getBoolean("nerve.requireDatasets") && !"1".equals(System.getenv("NERVE_CI"))) {
      Assumptions.assumeTrue(present, "espeak-ng is not installed");
    }
    String out = dir.resolve("tiny").toString();
    String[] args = {
      "data", "spoken-digits", "-o", out, "--speakers", "2", "--speeds", "175", "--pitches", "50"
    };
    CliTest.Run r = nerve(args);
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out().startsWith("wrote 20 clips (2 speakers x 10 digits x 1 speeds x 1 pitches) to "),
        r.out());
    assertTrue(r.out().contains("train     10 clips,  1 speakers: "), r.out());
    assertTrue(r.out().contains("test      10 clips,  1 speakers: "), r.out());
    assertEquals(21, Files.readAllLines(Path.of(out, "manifest.csv")).size());
    fails(ExitCodes.EXISTS, args);
    String[] forced = java.util.Arrays.copyOf(args, args.length + 1);
    forced[args.length] = "--force";
    assertEquals(0, nerve(forced).code());
  }
}
