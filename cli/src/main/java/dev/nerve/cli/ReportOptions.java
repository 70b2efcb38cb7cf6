package dev.nerve.cli;

import dev.nerve.Nerve;
import dev.nerve.data.Normalizer;
import dev.nerve.io.AtomicFiles;
import dev.nerve.io.ModelSpec;
import dev.nerve.nn.Layer;
import dev.nerve.nn.Parameter;
import dev.nerve.nn.Sequential;
import dev.nerve.report.Chart;
import dev.nerve.report.Charts;
import dev.nerve.report.Classification;
import dev.nerve.report.HtmlReport;
import dev.nerve.report.LayerRow;
import dev.nerve.report.Regression;
import dev.nerve.report.RunReport;
import dev.nerve.report.Series;
import dev.nerve.tensor.Shape;
import dev.nerve.train.ConfusionMatrix;
import dev.nerve.train.Evaluation;
import dev.nerve.train.History;
import dev.nerve.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code train --report} and {@code --charts}: the run as an HTML page and as PNG/SVG charts. */
final class ReportOptions {
  @Option(
      names = "--report",
      paramLabel = "FILE",
      description =
          "Write a self-contained HTML report of the run (curves, confusion matrix, model,"
              + " settings, data hash, versions, time per epoch); opens in any browser.")
  Path report;

  @Option(
      names = "--charts",
      paramLabel = "DIR",
      description =
          "Write the loss per iteration, the loss per epoch and (for classes) the accuracy per"
              + " epoch as PNG and SVG files into this directory.")
  Path charts;

  static final String[] CHART_NAMES = {"loss-per-iteration", "loss-per-epoch", "accuracy"};

  /** Everything about a finished run that the report shows. */
  record Run(
      String title,
      ModelSpec spec,
      Sequential net,
      String optimizer,
      Normalizer normalizer,
      String dataHash,
      String dataDescription,
      int trainExamples,
      int validationExamples,
      History history,
      Evaluation evaluation,
      String evaluationSet,
      List<String> classes,
      double seconds,
      List<dev.nerve.report.Picture> inputs,
      Map<String, String> distributed) {}

  /** Fails before training if an output exists and --force is off. */
  void checkWritable(boolean force) {
    Outputs.checkWritable(report, force, "--report");
    if (charts != null) {
      for (String n : CHART_NAMES) {
        Outputs.checkWritable(charts.resolve(n + ".png"), force, "--charts");
        Outputs.checkWritable(charts.resolve(n + ".svg"), force, "--charts");
      }
    }
  }

  /** Writes what was asked for; {@code out} (may be null) hears where. */
  void write(Run run, PrintWriter out) {
    if (report == null && charts == null) {
      return;
    }
    try {
      if (charts != null) {
        for (Chart c : charts(run.history)) {
          String name = fileName(c);
          AtomicFiles.write(charts.resolve(name + ".png"), Charts.png(c, 900, 500));
          AtomicFiles.writeString(charts.resolve(name + ".svg"), Charts.svg(c, 900, 500));
        }
        if (out != null) {
          out.println("charts saved to " + charts);
        }
      }
      if (report != null) {
        AtomicFiles.writeString(report, HtmlReport.render(toReport(run)));
        if (out != null) {
          out.println("report saved to " + report);
        }
      }
    } catch (IOException e) {
      throw Main.io("writing the report", e);
    }
  }

  private static String fileName(Chart c) {
    return c.title().startsWith("Loss per iteration")
        ? CHART_NAMES[0]
        : c.title().startsWith("Loss per epoch") ? CHART_NAMES[1] : CHART_NAMES[2];
  }

  /** The charts of a history: loss per iteration, loss per epoch, and accuracy when defined. */
  static List<Chart> charts(History h) {
    List<Chart> out = new ArrayList<>();
    out.add(
        new Chart(
            "Loss per iteration",
            "iteration",
            "loss",
            List.of(Series.of("training loss", h.iterationLosses())),
            false));
    List<Series> epochLoss = new ArrayList<>();
    epochLoss.add(Series.of("training", h.epochLosses()));
    if (anyFinite(h.validationLosses())) {
      epochLoss.add(Series.of("validation", h.validationLosses()));
    }
    out.add(new Chart("Loss per epoch", "epoch", "loss", epochLoss, false));
    if (anyFinite(h.trainAccuracies()) || anyFinite(h.validationAccuracies())) {
      List<Series> acc = new ArrayList<>();
      acc.add(Series.of("training", h.trainAccuracies()));
      if (anyFinite(h.validationAccuracies())) {
        acc.add(Series.of("validation", h.validationAccuracies()));
      }
      out.add(new Chart("Accuracy per epoch", "epoch", "accuracy", acc, false));
    }
    return out;
  }

