package dev.nerve.cli;

import dev.nerve.io.AtomicFiles;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.tensor.Tensor;
import dev.nerve.tensor.kernel.ElementWise;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nerve predict}: a saved model's outputs for the rows of a CSV file, as CSV. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Write a saved model's predictions for every row of a CSV file.",
      "The CSV needs the model's input columns (by name; other columns are ignored). Output:"
          + " for a classifier, the predicted class and one probability column per class;"
          + " otherwise the network's output columns."
    },
    footer = {
      "%nExample:",
      "  nerve predict --model model.json --data new.csv --output predictions.csv",
      ExitCodes.HELP
    })
final class PredictCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin RuntimeOptions runtime;

  @Mixin ModelAndData in;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the predictions here instead of standard output.")
  Path output;

  @Option(
      names = {"-f", "--force"},
      description = "Replace the output file if it exists.")
  boolean force;

  @Override
  public Integer call() {
    Outputs.checkWritable(output, force, "--output");
    SavedModel m = in.model();
    CsvTable t = in.table();
    Tensor p = m.file.model().predict(m.inputs(t));
    StringBuilder sb = new StringBuilder();
    int k = p.cols();
    if (m.classes != null) {
      if (m.file.spec().loss().equals(SoftmaxCrossEntropy.NAME)) {
        ElementWise.softmaxRows(p.data(), p.data(), p.rows(), k);
      }
      sb.append("predicted");
      for (String c : m.classes) {
        sb.append(",p_").append(c);
      }
      sb.append('\n');
      int[] best = p.argmaxRows();
      for (int r = 0; r < p.rows(); r++) {
        sb.append(m.classes.get(best[r]));
        for (int c = 0; c < k; c++) {
          sb.append(',').append(p.get(r, c));
        }
        sb.append('\n');
      }
    } else {
      for (int c = 0; c < k; c++) {
        sb.append(c == 0 ? "" : ",").append(k == 1 ? "prediction" : "output_" + (c + 1));
      }
      sb.append('\n');
      for (int r = 0; r < p.rows(); r++) {
        for (int c = 0; c < k; c++) {
          sb.append(c == 0 ? "" : ",").append(p.get(r, c));
        }
        sb.append('\n');
      }
    }
    if (output == null) {
      spec.commandLine().getOut().print(sb);
      spec.commandLine().getOut().flush();
    } else {
      try {
        AtomicFiles.writeString(output, sb.toString());
      } catch (IOException e) {
        throw Main.io(output.toString(), e);
      }
    }
    return ExitCodes.OK;
  }
}
