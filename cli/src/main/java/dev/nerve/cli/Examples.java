package dev.nerve.cli;

import dev.nerve.audio.SpokenDigits;
import dev.nerve.data.Dataset;
import dev.nerve.examples.EchoBits;
import dev.nerve.examples.FashionMnist;
import dev.nerve.examples.Fortunes;
import dev.nerve.examples.LeNet;
import dev.nerve.examples.SpokenDigitNets;
import dev.nerve.examples.TextTransformer;
import dev.nerve.examples.Tutorial1;
import dev.nerve.examples.Tutorial2;
import dev.nerve.examples.WordLanguages;
import dev.nerve.io.ModelFile;
import dev.nerve.io.ModelSpec;
import dev.nerve.text.TextDatasets;
import dev.nerve.text.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in examples of {@code nerve train --example}: the two tutorials, as core defines them,
 * and two networks on Fashion-MNIST from the Debian package {@code dataset-fashion-mnist}.
 */
enum Examples {
  /** Tutorial 1: 4-3-1 sigmoid with biases, half squared error, lr 0.1, 5000 epochs. */
  TUTORIAL1("tutorial1"),
  /** Tutorial 2: 3-4-1 sigmoid without biases, sum of squares, lr 1, 1500 iterations. */
  TUTORIAL2("tutorial2"),
  /** Fashion-MNIST: 784-256-128-10 ReLU, softmax cross-entropy, Adam 1e-3, batch 64, 10 epochs. */
  FASHION_MNIST("fashion-mnist"),
  /** LeNet-5 on Fashion-MNIST: two 5×5 convolutions with max pooling, then 120-84-10. */
  LENET("lenet"),
  /** Echo a bit one step late: a 2-unit RNN, small enough to follow by hand (nerve trace). */
  ECHO("echo"),
  /** Which language is this word? A character-level GRU on Debian's word lists. */
  LANGUAGE("language"),
  /** A character-level LSTM language model on Debian's fortunes. */
  TEXT("text"),
  /** A small causal character-level transformer on the same fortunes, windows and split. */
  TEXT_TRANSFORMER("text-transformer"),
  /** Spoken digits synthesised by eSpeak NG: log-mel features into a Conv1d network. */
  SPOKEN_DIGITS("spoken-digits"),
  /** The same spoken digits into a small transformer over the frames. */
  SPOKEN_DIGITS_TRANSFORMER("spoken-digits-transformer");

  /** The gradient-norm limit of the text example (as char-rnn clips). */
  static final float TEXT_CLIP_NORM = 5f;

  /** The gradient-norm limit of the text transformer example (as GPT-style training clips). */
  static final float TRANSFORMER_CLIP_NORM = 1f;

  /** The part of the words the language example tests on, unless --test-split says. */
  static final double LANGUAGE_TEST_SPLIT = 0.2;

  /** The part of the text the text example validates on, unless --validation-split says. */
  static final double TEXT_VALIDATION_SPLIT = 0.1;

  /** Where Debian's dataset-fashion-mnist package puts the files. */
  static final Path FASHION_DIR = FashionMnist.DEFAULT_DIR;

  /** The ten Fashion-MNIST classes, in label order. */
  static final List<String> FASHION_CLASSES = FashionMnist.CLASSES;

  final String id;

  Examples(String id) {
    this.id = id;
  }

  /** The example named {@code id}, or a usage error listing them. */
  static Examples of(String id) {
    for (Examples e : values()) {
      if (e.id.equals(id)) {
        return e;
      }
    }
    throw new CliException(
        ExitCodes.USAGE,
        "unknown example '"
            + id
            + "'; choose tutorial1, tutorial2, fashion-mnist, lenet, echo, language, text,"
            + " text-transformer, spoken-digits or spoken-digits-transformer");
  }

  /** The network and its training settings. */
  ModelSpec spec() {
    return switch (this) {
      case TUTORIAL1 -> Tutorial1.spec();
      case TUTORIAL2 -> Tutorial2.spec();
      case FASHION_MNIST -> FashionMnist.spec();
      case LENET -> LeNet.spec();
      case ECHO -> EchoBits.spec();
      case SPOKEN_DIGITS -> SpokenDigitNets.conv();
      case SPOKEN_DIGITS_TRANSFORMER -> SpokenDigitNets.transformer();
      case LANGUAGE, TEXT, TEXT_TRANSFORMER ->
          throw new IllegalStateException(id + ": the network's sizes come from the data");
    };
  }