  private static boolean anyFinite(double[] v) {
    for (double d : v) {
      if (Double.isFinite(d)) {
        return true;
      }
    }
    return false;
  }

  static RunReport toReport(Run run) {
    ModelSpec s = run.spec;
    History h = run.history;
    RunReport.Builder b =
        RunReport.builder("Nerve training run: " + run.title)
            .createdAt(Instant.now().toString())
            .version("nerve", Nerve.version())
            .version("java", System.getProperty("java.version"))
            .version("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"))
            .version("matrix multiply", dev.nerve.tensor.kernel.Gemm.backend())
            .version("threads", Integer.toString(dev.nerve.tensor.kernel.Parallel.threads()))
            .seed(s.seed())
            .dataHash(run.dataHash)
            .hyperParameter("loss", s.loss())
            .hyperParameter("optimizer", run.optimizer)
            .hyperParameter("learning rate", Float.toString(s.learningRate()))
            .hyperParameter(
                "batch size",
                s.batchSize() == Trainer.FULL_BATCH ? "full" : Integer.toString(s.batchSize()))
            .hyperParameter("epochs", Integer.toString(s.epochs()))
            .hyperParameter("normalisation", run.normalizer.toString())
            .hyperParameters(run.distributed)
            .data("source", run.dataDescription)
            .data("training examples", Integer.toString(run.trainExamples))
            .data("validation examples", Integer.toString(run.validationExamples))
            .data(run.evaluationSet + " examples", Integer.toString(run.evaluation.examples()))
            .iterationLoss(h.iterationLosses())
            .trainLoss(h.epochLosses())
            .validationLoss(h.validationLosses())
            .trainAccuracy(h.trainAccuracies())
            .validationAccuracy(h.validationAccuracies())
            .epochSeconds(h.epochSeconds());
    Shape shape = s.shape();
    long total = 0;
    List<Layer> layers = run.net.layers();
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      shape = l.outputShape(shape);
      long n = 0;
      for (Parameter p : l.parameters()) {
        n += p.value().size();
      }
      total += n;
      b.layer(new LayerRow(i + 1, l.toString(), shape.toString(), n));
    }
    b.totalParameters(total);
    Evaluation e = run.evaluation;
    ConfusionMatrix cm = e.confusion();
    if (cm != null) {
      int k = cm.classes();
      double[] p = new double[k];
      double[] r = new double[k];
      double[] f = new double[k];
      List<String> names = new ArrayList<>();
      for (int c = 0; c < k; c++) {
        p[c] = cm.precision(c);
        r[c] = cm.recall(c);
        f[c] = cm.f1(c);
        names.add(Results.name(run.classes, c));
      }
      b.classification(
          new Classification(run.evaluationSet, names, cm.counts(), cm.accuracy(), p, r, f));
    } else {
      b.regression(
          new Regression(
              run.evaluationSet, e.regression().mse(), e.regression().mae(), e.regression().r2()));
    }
    b.outcome("epochs run", Integer.toString(h.epochCount()));
    if (h.stoppedEarlyAt() > 0) {
      b.outcome(
          "stopped",
          "early stopping after epoch "
              + h.stoppedEarlyAt()
              + (h.bestEpoch() > 0 ? "; best epoch " + h.bestEpoch() + " restored" : ""));
    }
    b.outcome(run.evaluationSet + " loss", String.format(Locale.ROOT, "%.6f", e.loss()));
    if (!Double.isNaN(e.accuracy())) {
      b.outcome(run.evaluationSet + " accuracy", String.format(Locale.ROOT, "%.4f", e.accuracy()));
    }
    b.outcome("training time", String.format(Locale.ROOT, "%.2f s", run.seconds));
    if (run.inputs != null) {
      run.inputs.forEach(b::input);
    }
    return b.build();
  }
}
