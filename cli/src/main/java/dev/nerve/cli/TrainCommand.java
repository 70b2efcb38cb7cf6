package dev.nerve.cli;

import dev.nerve.data.Dataset;
import dev.nerve.examples.Numpy;
import dev.nerve.io.AtomicFiles;
import dev.nerve.io.Json;
import dev.nerve.io.ModelFile;
import dev.nerve.io.ModelSpec;
import dev.nerve.io.Weights;
import dev.nerve.loss.Loss;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Sgd;
import dev.nerve.tensor.Tensor;
import dev.nerve.train.Evaluation;
import dev.nerve.train.History;
import dev.nerve.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nerve train}: trains a network described in JSON on a CSV file, or a built-in example. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a network and save it.",
      "With no options, trains tutorial 1's 4-3-1 sigmoid network (5000 epochs) and prints"
          + " its outputs. With --network and --data, trains the network described in a JSON"
          + " file on a CSV file with a header row."
    },
    footer = {
      "%nExamples:",
      "  nerve train",
      "  nerve train --example tutorial2 --save-weights w.json",
      "  nerve train --network net.json --data iris.csv --target species --output model.json",
      ExitCodes.HELP
    })
final class TrainCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin RuntimeOptions runtime;

  @Option(
      names = "--example",
      paramLabel = "NAME",
      description =
          "A built-in example: ${COMPLETION-CANDIDATES} (default when no --data: tutorial1).")
  Examples example;

  @Option(
      names = "--network",
      paramLabel = "FILE",
      description = "JSON description of the network and its training settings.")
  Path network;

  @Option(
      names = "--data",
      paramLabel = "FILE",
      description = "Training data: CSV with a header row.")
  Path data;

  @Option(
      names = "--target",
      paramLabel = "COLUMN",
      description =
          "The CSV column to predict (default: the last column). Every other column"
              + " is an input.")
  String target;

  @Option(names = "--epochs", paramLabel = "N", description = "Override the number of epochs.")
  Integer epochs;

  @Option(
      names = {"--learning-rate", "--lr"},
      paramLabel = "RATE",
      description = "Override the learning rate.")
  Float learningRate;

  @Option(
      names = "--batch-size",
      paramLabel = "N|full",
      description = "Override the batch size: a number (1 is stochastic) or 'full'.")
  String batchSize;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Override the seed of the initial weights and the shuffling.")
  Long seed;

  @Option(
      names = "--init-weights",
      paramLabel = "FILE",
      description = "Start from these weights (nerve-weights JSON) instead of random ones.")
  Path initWeights;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Save the trained model (network, weights, columns) to this JSON file.")
  Path output;

  @Option(
      names = "--save-weights",
      paramLabel = "FILE",
      description = "Save the trained weights alone (nerve-weights JSON) to this file.")
  Path saveWeights;

  @Option(
      names = "--history",
      paramLabel = "FILE",
      description =
          "Save the loss per iteration: CSV (iteration,epoch,batch,loss) or, for a"
              + " .json name, {\"iteration_loss\": [...], \"epoch_loss\": [...]}.")
  Path history;

  @Option(
      names = "--log-every",
      paramLabel = "N",
      description = "Print a progress line every N epochs (default: about ten lines).")
  Integer logEvery;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print only the final result.")
  boolean quiet;

  @Option(
      names = {"-f", "--force"},
      description = "Replace output files that already exist.")
  boolean force;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (example != null && (network != null || data != null)) {
      throw new CliException(
          ExitCodes.USAGE, "--example cannot be combined with --network or --data");
    }
    if ((network == null) != (data == null)) {
      throw new CliException(
          ExitCodes.USAGE,
          "--network and --data go together: a network needs data and data needs a network");
    }
    if (target != null && data == null) {
      throw new CliException(ExitCodes.USAGE, "--target needs --data");
    }
    Outputs.checkWritable(output, force, "--output");
    Outputs.checkWritable(saveWeights, force, "--save-weights");
    Outputs.checkWritable(history, force, "--history");

    ModelSpec base;
    Dataset dataset;
    Map<String, Object> meta = new LinkedHashMap<>();
    Examples ex = null;
    if (data == null) {
      ex = example == null ? Examples.tutorial1 : example;
      base = ex.spec;
      dataset = ex.data;
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= base.inputs(); i++) {
        names.add("x" + i);
      }
      meta.put("features", names);
      meta.put("target", "y");
      meta.put("trained_on", "built-in example " + ex.name());
    } else {
      try {
        base = ModelSpec.read(network);
      } catch (IOException e) {
        throw Main.io(network.toString(), e);
      }
      dataset = readTrainingData(base, meta);
    }
    ModelSpec s = overrides(base);
    Sequential net = s.build();
    if (initWeights != null) {
      try {
        Weights.read(initWeights, net);
      } catch (IOException e) {
        throw Main.io(initWeights.toString(), e);
      }
    } else {
      net.initialize(s.seed());
    }
    Loss loss = Loss.named(s.loss());
    if (!quiet) {
      out.println(net.summary());
      out.printf(
          Locale.ROOT,
          "training on %d examples: %s, learning rate %s, batch %s, %d epochs,"
              + " seed %d, matrix multiply %s%n",
          dataset.size(),
          s.loss(),
          s.learningRate(),
          s.batchSize() == Trainer.FULL_BATCH ? "full" : s.batchSize(),
          s.epochs(),
          s.seed(),
          dev.nerve.tensor.kernel.Gemm.backend());
    }
    Trainer.Builder tb =
        Trainer.builder(net, loss, new Sgd(net.parameters(), s.learningRate()))
            .epochs(s.epochs())
            .batchSize(s.batchSize())
            .shuffle(s.seed());
    if (!quiet) {
      tb.listener(
          new ProgressLines(
              out,
              logEvery != null ? Math.max(1, logEvery) : ProgressLines.defaultEvery(s.epochs())));
    }
    long t0 = System.nanoTime();
    History h = tb.build().fit(dataset);
    double seconds = (System.nanoTime() - t0) / 1e9;

    Evaluation ev = Evaluation.of(net, loss, dataset.x(), dataset.y());
    out.printf(
        Locale.ROOT,
        "trained in %.3f s; final loss %.6f%s%n",
        seconds,
        ev.loss(),
        Double.isNaN(ev.accuracy())
            ? ""
            : String.format(Locale.ROOT, ", training accuracy %.2f%%", 100 * ev.accuracy()));
    if (ex != null) {
      out.println("outputs for the training inputs:");
      out.println(Numpy.format(net.predict(dataset.x())));
    }
    meta.put("final_loss", ev.loss());
    writeOutputs(s, net, h, meta, out);
    return ExitCodes.OK;
  }

  private Dataset readTrainingData(ModelSpec s, Map<String, Object> meta) {
    CsvTable t = CsvTable.read(data);
    int tcol = target == null ? t.header.size() - 1 : t.column(target);
    int[] fcols = t.allBut(tcol);
    List<String> features = new ArrayList<>();
    for (int c : fcols) {
      features.add(t.header.get(c));
    }
    if (fcols.length != s.inputs()) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "the network in "
              + network
              + " takes "
              + s.inputs()
              + " inputs but "
              + data
              + " has "
              + fcols.length
              + " input columns ("
              + String.join(", ", features)
              + ") besides the target '"
              + t.header.get(tcol)
              + "'");
    }
    Tensor x = t.numbers(fcols);
    Tensor y;
    if (s.loss().equals(SoftmaxCrossEntropy.NAME)) {
      List<String> classes = t.labels(tcol);
      if (classes.size() != s.outputs()) {
        throw new CliException(
            ExitCodes.BAD_INPUT,
            "the network in "
                + network
                + " has "
                + s.outputs()
                + " outputs but column '"
                + t.header.get(tcol)
                + "' of "
                + data
                + " has "
                + classes.size()
                + " classes ("
                + String.join(", ", classes)
                + ")");
      }
      y = t.oneHot(tcol, classes);
      meta.put("classes", classes);
    } else {
      if (s.outputs() != 1) {
        throw new CliException(
            ExitCodes.BAD_INPUT,
            "the network in "
                + network
                + " has "
                + s.outputs()
                + " outputs; a numeric target column needs 1 (use loss"
                + " softmax_cross_entropy to predict classes)");
      }
      y = t.numbers(new int[] {tcol});
    }
    meta.put("features", features);
    meta.put("target", t.header.get(tcol));
    meta.put("trained_on", data.toString());
    return new Dataset(x, y);
  }

  private ModelSpec overrides(ModelSpec b) {
    int batch = b.batchSize();
    if (batchSize != null) {
      if (batchSize.equals("full")) {
        batch = Trainer.FULL_BATCH;
      } else {
        try {
          batch = Integer.parseInt(batchSize);
        } catch (NumberFormatException e) {
          batch = 0;
        }
        if (batch < 1) {
          throw new CliException(
              ExitCodes.USAGE,
              "--batch-size must be a whole number of at least 1 or 'full', got '"
                  + batchSize
                  + "'");
        }
      }
    }
    if (epochs != null && epochs < 1) {
      throw new CliException(ExitCodes.USAGE, "--epochs must be at least 1, got " + epochs);
    }
    if (learningRate != null && (!(learningRate > 0) || !Float.isFinite(learningRate))) {
      throw new CliException(
          ExitCodes.USAGE, "--learning-rate must be a positive number, got " + learningRate);
    }
    return new ModelSpec(
        b.inputs(),
        b.layers(),
        b.loss(),
        learningRate != null ? learningRate : b.learningRate(),
        epochs != null ? epochs : b.epochs(),
        batch,
        seed != null ? seed : b.seed());
  }

  private void writeOutputs(
      ModelSpec s, Sequential net, History h, Map<String, Object> meta, PrintWriter out) {
    try {
      if (output != null) {
        new ModelFile(s, net, meta).write(output);
        out.println("model saved to " + output);
      }
      if (saveWeights != null) {
        Weights.write(net, saveWeights);
        out.println("weights saved to " + saveWeights);
      }
      if (history != null) {
        AtomicFiles.writeString(history, historyText(h));
        out.println("loss history saved to " + history);
      }
    } catch (IOException e) {
      throw Main.io("writing results", e);
    }
  }

  private String historyText(History h) {
    double[] it = h.iterationLosses();
    if (history.toString().endsWith(".json")) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("iteration_loss", it);
      doc.put("epoch_loss", h.epochLosses());
      return Json.write(doc);
    }
    int perEpoch = h.epochCount() == 0 ? 1 : it.length / h.epochCount();
    StringBuilder sb = new StringBuilder("iteration,epoch,batch,loss\n");
    for (int i = 0; i < it.length; i++) {
      sb.append(i + 1)
          .append(',')
          .append(i / perEpoch + 1)
          .append(',')
          .append(i % perEpoch + 1)
          .append(',')
          .append(it[i])
          .append('\n');
    }
    return sb.toString();
  }
}
