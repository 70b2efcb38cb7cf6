package dev.nerve.cli;

import dev.nerve.data.Batcher;
import dev.nerve.data.ColumnEncoding;
import dev.nerve.data.Dataset;
import dev.nerve.data.Normalizer;
import dev.nerve.examples.Numpy;
import dev.nerve.examples.Tutorial1;
import dev.nerve.io.Checkpoints;
import dev.nerve.io.FormatException;
import dev.nerve.io.Json;
import dev.nerve.io.ModelFile;
import dev.nerve.io.ModelSpec;
import dev.nerve.io.Weights;
import dev.nerve.loss.Loss;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.LearningRateSchedule;
import dev.nerve.optim.Optimizer;
import dev.nerve.optim.ScheduleSpec;
import dev.nerve.tensor.Tensor;
import dev.nerve.train.EarlyStopping;
import dev.nerve.train.Evaluation;
import dev.nerve.train.History;
import dev.nerve.train.Trainer;
import dev.nerve.train.TrainingListener;
import dev.nerve.train.TrainingState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One training run as {@code nerve train} and {@code nerve trace} carry it out: the data (a
 * built-in example, CSV or IDX files) and its splits and normalisation, the network, the optimiser
 * and policies from the options, resuming from a checkpoint, the trainer with its listeners, and
 * afterwards the evaluations, the printed results and every output file. The two commands differ
 * only in what they add: {@code trace} starts tutorial 1 from its given weights and listens with a
 * recorder.
 */
final class TrainingRun {
  private final TrainOptions o;
  private final OutputMode mode;
  private final ReportOptions reportOptions;
  private final PrintWriter out;
  private final PrintWriter err;

  private Examples ex;
  private ModelSpec s;
  private TrainingData.Source src;
  private double loadSeconds;
  private Dataset train;
  private Dataset validation;
  private Dataset test;
  private Normalizer normalizer;
  private Sequential net;
  private Loss loss;
  private Optimizer opt;
  private ScheduleSpec schedule;
  private LearningRateSchedule rates;
  private Map<String, Object> meta;
  private Map<String, Object> training;
  private TrainingState resumed;
  private boolean text; // trained on text: the split and the vocabulary come from TextData
  private Map<String, Object> sparkFigures; // a Spark run's partitions, executors, times
  private String sparkLine;
  private ParallelOptions parallel; // --shards / --spark, for nerve train
  private List<String> commandLine = List.of(); // nerve train's arguments, for Spark's workers

  TrainingRun(
      TrainOptions o,
      OutputMode mode,
      ReportOptions reportOptions,
      PrintWriter out,
      PrintWriter err) {
    this.o = o;
    this.mode = mode;
    this.reportOptions = reportOptions;
    this.out = out;
    this.err = err;
  }

  /**
   * Splits batches as {@code p} says (shards on this machine, or a Spark cluster); {@code args} is
   * the command line, which Spark's workers read the data with.
   */
  void parallel(ParallelOptions p, List<String> args) {
    this.parallel = p;
    this.commandLine = List.copyOf(args);
  }

  /** Checks the options and that every output may be written, before any work is done. */
  void check() {
    o.check();
    if (parallel != null) {
      parallel.check(o);
    }
    Outputs.checkWritable(o.output, o.force, "--output");
    Outputs.checkWritable(o.saveWeights, o.force, "--save-weights");
    Outputs.checkWritable(o.history, o.force, "--history");
    reportOptions.checkWritable(o.force);
  }

  /**
   * Reads the data and builds everything the run needs: the network (initialised from the seed,
   * from {@code --init-weights}, or, with {@code givenTutorialWeights} for tutorial 1 without a
   * seed, from the tutorial's given weights), the optimiser, the schedule, the metadata, and the
   * state of a run to resume. Prints the network's summary.
   */
  void prepare(boolean givenTutorialWeights) {
    o.checkCheckpointDir();
    prepareData();
    buildNetwork(givenTutorialWeights);
  }

