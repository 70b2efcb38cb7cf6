package dev.nerve.cli;

import dev.nerve.data.Batcher;
import dev.nerve.data.Dataset;
import dev.nerve.data.Features;
import dev.nerve.data.Idx;
import dev.nerve.data.Normalizer;
import dev.nerve.examples.Numpy;
import dev.nerve.io.AtomicFiles;
import dev.nerve.io.Checkpoints;
import dev.nerve.io.FormatException;
import dev.nerve.io.Json;
import dev.nerve.io.ModelFile;
import dev.nerve.io.ModelSpec;
import dev.nerve.io.Weights;
import dev.nerve.loss.Loss;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.LearningRateSchedule;
import dev.nerve.optim.Optimizer;
import dev.nerve.tensor.Tensor;
import dev.nerve.train.EarlyStopping;
import dev.nerve.train.Evaluation;
import dev.nerve.train.History;
import dev.nerve.train.Trainer;
import dev.nerve.train.TrainingState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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

/**
 * {@code nerve train}: trains a network described in JSON on CSV or IDX data, or a built-in
 * example, and saves the model, its history, charts and a report.
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
class TrainCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin RuntimeOptions runtime;

  @Option(
      names = "--example",
      paramLabel = "NAME",
      description =
          "A built-in example: tutorial1 (the default when no --data), tutorial2,"
              + " fashion-mnist (a 784-256-128-10 MLP) or lenet (LeNet-5, convolutional);"
              + " the last two need the Debian package dataset-fashion-mnist.")
  String example;

  @Option(
      names = "--network",
      paramLabel = "FILE",
      description = "JSON description of the network and its training settings.")
  Path network;

  @Option(
      names = "--data",
      paramLabel = "FILE",
      description = "Training data: CSV with a header row, or IDX images (plain or .gz).")
  Path data;

  @Option(
      names = "--labels",
      paramLabel = "FILE",
      description = "IDX labels for IDX images given with --data.")
  Path labels;

  @Option(
      names = "--target",
      paramLabel = "COLUMN",
      description =
          "The CSV column to predict (default: the last column). Every other column is an"
              + " input, numeric or categorical (one-hot; see --categorical).")
  String target;

  @Option(
      names = "--categorical",
      paramLabel = "COLUMN",
      split = ",",
      description =
          "Treat these CSV columns as categories even if their values are numbers (codes such"
              + " as zip codes). A column is categorical anyway when more than half its values"
              + " are not numbers.")
  List<String> categorical = new ArrayList<>();

  @Option(
      names = "--test-data",
      paramLabel = "FILE",
      description =
          "A separate test set (CSV, or IDX images with --test-labels), evaluated after"
              + " training.")
  Path testData;

  @Option(names = "--test-labels", paramLabel = "FILE", description = "IDX labels for --test-data.")
  Path testLabels;

  @Option(
      names = "--validation-split",
      paramLabel = "FRACTION",
      description =
          "Hold out this fraction of the training data (shuffled by the seed) and"
              + " evaluate on it after every epoch.")
  Double validationSplit;

  @Option(
      names = "--test-split",
      paramLabel = "FRACTION",
      description = "Hold out this fraction as a test set, evaluated once after training.")
  Double testSplit;

  @Option(
      names = "--normalize",
      paramLabel = "KIND",
      description =
          "Input normalisation, fitted on the training rows and saved with the model: none,"
              + " scale (times --scale), min-max or standardize. Default: scale 1/255 for IDX"
              + " images, none for CSV.")
  String normalize;

  @Option(
      names = "--scale",
      paramLabel = "FACTOR",
      description = "The factor of --normalize scale (default 1/255).")
  Float scale;

  @Option(names = "--epochs", paramLabel = "N", description = "Override the number of epochs.")
  Integer epochs;

  @Option(
      names = {"--learning-rate", "--lr"},
      paramLabel = "RATE",
      description = "Override the learning rate.")
  Float learningRate;

  @Option(
      names = "--optimizer",
      paramLabel = "NAME",
      description = "Override the optimiser: sgd, momentum, nesterov or adam.")
  String optimizer;

  @Option(
      names = "--weight-decay",
      paramLabel = "W",
      description =
          "Weight decay: L2 for sgd, momentum, nesterov, adam, rmsprop and adagrad; decoupled"
              + " for adamw (default 0; adamw 0.01).")
  Float weightDecay;

  @Option(
      names = "--clip-norm",
      paramLabel = "MAX",
      description = "Scale gradients so their global L2 norm is at most MAX before each step.")
  Float clipNorm;

  @Option(
      names = "--clip-value",
      paramLabel = "LIMIT",
      description = "Clamp every gradient value into [-LIMIT, LIMIT] before each step.")
  Float clipValue;

  @Option(
      names = "--lr-schedule",
      paramLabel = "KIND",
      description =
          "Learning-rate schedule, per epoch: step (times --lr-gamma every --lr-step epochs),"
              + " exponential (times --lr-gamma each epoch), cosine (to --lr-min over the run) or"
              + " plateau (times --lr-gamma after --lr-patience epochs without a better loss).")
  String lrSchedule;

  @Option(
      names = "--lr-gamma",
      paramLabel = "F",
      description =
          "Decay factor of the schedule (default 0.1 for step and plateau, 0.95 for"
              + " exponential).")
  Float lrGamma;

  @Option(
      names = "--lr-step",
      paramLabel = "N",
      defaultValue = "10",
      description = "Epochs between step decays (default ${DEFAULT-VALUE}).")
  int lrStep;

  @Option(
      names = "--lr-min",
      paramLabel = "RATE",
      defaultValue = "0",
      description = "Lowest rate of cosine and plateau schedules (default ${DEFAULT-VALUE}).")
  float lrMin;

  @Option(
      names = "--lr-patience",
      paramLabel = "N",
      defaultValue = "2",
      description = "Epochs without improvement before a plateau decay (default ${DEFAULT-VALUE}).")
  int lrPatience;

  @Option(
      names = "--warmup-epochs",
      paramLabel = "N",
      description = "Raise the learning rate linearly over the first N epochs.")
  Integer warmupEpochs;

  @Option(
      names = "--batch-size",
      paramLabel = "N|full",
      description = "Override the batch size: a number (1 is stochastic) or 'full'.")
  String batchSize;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Override the seed of the initial weights, the shuffling and the splits.")
  Long seed;

  @Option(
      names = "--early-stopping",
      paramLabel = "MONITOR",
      description =
          "Stop when this stops improving: loss, accuracy, val-loss or val-accuracy (the val-"
              + " ones need --validation-split); the best epoch's weights are kept.")
  String earlyStopping;

  @Option(
      names = "--patience",
      paramLabel = "N",
      defaultValue = "3",
      description = "Epochs without improvement before early stopping (default ${DEFAULT-VALUE}).")
  int patience;

  @Option(
      names = "--min-delta",
      paramLabel = "D",
      defaultValue = "0",
      description = "Smallest change that counts as an improvement (default ${DEFAULT-VALUE}).")
  double minDelta;

  @Option(
      names = "--no-restore-best",
      description = "With --early-stopping, keep the last epoch's weights rather than the best.")
  boolean noRestoreBest;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "N",
      description = "Save the model every N epochs into --checkpoint-dir.")
  Integer checkpointEvery;

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "DIR",
      defaultValue = "checkpoints",
      description = "Directory for checkpoints (default ${DEFAULT-VALUE}).")
  Path checkpointDir;

  @Option(
      names = "--resume",
      description =
          "Continue from the newest checkpoint in --checkpoint-dir (same data and options),"
              + " ending with the same weights as a run never stopped.")
  boolean resume;

  @Option(
      names = "--keep-checkpoints",
      paramLabel = "K",
      defaultValue = "3",
      description = "Keep only the last K checkpoints (default ${DEFAULT-VALUE}).")
  int keepCheckpoints;

  @Option(
      names = "--init-weights",
      paramLabel = "FILE",
      description = "Start from these weights (nerve-weights JSON) instead of random ones.")
  Path initWeights;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description =
          "Save the trained model (manifest + weights; see 'nerve inspect') to this file.")
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
          "Save the loss per iteration: CSV (iteration,epoch,batch,loss) or, for a .json name,"
              + " every per-epoch series too.")
  Path history;

  @Mixin ReportOptions reportOptions;

  @Option(
      names = "--log-every",
      paramLabel = "N",
      description = "Print a progress line every N epochs (default: about ten lines).")
  Integer logEvery;

  @Mixin OutputMode mode;

  @Option(
      names = {"-f", "--force"},
      description = "Replace output files that already exist.")
  boolean force;

  /** Training data and where it came from. */
  private record Source(
      Dataset train, Dataset test, String description, String sha256, Map<String, Object> meta) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    checkOptions();
    Outputs.checkWritable(output, force, "--output");
    Outputs.checkWritable(saveWeights, force, "--save-weights");
    Outputs.checkWritable(history, force, "--history");
    reportOptions.checkWritable(force);
    checkMoreOptions();
    checkCheckpointDir();

    Examples ex = null;
    ModelSpec base;
    if (data == null) {
      ex = example == null ? Examples.TUTORIAL1 : Examples.of(example);
      base = ex.spec();
    } else {
      try {
        base = ModelSpec.read(network);
      } catch (IOException e) {
        throw Main.io(network.toString(), e);
      }
    }
    ModelSpec s = overrides(base);
    long loadStart = System.nanoTime();
    Source src = ex != null ? exampleSource(ex) : fileSource(s);
    double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
    Dataset all = src.train;
    Dataset test = src.test;
    Dataset validation = null;
    Dataset train = all;
    double v = validationSplit == null ? 0 : validationSplit;
    double t = testSplit == null ? 0 : testSplit;
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
      for (int i = 0; i < parts.length; i++) {
        if (parts[i].size() == 0) {
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
      throw new CliException(ExitCodes.BAD_INPUT, "no examples to train on in " + src.description);
    }
    if (earlyStopping != null
        && EarlyStopping.Monitor.of(earlyStopping).id().endsWith("accuracy")
        && Double.isNaN(Evaluation.accuracy(train.y(), train.y()))) {
      throw new CliException(
          ExitCodes.USAGE,
          "--early-stopping "
              + earlyStopping
              + " needs class targets; these are numbers (use loss or val-loss)");
    }
    Normalizer normalizer =
        normalizer(train.features(), ex != null ? ex.fashion() : DataFiles.isIdx(data));
    train = train.normalized(normalizer);
    validation = validation == null ? null : validation.normalized(normalizer);
    test = test == null ? null : test.normalized(normalizer);

    Sequential net = s.build();
    if (initWeights != null) {
      try {
        Weights.read(initWeights, net);
      } catch (IOException e) {
        throw Main.io(initWeights.toString(), e);
      }
    } else if (!startFromGivenWeights(net, ex)) {
      net.initialize(s.seed());
    }
    Loss loss = Loss.named(s.loss());
    Optimizer opt =
        Optimizer.named(
            s.optimizer(),
            net.parameters(),
            s.learningRate(),
            weightDecay == null ? -1f : weightDecay);
    LearningRateSchedule schedule = schedule(s.epochs());

    Map<String, Object> meta = new LinkedHashMap<>(src.meta);
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("data", src.description);
    training.put("data_sha256", src.sha256);
    training.put("examples", train.size());
    training.put("validation_examples", validation == null ? 0 : validation.size());
    training.put("test_examples", test == null ? 0 : test.size());
    training.put("seed", s.seed());
    training.put("optimizer", opt.toString());
    if (lrSchedule != null || warmupEpochs != null) {
      training.put("schedule", scheduleDescription(s.epochs()));
    }
    if (clipNorm != null || clipValue != null) {
      training.put("gradient_clipping", "norm " + clipNorm + ", value " + clipValue);
    }
    training.put("normalization", normalizer.toString());
    if (earlyStopping != null) {
      training.put(
          "early_stopping",
          earlyStopping
              + ", patience "
              + patience
              + ", min delta "
              + minDelta
              + (noRestoreBest ? "" : ", restore best"));
    }
    if (weightDecay != null) {
      training.put("weight_decay", weightDecay);
    }
    meta.put("training", training);
    TrainingState resumed = resume ? resumeInto(net, s, meta, out) : null;

    if (mode.human()) {
      out.println(net.summary());
      out.printf(
          Locale.ROOT,
          "read %s in %.2f s%ntraining on %d examples%s: %s, %s, batch %s, %d epochs, seed %d,"
              + " %s, matrix multiply %s%n",
          src.description,
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
    Trainer.Builder tb =
        Trainer.builder(net, loss, opt)
            .epochs(s.epochs())
            .batchSize(s.batchSize())
            .shuffle(s.seed())
            .validation(validation)
            .resumeFrom(resumed);
    tb.learningRateSchedule(schedule);
    if (clipNorm != null) {
      tb.clipGradientNorm(clipNorm);
    }
    if (clipValue != null) {
      tb.clipGradientValue(clipValue);
    }
    if (earlyStopping != null) {
      tb.earlyStopping(
          new EarlyStopping(
              EarlyStopping.Monitor.of(earlyStopping), patience, minDelta, !noRestoreBest));
    }
    if (checkpointEvery != null) {
      tb.listener(
          new Checkpoints(
              checkpointDir, checkpointEvery, keepCheckpoints, s, net, normalizer, meta));
    }
    addListeners(tb, (long) s.epochs() * Batcher.batchesPerEpoch(train.size(), s.batchSize()));
    if (mode.json) {
      tb.listener(new JsonLines(out));
    } else if (!mode.quiet) {
      tb.listener(
          Progress.forConsole(
              out,
              logEvery != null ? Math.max(1, logEvery) : ProgressLines.defaultEvery(s.epochs())));
    }
    long t0 = System.nanoTime();
    History h;
    try {
      h = tb.build().fit(train);
    } catch (UncheckedIOException e) {
      throw Main.io("checkpoint", e.getCause());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;

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
    List<String> classes = meta.get("classes") instanceof List<?> l ? Columns.strings(l) : null;
    if (mode.json) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("event", "result");
      r.put("load_seconds", loadSeconds);
      r.put("seconds", seconds);
      r.put("epochs_run", h.epochCount());
      r.put("best_epoch", h.bestEpoch());
      r.put("train", Results.json(trainEval, classes));
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
        if (!mode.quiet) {
          out.print(Results.text(testEval, classes));
        }
      }
      if (ex != null && !ex.fashion()) {
        out.println("outputs for the training inputs:");
        out.println(Numpy.format(net.predict(train.x())));
      }
    }
    writeOutputs(s, net, normalizer, h, meta, out);
    reportOptions.write(
        new ReportOptions.Run(
            ex != null ? "example " + ex.id : String.valueOf(data),
            s,
            net,
            opt.toString(),
            normalizer,
            src.sha256,
            src.description,
            train.size(),
            validation == null ? 0 : validation.size(),
            h,
            test != null ? testEval : trainEval,
            test != null ? "test" : "training",
            classes,
            seconds),
        mode.human() ? out : null);
    afterTraining(out);
    out.flush();
    return ExitCodes.OK;
  }

  /** Checks a subcommand's own options before any work is done. */
  void checkMoreOptions() {}

  /**
   * Sets given starting weights instead of drawing them from the seed; returns whether it did.
   * Training always draws them (or reads {@code --init-weights}).
   */
  boolean startFromGivenWeights(Sequential net, Examples example) {
    return false;
  }

  /** Adds a subcommand's listeners to the run of {@code iterations} updates. */
  void addListeners(Trainer.Builder builder, long iterations) {}

  /** Runs after training and every output of {@code nerve train} is written. */
  void afterTraining(PrintWriter out) {}

  /** Whether the output is for a person (not {@code --json}, not {@code --quiet}). */
  boolean humanOutput() {
    return mode.human();
  }

  /** Whether {@code --quiet} was given. */
  boolean quietOutput() {
    return mode.quiet;
  }

  /** Whether {@code --seed} was given. */
  boolean seedGiven() {
    return seed != null;
  }

  /** Whether {@code --force} was given. */
  boolean forced() {
    return force;
  }

  private void checkOptions() {
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
    if (labels != null && data == null) {
      throw new CliException(ExitCodes.USAGE, "--labels needs --data (the IDX images)");
    }
    if (testLabels != null && testData == null) {
      throw new CliException(ExitCodes.USAGE, "--test-labels needs --test-data");
    }
    if (testData != null && testSplit != null) {
      throw new CliException(ExitCodes.USAGE, "give --test-data or --test-split, not both");
    }
    for (Double f : new Double[] {validationSplit, testSplit}) {
      if (f != null && !(f > 0 && f < 1)) {
        throw new CliException(
            ExitCodes.USAGE, "--validation-split and --test-split must be between 0 and 1");
      }
    }
    double total =
        (validationSplit == null ? 0 : validationSplit) + (testSplit == null ? 0 : testSplit);
    if (total >= 1) {
      throw new CliException(
          ExitCodes.USAGE, "--validation-split and --test-split leave nothing to train on");
    }
    if (earlyStopping != null) {
      EarlyStopping.Monitor m;
      try {
        m = EarlyStopping.Monitor.of(earlyStopping);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, "--early-stopping: " + e.getMessage());
      }
      if (m.needsValidation() && validationSplit == null) {
        throw new CliException(
            ExitCodes.USAGE, "--early-stopping " + earlyStopping + " needs --validation-split");
      }
      if (patience < 1) {
        throw new CliException(ExitCodes.USAGE, "--patience must be at least 1, got " + patience);
      }
      if (!(minDelta >= 0) || !Double.isFinite(minDelta)) {
        throw new CliException(ExitCodes.USAGE, "--min-delta must be 0 or more, got " + minDelta);
      }
    }
    for (Float v : new Float[] {weightDecay, clipNorm, clipValue}) {
      if (v != null && (!(v >= 0f) || !Float.isFinite(v))) {
        throw new CliException(
            ExitCodes.USAGE,
            "--weight-decay, --clip-norm and --clip-value must be 0 or positive, got " + v);
      }
    }
    if (checkpointEvery != null && checkpointEvery < 1) {
      throw new CliException(
          ExitCodes.USAGE, "--checkpoint-every must be at least 1, got " + checkpointEvery);
    }
    if (keepCheckpoints < 1) {
      throw new CliException(
          ExitCodes.USAGE, "--keep-checkpoints must be at least 1, got " + keepCheckpoints);
    }
    if (scale != null && !"scale".equals(normalize)) {
      throw new CliException(ExitCodes.USAGE, "--scale goes with --normalize scale");
    }
    if (scale != null && (!Float.isFinite(scale) || scale == 0f)) {
      throw new CliException(
          ExitCodes.USAGE, "--scale must be a finite number other than 0, got " + scale);
    }
  }

  /** The --lr-schedule and --warmup-epochs options as a schedule, or null for a constant rate. */
  /** The schedule with every setting that shapes it, so a resume can tell it is the same. */
  private String scheduleDescription(int epochs) {
    String after =
        lrSchedule == null
            ? "constant"
            : switch (lrSchedule) {
              case "step" ->
                  "step every " + lrStep + " epochs by " + (lrGamma == null ? 0.1f : lrGamma);
              case "exponential" -> "exponential by " + (lrGamma == null ? 0.95f : lrGamma);
              case "cosine" ->
                  "cosine over "
                      + Math.max(1, epochs - (warmupEpochs == null ? 0 : warmupEpochs))
                      + " epochs to "
                      + lrMin;
              case "plateau" ->
                  "plateau by "
                      + (lrGamma == null ? 0.1f : lrGamma)
                      + ", patience "
                      + lrPatience
                      + ", minimum "
                      + lrMin;
              default -> lrSchedule;
            };
    return (warmupEpochs != null ? "warm-up " + warmupEpochs + " epochs, then " : "") + after;
  }

  private LearningRateSchedule schedule(int epochs) {
    try {
      LearningRateSchedule s =
          lrSchedule == null
              ? null
              : switch (lrSchedule) {
                case "step" -> LearningRateSchedule.step(lrStep, lrGamma == null ? 0.1f : lrGamma);
                case "exponential" ->
                    LearningRateSchedule.exponential(lrGamma == null ? 0.95f : lrGamma);
                case "cosine" ->
                    LearningRateSchedule.cosine(
                        Math.max(1, epochs - (warmupEpochs == null ? 0 : warmupEpochs)), lrMin);
                case "plateau" ->
                    LearningRateSchedule.reduceOnPlateau(
                        lrGamma == null ? 0.1f : lrGamma, lrPatience, lrMin);
                default ->
                    throw new IllegalArgumentException(
                        "unknown schedule '"
                            + lrSchedule
                            + "' (choose step, exponential, cosine or plateau)");
              };
      if (warmupEpochs != null) {
        s =
            LearningRateSchedule.warmup(
                warmupEpochs, s == null ? LearningRateSchedule.constant() : s);
      }
      return s;
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "--lr-schedule: " + e.getMessage());
    }
  }

  /** Checkpoints never replace an earlier run's files without --force, and the place must fit. */
  /**
   * Loads the newest readable checkpoint of --checkpoint-dir into {@code net} and returns its
   * training state, after checking it was made by this network on this data with these options.
   */
  private TrainingState resumeInto(
      Sequential net, ModelSpec s, Map<String, Object> meta, PrintWriter out) {
    List<Checkpoints.Checkpoint> all;
    try {
      all = Checkpoints.list(checkpointDir);
    } catch (IOException e) {
      throw Main.io(checkpointDir.toString(), e);
    }
    if (all.isEmpty()) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "--resume: no complete checkpoint in "
              + checkpointDir
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
      // Compared as JSON text (numbers read back are not the Integers written): the data's
      // columns, target and classes, and under "training" its SHA-256 and every option that
      // shapes the run. Not compared: the data's path, and a separate test set's size.
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
      PrintWriter err = spec.commandLine().getErr();
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
        "--resume: every checkpoint in " + checkpointDir + " is damaged: " + skipped);
  }

  /** A run's metadata as JSON text, without what may differ between a run and its resumption. */
  private String comparable(Map<String, Object> meta) {
    Map<String, Object> m = new LinkedHashMap<>();
    meta.forEach((k, v) -> m.put(String.valueOf(k), v));
    m.remove("epoch");
    m.remove("final_loss");
    m.remove("trained_on");
    Map<String, Object> t = new LinkedHashMap<>();
    if (m.get("training") instanceof Map<?, ?> tm) {
      tm.forEach((k, v) -> t.put(String.valueOf(k), v));
    }
    t.remove("data");
    if (testData != null) {
      t.remove("test_examples");
    }
    m.put("training", t);
    return Json.writeLine(m);
  }

  private void checkCheckpointDir() {
    if (resume && checkpointEvery == null) {
      throw new CliException(
          ExitCodes.USAGE,
          "--resume needs --checkpoint-every N, so that the resumed run keeps checkpointing");
    }
    if (checkpointEvery == null || resume) {
      return;
    }
    if (Files.exists(checkpointDir) && !Files.isDirectory(checkpointDir)) {
      throw new CliException(
          ExitCodes.USAGE, "--checkpoint-dir " + checkpointDir + " is a file, not a directory");
    }
    if (force || !Files.isDirectory(checkpointDir)) {
      return;
    }
    try (var files = Files.list(checkpointDir)) {
      java.util.Optional<Path> old =
          files
              .filter(f -> f.getFileName().toString().matches("epoch-\\d+(\\.nerve)?"))
              .findFirst();
      if (old.isPresent()) {
        throw new CliException(
            ExitCodes.EXISTS,
            "--checkpoint-dir "
                + checkpointDir
                + " already holds checkpoints ("
                + old.get().getFileName()
                + "); use --resume to continue that run, --force to replace them, or another"
                + " directory");
      }
    } catch (IOException e) {
      throw Main.io(checkpointDir.toString(), e);
    }
  }

  private Normalizer normalizer(Features train, boolean images) {
    String kind = normalize != null ? normalize : images ? "scale" : "none";
    Normalizer.Kind k;
    try {
      k = Normalizer.Kind.of(kind);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "--normalize: " + e.getMessage());
    }
    try {
      return k == Normalizer.Kind.SCALE
          ? Normalizer.scale(scale != null ? scale : 1f / 255)
          : Normalizer.fit(k, train);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "--normalize " + kind + ": " + e.getMessage());
    }
  }

  private Source exampleSource(Examples ex) {
    Map<String, Object> meta = new LinkedHashMap<>();
    ModelSpec s = ex.spec();
    if (ex.fashion()) {
      meta.put("input_format", "idx");
      meta.put("classes", Examples.FASHION_CLASSES);
      meta.put("trained_on", "built-in example " + ex.id);
      return new Source(
          ex.train(),
          ex.test(),
          "Fashion-MNIST (" + Examples.FASHION_DIR + ")",
          DataFiles.sha256(ex.files()),
          meta);
    }
    List<Object> inputs = new ArrayList<>();
    for (int i = 1; i <= s.inputs(); i++) {
      inputs.add(Map.of("name", "x" + i, "kind", "numeric"));
    }
    meta.put("inputs", inputs);
    meta.put("target", "y");
    meta.put("trained_on", "built-in example " + ex.id);
    Dataset d = ex.train();
    return new Source(d, null, "built-in example " + ex.id, tensorHash(d), meta);
  }

  private static String tensorHash(Dataset d) {
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(4 * (d.x().size() + d.y().size()))
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(d.x().data()).put(d.y().data());
    return DataFiles.sha256(b.array());
  }

  private Source fileSource(ModelSpec s) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("trained_on", data.toString());
    boolean classify = s.loss().equals(SoftmaxCrossEntropy.NAME);
    Dataset train;
    Dataset test = null;
    String sha;
    if (labels != null || DataFiles.isIdx(data)) {
      if (labels == null) {
        throw new CliException(
            ExitCodes.USAGE, data + " is an IDX file: give its labels with --labels");
      }
      if (target != null) {
        throw new CliException(ExitCodes.USAGE, "--target is for CSV data, not IDX");
      }
      train = readIdx(data, labels, s);
      if (testData != null) {
        if (testLabels == null) {
          throw new CliException(ExitCodes.USAGE, "--test-data is IDX: give --test-labels too");
        }
        test = readIdx(testData, testLabels, s);
      }
      List<String> classes = new ArrayList<>();
      for (int c = 0; c < s.outputs(); c++) {
        classes.add(Integer.toString(c));
      }
      meta.put("input_format", "idx");
      meta.put("classes", classes);
      sha = DataFiles.sha256(data, labels);
      return new Source(train, test, data + " + " + labels, sha, meta);
    }
    CsvTable t = CsvTable.read(data);
    int tcol = target == null ? t.header.size() - 1 : t.column(target);
    Columns cols = Columns.fit(t, t.allBut(tcol), categorical);
    if (cols.width() != s.inputs()) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "the network in "
              + network
              + " takes "
              + s.inputs()
              + " inputs but the input columns of "
              + data
              + " ("
              + cols.describe()
              + ") give "
              + cols.width()
              + " besides the target '"
              + t.header.get(tcol)
              + "'");
    }
    List<String> classes = null;
    if (classify) {
      classes = t.labels(tcol);
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
      meta.put("classes", classes);
    } else if (s.outputs() != 1) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "the network in "
              + network
              + " has "
              + s.outputs()
              + " outputs; a numeric target column needs 1 (use loss"
              + " softmax_cross_entropy to predict classes)");
    }
    meta.put("inputs", cols.toJson());
    meta.put("target", t.header.get(tcol));
    train = new Dataset(cols.encode(t), targets(t, tcol, classes));
    if (testData != null) {
      if (testLabels != null || DataFiles.isIdx(testData)) {
        throw new CliException(ExitCodes.USAGE, "--test-data must be CSV like --data");
      }
      CsvTable tt = CsvTable.read(testData);
      test = new Dataset(cols.encode(tt), targets(tt, tt.column(t.header.get(tcol)), classes));
    }
    return new Source(train, test, data.toString(), DataFiles.sha256(data), meta);
  }

  private static Tensor targets(CsvTable t, int col, List<String> classes) {
    return classes != null ? t.oneHot(col, classes) : t.numbers(new int[] {col});
  }

  private Dataset readIdx(Path images, Path lab, ModelSpec s) {
    Dataset d;
    try {
      d = Idx.readDataset(images, lab, s.outputs());
    } catch (IOException e) {
      throw Main.io(images + " / " + lab, e);
    }
    if (d.features().cols() != s.inputs()) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "the network in "
              + network
              + " takes "
              + s.inputs()
              + " inputs"
              + (s.inputShape().size() > 1 ? " (" + s.inputShape() + ")" : "")
              + " but "
              + images
              + " holds images of "
              + d.features().cols()
              + " values");
    }
    return d;
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
    String opt = optimizer != null ? optimizer : b.optimizer();
    try {
      Optimizer.named(opt, List.of(), 0.1f);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "--optimizer: " + e.getMessage());
    }
    return new ModelSpec(
        b.inputShape(),
        b.layers(),
        b.loss(),
        learningRate != null ? learningRate : b.learningRate(),
        epochs != null ? epochs : b.epochs(),
        batch,
        seed != null ? seed : b.seed(),
        opt);
  }

  private void writeOutputs(
      ModelSpec s,
      Sequential net,
      Normalizer normalizer,
      History h,
      Map<String, Object> meta,
      PrintWriter out) {
    try {
      if (output != null) {
        new ModelFile(s, net, normalizer, meta).write(output);
        if (mode.human()) {
          out.println("model saved to " + output);
        }
      }
      if (saveWeights != null) {
        Weights.write(net, saveWeights);
        if (mode.human()) {
          out.println("weights saved to " + saveWeights);
        }
      }
      if (history != null) {
        AtomicFiles.writeString(history, historyText(h));
        if (mode.human()) {
          out.println("history saved to " + history);
        }
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
      doc.put("epoch_loss", Results.finite(h.epochLosses()));
      doc.put("epoch_accuracy", Results.finite(h.trainAccuracies()));
      doc.put("validation_loss", Results.finite(h.validationLosses()));
      doc.put("validation_accuracy", Results.finite(h.validationAccuracies()));
      doc.put("epoch_seconds", h.epochSeconds());
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
