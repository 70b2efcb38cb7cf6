package dev.nerve.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code nerve train}: trains a network described in JSON on CSV or IDX data, or a built-in
 * example, and saves the model, its history, charts and a report. The run itself is a {@link
 * TrainingRun}; this class only reads the command line.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Train a network and save it.",
      "With no options, trains tutorial 1's 4-3-1 sigmoid network (5000 epochs) and prints"
          + " its outputs. With --network and --data, trains the network described in a JSON"
          + " file on a CSV file with a header row, or on IDX images with --labels."
    },
    footer = {
      "%nExamples:",
      "  nerve train",
      "  nerve train --example fashion-mnist --output fashion.nerve --report fashion.html",
      "  nerve train --example lenet --epochs 3 --output lenet.nerve",
      "  nerve train --network examples/iris-network.json --data examples/iris.csv"
          + " --target species --normalize standardize --validation-split 0.2"
          + " --early-stopping val-loss --output iris.nerve",
      ExitCodes.HELP
    })
final class TrainCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin RuntimeOptions runtime;

  @Mixin TrainOptions options;

  @Mixin ReportOptions reportOptions;

  @Mixin OutputMode mode;

  @Mixin ParallelOptions parallel;

  @Override
  public Integer call() {
    TrainingRun run =
        new TrainingRun(
            options, mode, reportOptions, spec.commandLine().getOut(), spec.commandLine().getErr());
    List<String> args =
        new java.util.ArrayList<>(spec.commandLine().getParseResult().originalArgs());
    if (!args.isEmpty() && args.get(0).equals("train")) {
      args.remove(0);
    }
    run.parallel(parallel, args);
    run.check();
    run.prepare(false);
    run.train(List.of());
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