  /** Whether the example reads text (its network's sizes come from the vocabulary). */
  boolean text() {
    return this == LANGUAGE || this == TEXT || this == TEXT_TRANSFORMER;
  }

  /** A text example's network, data, splits and metadata. */
  TextData.Prepared textData(TrainOptions o) {
    try {
      return this == LANGUAGE ? language(o) : fortunes(o);
    } catch (IOException e) {
      throw new CliException(ExitCodes.IO, e.getMessage());
    }
  }

  private static TextData.Prepared language(TrainOptions o) throws IOException {
    long seed = o.seed != null ? o.seed : 0;
    WordLanguages.Words w = WordLanguages.read(WordLanguages.WORDS_PER_LANGUAGE, seed);
    Tokenizer tok = WordLanguages.tokenizer(w);
    Dataset all = WordLanguages.dataset(w, tok);
    ModelSpec spec = o.overrides(WordLanguages.spec(tok.size(), all.inputShape().dim(0)));
    double t = o.testSplit != null ? o.testSplit : LANGUAGE_TEST_SPLIT;
    double v = o.validationSplit != null ? o.validationSplit : 0;
    Dataset[] parts = v > 0 ? all.split(seed, 1 - v - t, v, t) : all.split(seed, 1 - t, t);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("trained_on", "built-in example language");
    m.put("classes", WordLanguages.classes());
    m.put("target", "language");
    m.put(TextData.TASK, TextData.CLASSIFICATION);
    m.put(TextData.TEXT_COLUMN, "word");
    m.put(ModelFile.TOKENIZER, tok.toJson());
    Path[] files =
        WordLanguages.SOURCES.stream().map(WordLanguages.Source::file).toArray(Path[]::new);
    TrainingData.Source src =
        new TrainingData.Source(
            parts[0],
            parts[parts.length - 1],
            "Debian word lists ("
                + all.size()
                + " words of "
                + WordLanguages.SOURCES.size()
                + " languages, "
                + tok
                + ")",
            DataFiles.sha256(files),
            m);
    return new TextData.Prepared(
        spec, parts[0], v > 0 ? parts[1] : null, parts[parts.length - 1], src);
  }

  private TextData.Prepared fortunes(TrainOptions o) throws IOException {
    String text = Fortunes.read();
    double v = o.validationSplit != null ? o.validationSplit : TEXT_VALIDATION_SPLIT;
    double t = o.testSplit != null ? o.testSplit : 0;
    int n = text.length();
    int trainEnd = TextData.safeCut(text, (int) Math.round(n * (1 - v - t)));
    int validationEnd = TextData.safeCut(text, (int) Math.round(n * (1 - t)));
    Tokenizer tok = Fortunes.tokenizer(text.substring(0, trainEnd));
    ModelSpec spec =
        o.overrides(
            this == TEXT_TRANSFORMER
                ? TextTransformer.spec(tok.size())
                : Fortunes.spec(tok.size()));
    int window = Fortunes.WINDOW;
    Dataset train =
        TextDatasets.languageModel(
            tok.encode(text.substring(0, trainEnd)), window, window, tok.size());
    Dataset validation =
        v > 0
            ? TextDatasets.languageModel(
                tok.encode(text.substring(trainEnd, validationEnd)), window, window, tok.size())
            : null;
    Dataset test =
        t > 0
            ? TextDatasets.languageModel(
                tok.encode(text.substring(validationEnd)), window, window, tok.size())
            : null;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("trained_on", "built-in example " + id);
    m.put(TextData.TASK, TextData.LANGUAGE_MODEL);
    m.put(ModelFile.TOKENIZER, tok.toJson());
    TrainingData.Source src =
        new TrainingData.Source(
            train,
            test,
            "Debian fortunes (" + Fortunes.DIR + ", " + n + " characters, " + tok + ")",
            DataFiles.sha256(Fortunes.files()),
            m);
    return new TextData.Prepared(spec, train, validation, test, src);
  }