  /**
   * Reads the data as the options say: the example or files, the splits, the normaliser fitted on
   * the training part and applied to every part. Deterministic, so a Spark worker running it from
   * the same command line gets the driver's training set.
   */
  private void prepareData() {
    ModelSpec base = null;
    if (o.data == null && o.text == null) {
      ex = o.example == null ? Examples.TUTORIAL1 : Examples.of(o.example);
      base = ex.text() ? null : ex.spec();
    } else if (!o.onText()) {
      try {
        base = ModelSpec.read(o.network);
      } catch (IOException e) {
        throw Main.io(o.network.toString(), e);
      }
    }
    long loadStart = System.nanoTime();
    if (base == null) {
      // Text: the vocabulary, and so the network's sizes, come from the data.
      TextData.Prepared p =
          ex != null
              ? ex.textData(o)
              : o.text != null ? TextData.languageModel(o) : TextData.classification(o);
      s = p.spec();
      src = p.src();
      train = p.train();
      validation = p.validation();
      test = p.test();
      text = true;
    } else {
      s = o.overrides(base);
      src = ex != null ? TrainingData.example(ex, err) : new TrainingData(o).files(s);
      split(src.train(), src.test());
    }
    loadSeconds = (System.nanoTime() - loadStart) / 1e9;
    if (o.earlyStopping != null
        && EarlyStopping.Monitor.of(o.earlyStopping).id().endsWith("accuracy")
        && Double.isNaN(Evaluation.accuracy(train.y(), train.y()))) {
      throw new CliException(
          ExitCodes.USAGE,
          "--early-stopping "
              + o.earlyStopping
              + " needs class targets; these are numbers (use loss or val-loss)");
    }
    normalizer =
        text
            ? dev.nerve.data.Normalizer.none()
            : ex != null && ex.audio() && o.normalize == null
                // Decibels (around -100 to +30) standardised per band and frame, as fitted on
                // the training speakers; saved with the model, so predict does the same.
                ? dev.nerve.data.Normalizer.fit(
                    dev.nerve.data.Normalizer.Kind.STANDARDIZE, train.features())
                : o.normalizer(
                    train.features(), ex != null ? ex.fashion() : DataFiles.isIdx(o.data));
    train = train.normalized(normalizer);
    validation = validation == null ? null : validation.normalized(normalizer);
    test = test == null ? null : test.normalized(normalizer);
  }

  /**
   * The training set that {@code args} (a {@code nerve train} command line, run in the directory
   * {@code dir}) reads: what each Spark partition reads before keeping its own examples.
   */
  static Dataset trainingSet(List<String> args, String dir) {
    TrainCommand c = new TrainCommand();
    new picocli.CommandLine(c).parseArgs(args.toArray(new String[0]));
    c.options.resolveAgainst(java.nio.file.Path.of(dir));
    java.io.StringWriter sink = new java.io.StringWriter();
    OutputMode quiet = new OutputMode();
    quiet.quiet = true;
    TrainingRun run =
        new TrainingRun(
            c.options, quiet, c.reportOptions, new PrintWriter(sink), new PrintWriter(sink));
    run.prepareData();
    return run.train;
  }

  private void buildNetwork(boolean givenTutorialWeights) {
    net = s.build();
    if (o.initWeights != null) {
      try {
        Weights.read(o.initWeights, net);
      } catch (IOException e) {
        throw Main.io(o.initWeights.toString(), e);
      }
    } else if (givenTutorialWeights && ex == Examples.TUTORIAL1 && o.seed == null) {
      Tutorial1.givenWeights(net);
    } else {
      net.initialize(s.seed());
    }
    loss = Loss.named(s.loss());
    opt =
        Optimizer.named(
            s.optimizer(),
            net.parameters(),
            s.learningRate(),
            o.weightDecay == null ? -1f : o.weightDecay);
    schedule = o.schedule();
    try {
      rates = schedule.build(s.epochs());
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "--lr-schedule: " + e.getMessage());
    }
    meta = new LinkedHashMap<>(src.meta());
    training = trainingMetadata();
    meta.put("training", training);
    resumed = o.resume ? resumeInto() : null;

