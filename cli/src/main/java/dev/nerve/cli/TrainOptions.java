package dev.nerve.cli;

import dev.nerve.data.Features;
import dev.nerve.data.Normalizer;
import dev.nerve.io.ModelSpec;
import dev.nerve.optim.Optimizer;
import dev.nerve.optim.ScheduleSpec;
import dev.nerve.train.EarlyStopping;
import dev.nerve.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options of a training run, shared by {@code nerve train} and {@code nerve trace} (a picocli
 * mixin): the data, the network and its overrides, the training policies, the outputs. Checks them
 * among themselves; {@link TrainingRun} carries the run out.
 */
final class TrainOptions {

  @Option(
      names = "--example",
      paramLabel = "NAME",
      description =
          "A built-in example: tutorial1 (the default when no --data), tutorial2,"
              + " fashion-mnist (a 784-256-128-10 MLP) or lenet (LeNet-5, convolutional), both"
              + " from the Debian package dataset-fashion-mnist; echo (a 2-unit RNN echoing a"
              + " bit one step late, the walkthrough's sequence example); language (a GRU on"
              + " Debian's word lists), text (an LSTM language model on Debian's fortunes),"
              + " text-transformer (a causal transformer on the same text); spoken-digits (a"
              + " Conv1d network on log-mel features of digits spoken by eSpeak NG, tested on"
              + " unheard speakers) or spoken-digits-transformer.")
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
      names = "--text-file",
      paramLabel = "FILE",
      description =
          "Train a language model on this UTF-8 text file (with --network): windows of"
              + " --seq-length tokens, the next token at every step as the target. Validation"
              + " and test splits are taken from the end of the text.")
  Path text;

  @Option(
      names = "--text-column",
      paramLabel = "COLUMN",
      description =
          "With a CSV --data: classify the text in this column (the target is --target, by"
              + " default the last other column).")
  String textColumn;

  @Option(
      names = "--tokenizer",
      paramLabel = "KIND",
      description = "How text is cut into tokens: chars or words (default chars).")
  String tokenizer;

  @Option(names = "--lowercase", description = "Lower-case text before cutting it into tokens.")
  boolean lowercase;

  @Option(
      names = "--min-frequency",
      paramLabel = "N",
      description =
          "Keep tokens seen at least N times in the training text; the others read as <unk>"
              + " (default 1).")
  Integer minFrequency;

  @Option(
      names = "--max-vocab",
      paramLabel = "N",
      description = "For --tokenizer words: keep the N-2 most frequent words (default: all).")
  Integer maxVocabulary;

  @Option(
      names = "--max-length",
      paramLabel = "N",
      description = "With --text-column: the longest text accepted, in tokens (default 512).")
  Integer maxLength;

  @Option(
      names = "--seq-length",
      paramLabel = "N",
      description = "With --text-file: tokens per language-model window (default 64).")
  Integer seqLength;

  @Option(
      names = "--tbptt",
      description =
          "Truncated backpropagation through time: the text is read as batch-size parallel"
              + " streams, in order, each batch continuing the last; recurrent layers must be"
              + " \"stateful\": true. The gradient stops at each window's start.")
  boolean tbptt;

  @Option(
      names = "--bucket-by-length",
      description = "Batch texts of similar length together, so batches carry less padding.")
  boolean bucketByLength;

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

  @Option(
      names = "--log-every",
      paramLabel = "N",
      description = "Print a progress line every N epochs (default: about ten lines).")
  Integer logEvery;

  @Option(
      names = {"-f", "--force"},
      description = "Replace output files that already exist.")
  boolean force;

  /** Whether the run trains on text (a language model or a text column). */
  boolean onText() {
    return text != null || textColumn != null;
  }

  private void checkText() {
    if (text != null && (data != null || textColumn != null)) {
      throw new CliException(
          ExitCodes.USAGE,
          "--text-file trains a language model on a text file; --data with --text-column classifies"
              + " a CSV column: give one");
    }
    if (text != null && network == null) {
      throw new CliException(ExitCodes.USAGE, "--text-file needs --network");
    }
    if (textColumn != null && data == null) {
      throw new CliException(ExitCodes.USAGE, "--text-column needs a CSV --data");
    }
    if (onText()
        && (normalize != null || scale != null || !categorical.isEmpty() || labels != null)) {
      throw new CliException(
          ExitCodes.USAGE,
          "--normalize, --scale, --categorical and --labels are for numbers and images, not text");
    }
    if (onText() && testData != null) {
      throw new CliException(ExitCodes.USAGE, "with text, hold out a test set with --test-split");
    }
    if (!onText()) {
      for (Object[] opt :
          new Object[][] {
            {"--tokenizer", tokenizer},
            {"--min-frequency", minFrequency},
            {"--max-vocab", maxVocabulary},
            {"--max-length", maxLength},
            {"--seq-length", seqLength},
            {"--lowercase", lowercase ? true : null},
            {"--tbptt", tbptt ? true : null},
            {"--bucket-by-length", bucketByLength ? true : null}
          }) {
        if (opt[1] != null) {
          throw new CliException(
              ExitCodes.USAGE,
              opt[0]
                  + " is for training on your own text (--text-file, or --data with"
                  + " --text-column)"
                  + (example != null ? "; the built-in examples keep their own recipe" : ""));
        }
      }
    }
    if (text != null && (maxLength != null || bucketByLength)) {
      throw new CliException(
          ExitCodes.USAGE,
          "--max-length and --bucket-by-length are for texts of different lengths (--text-column);"
              + " a language model reads windows of --seq-length");
    }
    if (textColumn != null && (seqLength != null || tbptt)) {
      throw new CliException(
          ExitCodes.USAGE, "--seq-length and --tbptt are for a language model on --text-file");
    }
    if (tokenizer != null && !List.of("chars", "characters", "words").contains(tokenizer)) {
      throw new CliException(
          ExitCodes.USAGE, "--tokenizer must be chars or words, got " + tokenizer);
    }
    if (maxVocabulary != null && !"words".equals(tokenizer)) {
      throw new CliException(ExitCodes.USAGE, "--max-vocab goes with --tokenizer words");
    }
    if (minFrequency() < 1) {
      throw new CliException(
          ExitCodes.USAGE, "--min-frequency must be at least 1, got " + minFrequency);
    }
    if (maxVocabulary != null
        && (maxVocabulary < 3 || maxVocabulary > dev.nerve.text.Tokenizer.MAX_VOCABULARY)) {
      throw new CliException(
          ExitCodes.USAGE,
          "--max-vocab must be from 3 to "
              + dev.nerve.text.Tokenizer.MAX_VOCABULARY
              + ", got "
              + maxVocabulary);
    }
    for (Integer v : new Integer[] {maxLength, seqLength}) {
      if (v != null && (v < 1 || v > 1 << 20)) {
        throw new CliException(
            ExitCodes.USAGE,
            "--max-length and --seq-length must be from 1 to " + (1 << 20) + ", got " + v);
      }
    }
  }

  /** --tokenizer, default chars. */
  String tokenizerKind() {
    return tokenizer == null ? "chars" : tokenizer;
  }

  /** --min-frequency, default 1. */
  int minFrequency() {
    return minFrequency == null ? 1 : minFrequency;
  }

  /** --max-vocab, default 0 (all). */
  int maxVocabulary() {
    return maxVocabulary == null ? 0 : maxVocabulary;
  }

  /** --max-length, default 512. */
  int maxLength() {
    return maxLength == null ? 512 : maxLength;
  }

  /** --seq-length, default 64. */
  int seqLength() {
    return seqLength == null ? 64 : seqLength;
  }

  /** Checks the options among themselves, before any work is done. */
  /**
   * Makes the input paths absolute against {@code dir}, the directory the command was run in: a
   * Spark worker reads them from its own working directory.
   */
  void resolveAgainst(Path dir) {
    network = absolute(dir, network);
    data = absolute(dir, data);
    text = absolute(dir, text);
    labels = absolute(dir, labels);
    testData = absolute(dir, testData);
    testLabels = absolute(dir, testLabels);
  }

  private static Path absolute(Path dir, Path p) {
    return p == null || p.isAbsolute() ? p : dir.resolve(p);
  }

  void check() {
    if (example != null && (network != null || data != null || text != null)) {
      throw new CliException(
          ExitCodes.USAGE, "--example cannot be combined with --network, --data or --text-file");
    }
    checkText();
    if (text == null && (network == null) != (data == null)) {
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

  /**
   * The --lr-schedule, --lr-* and --warmup-epochs options as one schedule.
   *
   * @throws CliException for a setting out of range
   */
  ScheduleSpec schedule() {
    try {
      return ScheduleSpec.of(lrSchedule, lrGamma, lrStep, lrMin, lrPatience, warmupEpochs);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "--lr-schedule: " + e.getMessage());
    }
  }

  /** Checkpoints never replace an earlier run's files without --force, and the place must fit. */
  void checkCheckpointDir() {
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

  /** The input normalisation asked for, fitted on {@code train} (IDX images: scale 1/255). */
  Normalizer normalizer(Features train, boolean images) {
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

  /** {@code b} with the settings the options override. */
  ModelSpec overrides(ModelSpec b) {
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
}