  /** Whether the example reads Fashion-MNIST (and so has a separate test set). */
  boolean fashion() {
    return this == FASHION_MNIST || this == LENET;
  }

  /** Whether the example reads the spoken digits (which have a test split by speaker). */
  boolean audio() {
    return this == SPOKEN_DIGITS || this == SPOKEN_DIGITS_TRANSFORMER;
  }

  /** Whether the example has a test set of its own (and is not a tutorial's few rows). */
  boolean hasTestSet() {
    return fashion() || audio();
  }

  /** The spoken digits' training and test examples, and where they were read. */
  record Audio(Dataset train, Dataset test, Path dir, int trainSpeakers, int testSpeakers) {}

  /**
   * The spoken digits from {@link SpokenDigitNets#defaultDir()}, synthesised there first if they
   * are not (eSpeak NG, about 16 s on 2 cores, once), as features in this example's layout.
   */
  Audio audioData(java.io.PrintWriter err) {
    Path dir = SpokenDigitNets.defaultDir();
    try {
      if (!Files.exists(dir.resolve(SpokenDigits.MANIFEST))) {
        err.println(
            "nerve: synthesising the spoken digits into "
                + dir
                + " with espeak-ng (once; set NERVE_DATA to keep them elsewhere) ...");
        err.flush();
        // No manifest: nothing complete is there (the manifest is written last), so a partial
        // set left by an interrupted run is replaced.
        SpokenDigits.generate(dir, SpokenDigits.Options.defaults(), true);
      }
      List<SpokenDigits.Example> all =
          SpokenDigits.load(
              dir,
              SpokenDigitNets.FEATURES,
              Math.max(1, Math.min(64, dev.nerve.tensor.kernel.Parallel.threads())));
      boolean framesFirst = this == SPOKEN_DIGITS_TRANSFORMER;
      List<SpokenDigits.Example> train = SpokenDigits.split(all, SpokenDigits.TRAIN);
      List<SpokenDigits.Example> test = SpokenDigits.split(all, SpokenDigits.TEST);
      return new Audio(
          SpokenDigits.dataset(train, framesFirst),
          SpokenDigits.dataset(test, framesFirst),
          dir,
          (int) train.stream().map(e -> e.clip().speaker()).distinct().count(),
          (int) test.stream().map(e -> e.clip().speaker()).distinct().count());
    } catch (IOException e) {
      throw new CliException(ExitCodes.IO, e.getMessage());
    }
  }

  /** The training data. */
  Dataset train() {
    return switch (this) {
      case TUTORIAL1 -> Tutorial1.data();
      case TUTORIAL2 -> Tutorial2.data();
      case FASHION_MNIST, LENET -> fashion("train");
      case ECHO -> EchoBits.data();
      case LANGUAGE, TEXT, TEXT_TRANSFORMER ->
          throw new IllegalStateException(id + ": see textData");
      case SPOKEN_DIGITS, SPOKEN_DIGITS_TRANSFORMER ->
          throw new IllegalStateException(id + ": see audioData");
    };
  }

  /** The test data (Fashion-MNIST only). */
  Dataset test() {
    return fashion("t10k");
  }

  /** The files the example reads, for the data hash; empty for the built-in tutorials. */
  Path[] files() {
    if (!fashion()) {
      return new Path[0];
    }
    return new Path[] {
      FASHION_DIR.resolve("train-images-idx3-ubyte.gz"),
      FASHION_DIR.resolve("train-labels-idx1-ubyte.gz")
    };
  }

  private static Dataset fashion(String part) {
    Path images = FASHION_DIR.resolve(part + "-images-idx3-ubyte.gz");
    Path labels = FASHION_DIR.resolve(part + "-labels-idx1-ubyte.gz");
    if (!Files.exists(images) || !Files.exists(labels)) {
      throw new CliException(
          ExitCodes.IO,
          "Fashion-MNIST is not installed at "
              + FASHION_DIR
              + "; install it with: sudo apt-get install dataset-fashion-mnist");
    }
    try {
      return FashionMnist.read(FASHION_DIR, part);
    } catch (IOException e) {
      throw Main.io(images.toString(), e);
    }
  }
}
