package dev.nerve.cli;

import dev.nerve.loss.Loss;
import dev.nerve.train.Evaluation;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code nerve evaluate}: a saved model's loss and accuracy on a labelled CSV file. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Print a saved model's loss (and accuracy, for a classifier) on a CSV file that has the"
          + " model's input columns and its target column."
    },
    footer = {"%nExample:", "  nerve evaluate --model model.json --data test.csv", ExitCodes.HELP})
final class EvaluateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin RuntimeOptions runtime;

  @Mixin ModelAndData in;

  @Override
  public Integer call() {
    SavedModel m = in.model();
    CsvTable t = in.table();
    Evaluation e =
        Evaluation.of(m.file.model(), Loss.named(m.file.spec().loss()), m.inputs(t), m.targets(t));
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "examples  %d%n", e.examples());
    out.printf(Locale.ROOT, "loss      %.6f (%s)%n", e.loss(), m.file.spec().loss());
    if (!Double.isNaN(e.accuracy())) {
      out.printf(Locale.ROOT, "accuracy  %.2f%%%n", 100 * e.accuracy());
    }
    out.flush();
    return ExitCodes.OK;
  }
}
