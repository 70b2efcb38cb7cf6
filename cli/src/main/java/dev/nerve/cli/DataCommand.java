package dev.nerve.cli;

import dev.nerve.audio.SpokenDigits;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nerve data}: datasets made on this machine. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Make a dataset on this machine.",
    subcommands = {DataCommand.SpokenDigitsCommand.class},
    footer = ExitCodes.HELP)
final class DataCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a dataset is required: spoken-digits");
  }

  /** {@code nerve data spoken-digits}: "zero" to "nine" said by eSpeak NG's voices. */
  @Command(
      name = "spoken-digits",
      mixinStandardHelpOptions = true,
      description = {
        "Synthesise the words zero to nine with espeak-ng (apt-get install espeak-ng) for a grid"
            + " of speakers (voice+variant pairs), speeds and pitches; resample to 16 kHz and"
            + " write 16-bit WAV files and manifest.csv (file, digit, word, speaker, voice,"
            + " variant, speed, pitch, noise_snr, split). The split is by speaker: the test"
            + " speakers, chosen by a seeded shuffle, are never in train. The same options give"
            + " the same bytes.",
        "Default: 7 voices x 6 variants = 42 speakers (34 train, 8 test), 3 speeds, 2 pitches:"
            + " 2,520 clips, about 39 MB."
      },
      footer = {
        "%nExamples:",
        "  nerve data spoken-digits --output digits",
        "  nerve data spoken-digits --output digits --noise-snr 20,10 --force",
        "  nerve data spoken-digits --output small --speakers 10 --speeds 160 --pitches 50",
        ExitCodes.HELP
      })
  static final class SpokenDigitsCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = {"-o", "--output"},
        required = true,
        paramLabel = "DIR",
        description = "The directory to write (created if missing; must be empty unless --force).")
    Path output;

    @Option(
        names = {"-f", "--force"},
        description =
            "Write into a directory that is not empty, replacing files of the same names.")
    boolean force;

    @Option(
        names = "--noise-snr",
        split = ",",
        paramLabel = "DB",
        description =
            "Also write a copy of every clip with white noise at DB dB signal-to-noise ratio;"
                + " comma-separated for several copies (default: none).")
    List<Double> noiseSnr = List.of();

    @Option(
        names = "--seed",
        paramLabel = "N",
        defaultValue = "0",
        description = "Seeds the choice of test speakers and the noise (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = "--voices",
        split = ",",
        paramLabel = "VOICE",
        description =
            "eSpeak voices, comma-separated (default: en-us, en-gb, en-gb-scotland, en-gb-x-rp,"
                + " en-gb-x-gbclan, en-gb-x-gbcwmd, en-029; espeak-ng --voices=en lists them).")
    List<String> voices = SpokenDigits.Options.DEFAULT_VOICES;

    @Option(
        names = "--variants",
        split = ",",
        paramLabel = "VARIANT",
        description =
            "eSpeak variants, comma-separated (default: m1, m3, m6, f1, f3, klatt;"
                + " espeak-ng --voices=variant lists them).")
    List<String> variants = SpokenDigits.Options.DEFAULT_VARIANTS;

    @Option(
        names = "--speakers",
        paramLabel = "N",
        defaultValue = "0",
        description =
            "Take the first N speakers of the voices x variants grid, which spreads them over"
                + " voices and variants (default: all).")
    int speakers;

    @Option(
        names = "--speeds",
        split = ",",
        paramLabel = "WPM",
        description =
            "Speeds in words per minute, 80 to 450, comma-separated (default: 130,160,190).")
    List<Integer> speeds = SpokenDigits.Options.DEFAULT_SPEEDS;

    @Option(
        names = "--pitches",
        split = ",",
        paramLabel = "P",
        description = "Pitches, 0 to 99, comma-separated (default: 35,65).")
    List<Integer> pitches = SpokenDigits.Options.DEFAULT_PITCHES;

    @Option(
        names = "--test-fraction",
        paramLabel = "F",
        defaultValue = "0.2",
        description = "The share of speakers held out for test (default ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(
        names = "--jobs",
        paramLabel = "N",
        defaultValue = "2",
        description =
            "espeak-ng processes at once (default ${DEFAULT-VALUE}); the files do not depend on"
                + " it.")
    int jobs;

    @Option(
        names = "--espeak",
        paramLabel = "PROGRAM",
        defaultValue = "espeak-ng",
        description = "The espeak-ng program (default ${DEFAULT-VALUE}).")
    String espeak;

    @Override
    public Integer call() {
      SpokenDigits.Options options;
      try {
        options =
            SpokenDigits.Options.defaults()
                .withVoices(voices)
                .withVariants(variants)
                .withSpeakers(speakers)
                .withSpeeds(speeds)
                .withPitches(pitches)
                .withNoise(noiseSnr)
                .withTestFraction(testFraction)
                .withSeed(seed)
                .withThreads(jobs)
                .withEspeak(espeak);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, e.getMessage());
      }
      checkOutput();
      long start = System.nanoTime();
      SpokenDigits.Summary s;
      try {
        s = SpokenDigits.generate(output, options, force);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, e.getMessage());
      } catch (FileAlreadyExistsException e) {
        throw notEmpty();
      } catch (IOException e) {
        throw Main.io("spoken-digits", e);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          Locale.ROOT,
          "wrote %,d clips (%d speakers x 10 digits x %d speeds x %d pitches%s) to %s in %.1f s,"
              + " %.1f MB%n",
          s.clips().size(),
          s.trainSpeakers().size() + s.testSpeakers().size(),
          speeds.size(),
          pitches.size(),
          noiseSnr.isEmpty() ? "" : " x (clean + " + noiseSnr.size() + " noisy)",
          output,
          seconds,
          s.bytes() / 1e6);
      split(out, SpokenDigits.TRAIN, s.count(SpokenDigits.TRAIN), s.trainSpeakers());
      split(out, SpokenDigits.TEST, s.count(SpokenDigits.TEST), s.testSpeakers());
      out.printf("manifest: %s%n", output.resolve(SpokenDigits.MANIFEST));
      out.flush();
      return ExitCodes.OK;
    }

    private static void split(
        PrintWriter out, String name, int clips, List<SpokenDigits.Speaker> speakers) {
      out.printf(
          Locale.ROOT,
          "%-5s %,6d clips, %2d speakers: %s%n",
          name,
          clips,
          speakers.size(),
          String.join(" ", speakers.stream().map(SpokenDigits.Speaker::name).toList()));
    }

    /** Refuses a non-empty directory before anything runs, as every output of nerve. */
    private void checkOutput() {
      if (Files.exists(output) && !Files.isDirectory(output)) {
        throw new CliException(ExitCodes.USAGE, "--output " + output + " is not a directory");
      }
      if (force || !Files.isDirectory(output)) {
        return;
      }
      try (Stream<Path> s = Files.list(output)) {
        if (s.findAny().isPresent()) {
          throw notEmpty();
        }
      } catch (IOException e) {
        throw Main.io("--output " + output, e);
      }
    }

    private CliException notEmpty() {
      return new CliException(
          ExitCodes.EXISTS, "--output " + output + " is not empty; use --force to write into it");
    }
  }
}
