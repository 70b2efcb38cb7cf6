package dev.nerve.cli;

import dev.nerve.data.Features;
import dev.nerve.io.AtomicFiles;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.Sequential;
import dev.nerve.tensor.Tensor;
import dev.nerve.tensor.kernel.ElementWise;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nerve predict}: a saved model's outputs for every example of a CSV or IDX file, as CSV.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Write a saved model's predictions for every row of a CSV file or every image of an IDX"
          + " file, as CSV.",
      "A CSV needs the model's input columns (by name; other columns are ignored). Output:"
          + " for a classifier, the predicted class and one probability column per class;"
          + " otherwise the network's output columns. The model's saved normalisation is"
          + " applied first."
    },
    footer = {
      "%nExamples:",
      "  nerve predict --model iris.nerve --data new.csv --output predictions.csv",
      "  nerve predict --model fashion.nerve"
          + " --data /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz",
      ExitCodes.HELP
    })
final class PredictCommand implements Callable<Integer> {
  /** Examples predicted at once, so memory stays flat for any input size. */
  private static final int CHUNK = 1024;

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
    Features x = m.inputs(in.data);
    Sequential net = m.file.model();
    int k = m.file.spec().outputs();
    boolean softmax = m.file.spec().loss().equals(SoftmaxCrossEntropy.NAME);
    StringBuilder sb = new StringBuilder();
    if (m.classes != null) {
      sb.append("predicted");
      for (String c : m.classes) {
        sb.append(',').append(csvField("p_" + c));
      }
    } else {
      for (int c = 0; c < k; c++) {
        sb.append(c == 0 ? "" : ",").append(k == 1 ? "prediction" : "output_" + (c + 1));
      }
    }
    sb.append('\n');
    Tensor xb = null;
    for (int from = 0; from < x.rows(); from += CHUNK) {
      int n = Math.min(CHUNK, x.rows() - from);
      if (xb == null || xb.rows() != n) {
        xb = Tensor.zeros(n, x.cols());
      }
      x.gather(null, from, n, xb.data());
      Tensor p = net.predict(xb);
      if (m.classes != null && softmax) {
        ElementWise.softmaxRows(p.data(), p.data(), p.rows(), k);
      }
      int[] best = m.classes != null ? p.argmaxRows() : null;
      for (int r = 0; r < n; r++) {
        if (best != null) {
          sb.append(csvField(m.classes.get(best[r]))).append(',');
        }
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

  /** A class name as a CSV field, quoted when it holds a comma, quote or line break. */
  static String csvField(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
