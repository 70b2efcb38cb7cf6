package dev.nerve.cli;

import dev.nerve.report.trace.TracePage;
import dev.nerve.report.trace.TraceText;
import dev.nerve.train.Trace;
import dev.nerve.train.TraceRecorder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nerve trace}: trains exactly as {@code nerve train} does (the same {@link TrainingRun},
 * every option of it applies) and records chosen iterations step by step, then writes the
 * walkthrough page or prints it.
 */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Train a network and show its training iterations step by step.",
      "Trains as 'nerve train' does (all its options apply) and records every matrix of the"
          + " chosen iterations: input, weights, hidden layer input and activations, output,"
          + " error, slopes, deltas, gradients and updates, with a finite-difference check of"
          + " each gradient. Writes one self-contained HTML page (open it in a browser), or"
          + " prints one iteration with --text. With no options, traces tutorial 1 from the"
          + " weights numpy seed 0 gives it (with --seed, from Nerve's draw for that seed)."
    },
    footer = {
      "%nExamples:",
      "  nerve trace                                  # tutorial 1, page trace.html",
      "  nerve trace --text                           # tutorial 1's first iteration, here",
      "  nerve trace --iterations 1,2,10,100,5000 --trace t1.html --force",
      "  nerve trace --example lenet --epochs 1 --iterations 1,100,900 --trace lenet.html",
      ExitCodes.HELP
    })
final class TraceCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin RuntimeOptions runtime;

  @Mixin TrainOptions options;

  @Mixin ReportOptions reportOptions;

  @Mixin OutputMode mode;

  @Option(
      names = "--trace",
      paramLabel = "FILE",
      description =
          "Write the walkthrough page to FILE (default trace.html; with --text, only when"
              + " given).")
  Path page;

  @Option(
      names = "--iterations",
      split = ",",
      paramLabel = "N",
      description =
          "Iterations (updates, from 1) to record, comma-separated (default: about --record of"
              + " them from the first to the last, on a log scale).")
  List<Long> iterations;

  @Option(
      names = "--record",
      paramLabel = "K",
      defaultValue = "8",
      description = "Without --iterations, record about K iterations (default ${DEFAULT-VALUE}).")
  int record;

  @Option(
      names = "--text",
      description = "Print one recorded iteration, step by step, for a terminal.")
  boolean text;

  @Option(
      names = "--show",
      paramLabel = "N",
      description = "With --text, print iteration N (default: the first recorded).")
  Long show;

  @Option(
      names = "--checks",
      paramLabel = "N",
      defaultValue = "" + TraceRecorder.DEFAULT_CHECKS,
      description =
          "Check up to N elements of each parameter's gradient by finite differences"
              + " (default ${DEFAULT-VALUE}; 0 for none).")
  int checks;

  @Option(
      names = "--max-values",
      paramLabel = "N",
      defaultValue = "" + TracePage.DEFAULT_MAX_VALUES,
      description =
          "Keep at most N values of each matrix per iteration in the page (default"
              + " ${DEFAULT-VALUE}); larger ones keep their first rows.")
  int maxValues;

  @Option(names = "--title", paramLabel = "TEXT", description = "The page's title.")
  String title;

  private Path pageOrDefault() {
    return page != null ? page : text ? null : Path.of("trace.html");
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    TrainingRun run =
        new TrainingRun(options, mode, reportOptions, out, spec.commandLine().getErr());
    run.check();
    checkTraceOptions();
    // Tutorial 1 starts from the weights numpy's seed 0 gives it, unless --seed says otherwise.
    run.prepare(true);
    TraceRecorder recorder = recorder(run.iterations());
    run.train(List.of(recorder));
    write(recorder, out);
    out.flush();
    return ExitCodes.OK;
  }

  private void checkTraceOptions() {
    if (record < 1) {
      throw new CliException(ExitCodes.USAGE, "--record must be at least 1, got " + record);
    }
    if (checks < 0) {
      throw new CliException(ExitCodes.USAGE, "--checks must be 0 or more, got " + checks);
    }
    if (maxValues < 1) {
      throw new CliException(ExitCodes.USAGE, "--max-values must be at least 1, got " + maxValues);
    }
    if (iterations != null) {
      for (long i : iterations) {
        if (i < 1) {
          throw new CliException(ExitCodes.USAGE, "--iterations count updates from 1; got " + i);
        }
      }
    }
    if (text && mode.json && !mode.quiet) {
      throw new CliException(
          ExitCodes.USAGE, "--text prints for a person; it cannot be mixed with --json");
    }
    if (show != null && !text) {
      throw new CliException(ExitCodes.USAGE, "--show goes with --text");
    }
    Outputs.checkWritable(pageOrDefault(), options.force, "--trace");
  }

  /** The recorder of the asked-for iterations of a run of {@code total} updates. */
  private TraceRecorder recorder(long total) {
    TraceRecorder recorder;
    if (iterations != null) {
      for (long i : iterations) {
        if (i > total) {
          throw new CliException(
              ExitCodes.USAGE,
              "--iterations "
                  + i
                  + " is beyond this run, which makes "
                  + total
                  + " updates (epochs × batches per epoch)");
        }
      }
      recorder = TraceRecorder.at(iterations.stream().mapToLong(Long::longValue).toArray());
    } else {
      recorder = TraceRecorder.spread(Math.max(1, total), record);
    }
    if (show != null && !recorder.wantsStep(0, 0, show)) {
      throw new CliException(
          ExitCodes.USAGE,
          "--show "
              + show
              + " is not a recorded iteration; recorded: "
              + java.util.Arrays.toString(recorder.iterations()));
    }
    recorder.gradientCheck(checks);
    return recorder;
  }

  /** The page, or the text with --text. */
  private void write(TraceRecorder recorder, PrintWriter out) {
    Trace trace;
    try {
      trace = recorder.trace();
    } catch (IllegalStateException e) {
      throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
    }
    if (text) {
      int index = 0;
      if (show != null) {
        index = -1;
        for (int k = 0; k < trace.iterations().size(); k++) {
          if (trace.iterations().get(k).iteration() == show) {
            index = k;
          }
        }
        if (index < 0) {
          throw new CliException(
              ExitCodes.USAGE,
              "--show "
                  + show
                  + ": the run stopped before that iteration; recorded: "
                  + recorded(trace));
        }
      }
      out.println();
      out.print(TraceText.render(trace, index));
    }
    Path file = pageOrDefault();
    if (file != null) {
      String heading =
          title != null
              ? title
              : options.data == null
                  ? "Nerve walkthrough: example "
                      + (options.example == null ? "tutorial1" : options.example)
                  : "Nerve walkthrough: " + options.data.getFileName();
      try {
        TracePage.write(trace, heading, file, maxValues);
      } catch (IOException e) {
        throw Main.io(file.toString(), e);
      }
      if (mode.human()) {
        out.printf(
            Locale.ROOT,
            "wrote the walkthrough %s: iterations %s, open it in a browser%n",
            file,
            recorded(trace));
      }
    }
  }

  /** The recorded iterations, like {@code 1, 5, 10}. */
  private static String recorded(Trace trace) {
    return trace.iterations().stream()
        .map(i -> String.valueOf(i.iteration()))
        .collect(Collectors.joining(", "));
  }
}
