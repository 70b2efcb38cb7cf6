package dev.nerve.cli;

import dev.nerve.data.Dataset;
import dev.nerve.io.Json;
import dev.nerve.loss.Loss;
import dev.nerve.train.Evaluation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nerve evaluate}: a saved model's loss and metrics on labelled data. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Print a saved model's loss and metrics on labelled data: a CSV file with the model's"
          + " input columns and its target column, or IDX images with --labels. A classifier"
          + " gets accuracy, the confusion matrix and per-class precision, recall and F1;"
          + " a regression model MSE, MAE and R²."
    },
    footer = {
      "%nExamples:",
      "  nerve evaluate --model iris.nerve --data examples/iris.csv",
      "  nerve evaluate --model fashion.nerve"
          + " --data /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"
          + " --labels /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz --json",
      ExitCodes.HELP
    })
final class EvaluateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin RuntimeOptions runtime;

  @Mixin ModelAndData in;

  @Option(
      names = "--labels",
      paramLabel = "FILE",
      description = "IDX labels for IDX images given with --data.")
  Path labels;

  @Mixin OutputMode mode;

  @Override
  public Integer call() {
    SavedModel m = in.model();
    Dataset d = m.dataset(in.data(), labels);
    Evaluation e = Evaluation.of(m.file.model(), Loss.named(m.file.spec().loss()), d);
    PrintWriter out = spec.commandLine().getOut();
    if (mode.json) {
      Map<String, Object> r = Results.json(e, m.classes);
      out.println(Json.writeLine(r));
    } else {
      out.printf(Locale.ROOT, "examples  %d%n", e.examples());
      out.printf(Locale.ROOT, "loss      %.6f (%s)%n", e.loss(), m.file.spec().loss());
      if (!Double.isNaN(e.accuracy())) {
        out.printf(Locale.ROOT, "accuracy  %.2f%%%n", 100 * e.accuracy());
      }
      if (m.languageModel()) {
        out.printf(
            Locale.ROOT,
            "bits per token %.4f, perplexity %.3f%n",
            e.bitsPerToken(),
            e.perplexity());
      } else if (!mode.quiet) {
        out.print(Results.text(e, m.classes));
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