    if (mode.human()) {
      out.println(net.summary());
      out.printf(
          Locale.ROOT,
          "read %s in %.2f s%ntraining on %d examples%s: %s, %s, batch %s, %d epochs, seed %d,"
              + " %s, matrix multiply %s%n",
          src.description(),
          loadSeconds,
          train.size(),
          validation == null ? "" : " (validating on " + validation.size() + ")",
          s.loss(),
          opt,
          s.batchSize() == Trainer.FULL_BATCH ? "full" : s.batchSize(),
          s.epochs(),
          s.seed(),
          normalizer,
          dev.nerve.tensor.kernel.Gemm.backend());
      out.flush();
    }
  }

  /** The updates the run makes: epochs × batches per epoch. */
  long iterations() {
    return (long) s.epochs() * Batcher.batchesPerEpoch(train.size(), s.batchSize());
  }

  /** The trained network (after {@link #train}). */
  Sequential network() {
    return net;
  }

  /** The validation and test splits, when asked for. */
  private void split(Dataset all, Dataset separateTest) {
    test = separateTest;
    validation = null;
    train = all;
    double v = o.validationSplit == null ? 0 : o.validationSplit;
    double t = o.testSplit == null ? 0 : o.testSplit;
    if (v > 0 || t > 0) {
      List<Double> fractions = new ArrayList<>(List.of(1 - v - t));
      if (v > 0) {
        fractions.add(v);
      }
      if (t > 0) {
        fractions.add(t);
      }
      Dataset[] parts =
          all.split(s.seed(), fractions.stream().mapToDouble(Double::doubleValue).toArray());
      train = parts[0];
      validation = v > 0 ? parts[1] : null;
      test = t > 0 ? parts[parts.length - 1] : test;
      for (Dataset part : parts) {
        if (part.size() == 0) {
          throw new CliException(
              ExitCodes.USAGE,
              "the splits leave an empty part: "
                  + all.size()
                  + " examples cannot be cut into "
                  + fractions);
        }
      }
    }
    if (train.size() == 0) {
      throw new CliException(
          ExitCodes.BAD_INPUT, "no examples to train on in " + src.description());
    }
  }

  /** What the model file records of how it was trained, and a resumed run must match. */
  private Map<String, Object> trainingMetadata() {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("data", src.description());
    t.put("data_sha256", src.sha256());
    t.put("examples", train.size());
    t.put("validation_examples", validation == null ? 0 : validation.size());
    t.put("test_examples", test == null ? 0 : test.size());
    t.put("seed", s.seed());
    t.put("optimizer", opt.toString());
    if (!schedule.isConstant()) {
      t.put("schedule", schedule.describe(s.epochs()));
    }
    if (o.clipNorm != null || o.clipValue != null) {
      t.put("gradient_clipping", "norm " + o.clipNorm + ", value " + o.clipValue);
    }
    t.put("normalization", normalizer.toString());
    if (o.earlyStopping != null) {
      t.put(
          "early_stopping",
          o.earlyStopping
              + ", patience "
              + o.patience
              + ", min delta "
              + o.minDelta
              + (o.noRestoreBest ? "" : ", restore best"));
    }
    if (o.weightDecay != null) {
      t.put("weight_decay", o.weightDecay);
    }
    // How each batch's gradients are added: K shards on one machine and K Spark partitions give
    // the same bytes, so both record the same K, and a resumed run must keep it.
    int shards =
        parallel == null
            ? 1
            : parallel.onSpark()
                ? parallel.partitions()
                : parallel.shards == null ? 1 : parallel.shards;
    if (shards > 1) {
      t.put("shards", shards);
    }
    return t;
  }

  /**
   * Trains with {@code extra} listeners beside the run's own (checkpoints, progress), then
   * evaluates, prints the results and writes every output the options ask for.
   */
  History train(List<TrainingListener> extra) {
    Trainer.Builder tb =
        Trainer.builder(net, loss, opt)
            .epochs(s.epochs())
            .batchSize(s.batchSize())
            .shuffle(s.seed())
            .bucketByLength(o.bucketByLength || (ex != null && ex == Examples.LANGUAGE))
            .validation(validation)
            .resumeFrom(resumed)
            .learningRateSchedule(rates);
    if (o.tbptt) {
      tb.noShuffle(); // batch k + 1 continues batch k, row by row
    }
    if (parallel != null && parallel.shards != null) {
      try {
        tb.shards(parallel.shards);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, "--shards: " + e.getMessage());
      }
    }
    if (o.clipNorm != null) {
      tb.clipGradientNorm(o.clipNorm);
    } else if (ex == Examples.TEXT) {
      tb.clipGradientNorm(Examples.TEXT_CLIP_NORM);
    } else if (ex == Examples.TEXT_TRANSFORMER) {
      tb.clipGradientNorm(Examples.TRANSFORMER_CLIP_NORM);
    }
    if (o.clipValue != null) {
      tb.clipGradientValue(o.clipValue);
    }
    if (o.earlyStopping != null) {
      tb.earlyStopping(
          new EarlyStopping(
              EarlyStopping.Monitor.of(o.earlyStopping), o.patience, o.minDelta, !o.noRestoreBest));
    }
    if (o.checkpointEvery != null) {
      tb.listener(
          new Checkpoints(
              o.checkpointDir, o.checkpointEvery, o.keepCheckpoints, s, net, normalizer, meta));
    }
    extra.forEach(tb::listener);
    if (mode.json) {
      tb.listener(new JsonLines(out));
    } else if (!mode.quiet) {
      tb.listener(
          Progress.forConsole(
              out,
              o.logEvery != null
                  ? Math.max(1, o.logEvery)
                  : ProgressLines.defaultEvery(s.epochs())));
    }
    long t0 = System.nanoTime();
    History h;
    SparkRun spark =
        parallel != null && parallel.onSpark()
            ? SparkRun.start(parallel, commandLine, net, loss, train, out, mode.human())
            : null;
    try {
      if (spark != null) {
        tb.gradientSource(spark.source());
      }
      h = tb.build().fit(train);
    } catch (UncheckedIOException e) {
      throw Main.io("checkpoint", e.getCause());
    } finally {
      if (spark != null) {
        try {
          sparkFigures = spark.describe();
          sparkLine = spark.stats().toString();
        } finally {
          spark.close();
        }
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (spark != null) {
      training.put("spark", sparkFigures);
      if (mode.human()) {
        out.println("spark: " + sparkLine);
      }
    }
    report(h, seconds);
    return h;
  }

  /** Evaluates the trained network, prints the results and writes the outputs. */
  private void report(History h, double seconds) {
    Evaluation trainEval = Evaluation.of(net, loss, train);
    Evaluation testEval = test == null ? null : Evaluation.of(net, loss, test);
    training.put("epochs_run", h.epochCount());
    if (h.stoppedEarlyAt() > 0) {
      training.put("stopped_early_at", h.stoppedEarlyAt());
    }
    if (h.bestEpoch() > 0) {
      training.put("best_epoch_restored", h.bestEpoch());
    }
    training.put("seconds", seconds);
    training.put("final_loss", Results.finite(trainEval.loss()));
    if (testEval != null) {
      training.put("test_loss", Results.finite(testEval.loss()));
      if (!Double.isNaN(testEval.accuracy())) {
        training.put("test_accuracy", testEval.accuracy());
      }
    }
    meta.put("final_loss", Results.finite(trainEval.loss()));
    List<String> classes = ColumnEncoding.fromMetadata(meta).classes();
    if (mode.json) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("event", "result");
      r.put("load_seconds", loadSeconds);
      r.put("seconds", seconds);
      r.put("epochs_run", h.epochCount());
      r.put("best_epoch", h.bestEpoch());
      r.put("train", Results.json(trainEval, classes));
      if (sparkFigures != null) {
        r.put("spark", sparkFigures);
      }
      if (testEval != null) {
        r.put("test", Results.json(testEval, classes));
      }
      out.println(Json.writeLine(r));
    } else {
      out.printf(
          Locale.ROOT,
          "trained in %.3f s%s; final loss %.6f%s%n",
          seconds,
          h.stoppedEarlyAt() > 0
              ? String.format(
                  Locale.ROOT,
                  " (early stop after epoch %d%s)",
                  h.stoppedEarlyAt(),
                  h.bestEpoch() > 0 ? ", best epoch " + h.bestEpoch() + " restored" : "")
              : "",
          trainEval.loss(),
          Double.isNaN(trainEval.accuracy())
              ? ""
              : String.format(
                  Locale.ROOT, ", training accuracy %.2f%%", 100 * trainEval.accuracy()));
      if (testEval != null) {
        out.printf(
            Locale.ROOT,
            "test: loss %.6f%s on %d examples%n",
            testEval.loss(),
            Double.isNaN(testEval.accuracy())
                ? ""
                : String.format(Locale.ROOT, ", accuracy %.2f%%", 100 * testEval.accuracy()),
            testEval.examples());
        if (!mode.quiet && !TextData.LANGUAGE_MODEL.equals(meta.get(TextData.TASK))) {
          out.print(Results.text(testEval, classes));
        }
      }
      if (text && !mode.quiet) {
        TextReports.afterTraining(out, net, s, meta, trainEval, testEval, validation, loss);
      }
      if (ex != null && !ex.hasTestSet() && !ex.text()) {
        out.println("outputs for the training inputs:");
        Tensor p = net.predict(train.x());
        // Sequences [n, t, 1] print as one row of steps per example.
        out.println(
            Numpy.format(
                p.rank() > 2 ? p.reshape(p.shape().dim(0), p.size() / p.shape().dim(0)) : p));
      }
    }
    writeOutputs(h);
    reportOptions.write(
        new ReportOptions.Run(
            ex != null ? "example " + ex.id : String.valueOf(o.data),
            s,
            net,
            opt.toString(),
            normalizer,
            src.sha256(),
            src.description(),
            train.size(),
            validation == null ? 0 : validation.size(),
            h,
            test != null ? testEval : trainEval,
            test != null ? "test" : "training",
            classes,
            seconds,
            AudioPictures.of(src.train(), meta),
            distributedSettings()),
        mode.human() ? out : null);
  }

  /** How the batches were split, for the report: shards, or the Spark run's figures. */
  private Map<String, String> distributedSettings() {
    Map<String, String> m = new LinkedHashMap<>();
    if (parallel != null && parallel.shards != null) {
      m.put("shards", parallel.shards + " (gradients added in shard order)");
    }
    if (sparkFigures != null) {
      m.put("spark master", String.valueOf(sparkFigures.get("master")));
      m.put("spark partitions", String.valueOf(sparkFigures.get("partitions")));
      m.put("spark executors", String.valueOf(sparkFigures.get("executors")));
      m.put(
          "spark time per step",
          String.format(
              Locale.ROOT,
              "%.2f ms: compute %.2f, communication %.2f (%s)",
              (Double) sparkFigures.get("ms_per_step"),
              (Double) sparkFigures.get("compute_ms_per_step"),
              (Double) sparkFigures.get("communication_ms_per_step"),
              sparkFigures.get("communication")));
      m.put("spark retried tasks", String.valueOf(sparkFigures.get("retried_tasks")));
    }
    return m;
  }

  private void writeOutputs(History h) {
    try {
      if (o.output != null) {
        new ModelFile(s, net, normalizer, meta).write(o.output);
        if (mode.human()) {
          out.println("model saved to " + o.output);
        }
      }
      if (o.saveWeights != null) {
        Weights.write(net, o.saveWeights);
        if (mode.human()) {
          out.println("weights saved to " + o.saveWeights);
        }
      }
      if (o.history != null) {
        HistoryFiles.write(h, o.history);
        if (mode.human()) {
          out.println("history saved to " + o.history);
        }
      }
    } catch (IOException e) {
      throw Main.io("writing results", e);
    }
  }

  // ---- resuming ------------------------------------------------------------------------------

  /**
   * Loads the newest readable checkpoint of --checkpoint-dir into the network and returns its
   * training state, after checking it was made by this network on this data with these options.
   */
  private TrainingState resumeInto() {
    List<Checkpoints.Checkpoint> all;
    try {
      all = Checkpoints.list(o.checkpointDir);
    } catch (IOException e) {
      throw Main.io(o.checkpointDir.toString(), e);
    }
    if (all.isEmpty()) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "--resume: no complete checkpoint in "
              + o.checkpointDir
              + " (train with --checkpoint-every N to write them)");
    }
    List<String> skipped = new ArrayList<>();
    for (Checkpoints.Checkpoint c : all) {
      Checkpoints.Loaded loaded;
      try {
        loaded = c.read();
      } catch (IOException e) {
        skipped.add(c.dir().getFileName() + " (" + e.getMessage() + ")");
        continue;
      }
      // Compared as JSON text (numbers read back are not the Integers written), keys sorted:
      // the data's columns, target and classes, and under "training" its SHA-256 and every
      // option that shapes the run. Not compared: the data's path, and a separate test set's
      // size.
      String now = comparable(meta);
      ModelFile saved = loaded.model();
      TrainingState state = loaded.state();
      String then = comparable(saved.metadata());
      if (!now.equals(then)) {
        throw new CliException(
            ExitCodes.USAGE,
            "--resume: "
                + c.dir()
                + " was made with other data or options: "
                + then
                + "; this run: "
                + now);
      }
      Map<String, Object> a = new LinkedHashMap<>(saved.spec().toJson());
      Map<String, Object> b = new LinkedHashMap<>(s.toJson());
      a.remove("epochs");
      b.remove("epochs");
      if (!Json.writeLine(a).equals(Json.writeLine(b))) {
        throw new CliException(
            ExitCodes.USAGE,
            "--resume: " + c.dir() + " holds another network: " + Json.writeLine(a));
      }
      if (state.epochsDone() > s.epochs()) {
        throw new CliException(
            ExitCodes.USAGE,
            "--resume: "
                + c.dir()
                + " has done "
                + state.epochsDone()
                + " epochs, more than the "
                + s.epochs()
                + " asked for now (give --epochs of at least that)");
      }
      try {
        loaded.copyInto(net);
      } catch (FormatException e) {
        throw new CliException(ExitCodes.BAD_INPUT, "--resume: " + e.getMessage());
      }
      for (String k : skipped) {
        err.println("nerve: skipped the damaged checkpoint " + k);
      }
      if (mode.human()) {
        out.printf(
            Locale.ROOT,
            "resuming from %s: %d epochs and %d updates done%n",
            c.dir(),
            state.epochsDone(),
            state.iteration());
      }
      return state;
    }
    throw new CliException(
        ExitCodes.BAD_INPUT,
        "--resume: every checkpoint in " + o.checkpointDir + " is damaged: " + skipped);
  }

  /** A run's metadata as JSON text with sorted keys, without what may differ on resuming. */
  private String comparable(Map<String, Object> metadata) {
    Map<String, Object> m = new TreeMap<>();
    metadata.forEach((k, v) -> m.put(String.valueOf(k), v));
    m.remove("epoch");
    m.remove("final_loss");
    m.remove("trained_on");
    Map<String, Object> t = new TreeMap<>();
    if (m.get("training") instanceof Map<?, ?> tm) {
      tm.forEach((k, v) -> t.put(String.valueOf(k), v));
    }
    t.remove("data");
    if (o.testData != null) {
      t.remove("test_examples");
    }
    m.put("training", t);
    return Json.writeLine(sorted(m));
  }

  /** {@code v} with the keys of every map in it sorted. */
  private static Object sorted(Object v) {
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new TreeMap<>();
      map.forEach((k, x) -> out.put(String.valueOf(k), sorted(x)));
      return out;
    }
    if (v instanceof List<?> list) {
      return list.stream().map(TrainingRun::sorted).toList();
    }
    return v;
  }
}
