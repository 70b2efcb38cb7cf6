package dev.nerve.cli;

import dev.nerve.data.Dataset;
import dev.nerve.io.FormatException;
import dev.nerve.io.Json;
import dev.nerve.io.ModelFile;
import dev.nerve.io.ModelSpec;
import dev.nerve.nn.LayerSettings;
import dev.nerve.nn.LayerTypes;
import dev.nerve.text.TextDatasets;
import dev.nerve.text.TextFiles;
import dev.nerve.text.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Text for training and prediction: a language model on a text file ({@code --text-file}) or a
 * classifier on a CSV column of text ({@code --data} with {@code --text-column}). The tokenizer is
 * fitted on the training part only and saved in the model's metadata, with what the model reads
 * ({@link #TASK}).
 *
 * <p>A network JSON for text may write {@code "vocabulary"}, {@code "classes"} and {@code
 * "sequence_length"} where a number is expected; they are replaced by the tokenizer's size, the
 * number of classes and the input length before the network is read, so one file serves any text.
 */
final class TextData {
  /** The metadata key saying what a text model reads. */
  static final String TASK = "task";

  /** {@link #TASK} of a language model. */
  static final String LANGUAGE_MODEL = "language_model";

  /** {@link #TASK} of a text classifier. */
  static final String CLASSIFICATION = "text_classification";

  /** The metadata key of the CSV column a text classifier reads. */
  static final String TEXT_COLUMN = "text_column";

  private TextData() {}

  /** What a text run trains on: the network with its placeholders filled, and the data. */
  record Prepared(
      ModelSpec spec, Dataset train, Dataset validation, Dataset test, TrainingData.Source src) {}

  /** The tokenizer the options ask for, fitted on {@code texts}. */
  static Tokenizer fit(TrainOptions o, List<String> texts) {
    try {
      return o.tokenizerKind().equals("words")
          ? Tokenizer.fitWords(texts, o.minFrequency(), o.lowercase, o.maxVocabulary())
          : Tokenizer.fitCharacters(texts, o.minFrequency(), o.lowercase);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "tokenizer: " + e.getMessage());
    }
  }

  /** Reads the network JSON with its placeholders replaced and the options' overrides applied. */
  static ModelSpec spec(TrainOptions o, Map<String, Integer> values) {
    return o.overrides(spec(o.network, values));
  }

  /** Reads the network JSON with its placeholders replaced. */
  static ModelSpec spec(Path network, Map<String, Integer> values) {
    Object json;
    try {
      json = Json.parse(Files.readString(network, StandardCharsets.UTF_8), network.toString());
    } catch (IOException e) {
      throw Main.io(network.toString(), e);
    } catch (Json.JsonException e) {
      throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
    }
    try {
      return ModelSpec.fromJson(substitute(json, values), network.toString());
    } catch (FormatException e) {
      throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
    }
  }

  /** {@code json} with every string value that names a placeholder replaced by its number. */
  static Object substitute(Object json, Map<String, Integer> values) {
    if (json instanceof String s && values.containsKey(s)) {
      return values.get(s);
    }
    if (json instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, substitute(v, values)));
      return out;
    }
    if (json instanceof List<?> l) {
      return l.stream().map(v -> substitute(v, values)).toList();
    }
    return json;
  }

  /**
   * A language model on {@code --text-file}: windows of {@code --seq-length} characters (or words),
   * the next token at every step as the target. Validation and test are the end of the text (never
   * windows shuffled out of the middle), so no window of them was seen in training.
   */
  static Prepared languageModel(TrainOptions o) {
    String text;
    try {
      text = TextFiles.read(o.text);
    } catch (IOException e) {
      throw Main.io(o.text.toString(), e);
    }
    double v = o.validationSplit == null ? 0 : o.validationSplit;
    double t = o.testSplit == null ? 0 : o.testSplit;
    int chars = text.length();
    int trainEnd = safeCut(text, (int) Math.round(chars * (1 - v - t)));
    int validationEnd = safeCut(text, (int) Math.round(chars * (1 - t)));
    Tokenizer tok = fit(o, List.of(text.substring(0, trainEnd)));
    int window = o.seqLength();
    ModelSpec spec = spec(o, Map.of("vocabulary", tok.size(), "sequence_length", window));
    if (!spec.inputShape().equals(List.of(window))) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "the network in "
              + o.network
              + " takes "
              + spec.inputShape()
              + " per example; a language model over windows of --seq-length "
              + window
              + " tokens takes ["
              + window
              + "] (write \"inputs\": \"sequence_length\")");
    }
    if (!spec.outputShape().equals(dev.nerve.tensor.Shape.of(window, tok.size()))) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "the network in "
              + o.network
              + " gives "
              + spec.outputShape()
              + " per example; a language model gives the next token's logits at every step,"
              + " ["
              + window
              + ", "
              + tok.size()
              + "] (return_sequences: true, then a dense layer of"
              + " \"units\": \"vocabulary\")");
    }
    requireSoftmax(spec, o.network);
    for (Map<String, Object> j : allLayers(spec.layers())) {
      if (Boolean.TRUE.equals(j.get("bidirectional"))) {
        throw new CliException(
            ExitCodes.BAD_INPUT,
            "the network in "
                + o.network
                + " has a bidirectional '"
                + j.get("type")
                + "' layer: a language model must not read the tokens it predicts (the target at"
                + " a step is the next input)");
      }
      Object type = j.get("type");
      boolean attends =
          "multi_head_attention".equals(type)
              || "attention".equals(type)
              || "transformer_encoder".equals(type);
      if (attends && !Boolean.TRUE.equals(j.get("causal"))) {
        throw new CliException(
            ExitCodes.BAD_INPUT,
            "the network in "
                + o.network
                + " has a '"
                + type
                + "' layer without \"causal\": true: a language model must not let a position"
                + " see the tokens it predicts (the target at a step is the next input)");
      }
    }
    int streams = spec.batchSize();
    if (o.tbptt) {
      checkStateful(spec);
    }
    Dataset train = lmPart(o, text.substring(0, trainEnd), tok, window, streams, "training");
    Dataset validation =
        v > 0
            ? lmPart(o, text.substring(trainEnd, validationEnd), tok, window, 0, "validation")
            : null;
    Dataset test = t > 0 ? lmPart(o, text.substring(validationEnd), tok, window, 0, "test") : null;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("trained_on", o.text.toString());
    m.put(TASK, LANGUAGE_MODEL);
    m.put(ModelFile.TOKENIZER, tok.toJson());
    TrainingData.Source src =
        new TrainingData.Source(
            train,
            test,
            o.text + " (" + text.codePointCount(0, text.length()) + " characters, " + tok + ")",
            DataFiles.sha256(o.text),
            m);
    return new Prepared(spec, train, validation, test, src);
  }

  /** {@code at}, moved back so as not to split a surrogate pair. */
  static int safeCut(String s, int at) {
    at = Math.max(0, Math.min(s.length(), at));
    return at > 0 && at < s.length() && Character.isLowSurrogate(s.charAt(at)) ? at - 1 : at;
  }

  private static Dataset lmPart(
      TrainOptions o, String part, Tokenizer tok, int window, int streams, String what) {
    int[] ids = tok.encode(part);
    try {
      return streams > 0 && o.tbptt
          ? TextDatasets.streams(ids, window, streams, tok.size())
          : TextDatasets.languageModel(ids, window, window, tok.size());
    } catch (IllegalArgumentException e) {
      throw new CliException(
          ExitCodes.BAD_INPUT, o.text + ": the " + what + " part is too short: " + e.getMessage());
    }
  }

  /** Text models give logits for a softmax: perplexity, predict and generate assume it. */
  static void requireSoftmax(ModelSpec spec, Path network) {
    if (!spec.loss().equals(dev.nerve.loss.SoftmaxCrossEntropy.NAME)) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "the network in "
              + network
              + " has loss "
              + spec.loss()
              + "; a model of text predicts classes or tokens: use softmax_cross_entropy");
    }
  }

  /** Every layer's JSON, inner layers of composite ones included. */
  static List<Map<String, Object>> allLayers(List<LayerSettings> layers) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (LayerSettings l : layers) {
      walk(LayerTypes.toJson(l), out);
    }
    return out;
  }

  private static void walk(Map<String, Object> j, List<Map<String, Object>> out) {
    out.add(j);
    if (j.get("layers") instanceof List<?> inner) {
      for (Object o : inner) {
        if (o instanceof Map<?, ?> m) {
          @SuppressWarnings("unchecked")
          Map<String, Object> child = (Map<String, Object>) m;
          walk(child, out);
        }
      }
    }
  }

  /** With --tbptt every recurrent layer must carry its state from batch to batch. */
  static void checkStateful(ModelSpec spec) {
    boolean any = false;
    for (Map<String, Object> j : allLayers(spec.layers())) {
      if (j.containsKey("stateful")) {
        any = true;
        if (!Boolean.TRUE.equals(j.get("stateful"))) {
          throw new CliException(
              ExitCodes.USAGE,
              "--tbptt carries the state from one batch to the next: set \"stateful\": true on"
                  + " every recurrent layer (layer '"
                  + j.get("type")
                  + "' is not)");
        }
      }
    }
    if (!any) {
      throw new CliException(ExitCodes.USAGE, "--tbptt needs a recurrent layer");
    }
  }

  /**
   * A classifier on the CSV column {@code --text-column} of {@code --data}, the target {@code
   * --target} (default: the last other column). Texts are token ids padded to the longest (at most
   * {@code --max-length}), with their lengths.
   */
  static Prepared classification(TrainOptions o) {
    CsvTable t = CsvTable.read(o.data);
    int textCol = t.column(o.textColumn);
    int targetCol =
        o.target != null
            ? t.column(o.target)
            : textCol == t.header().size() - 1 ? t.header().size() - 2 : t.header().size() - 1;
    if (targetCol < 0 || targetCol == textCol) {
      throw new CliException(
          ExitCodes.USAGE,
          o.data + " needs a target column besides the text column '" + o.textColumn + "'");
    }
    List<String> texts = column(t, textCol, true);
    List<String> labels = column(t, targetCol, false);
    List<String> classes = new ArrayList<>(new TreeSet<>(labels));
    if (classes.size() < 2) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          o.data + ": column '" + t.header().get(targetCol) + "' has one class only");
    }
    int[] y = new int[labels.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = classes.indexOf(labels.get(i));
    }
    // Split first so the vocabulary is fitted on the training rows alone.
    double v = o.validationSplit == null ? 0 : o.validationSplit;
    double te = o.testSplit == null ? 0 : o.testSplit;
    // The split's seed is the run's: read before the vocabulary (and so the network) is known.
    long seed = spec(o, Map.of("vocabulary", 3, "classes", 2, "sequence_length", 1)).seed();
    int[] order = new int[texts.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    new dev.nerve.tensor.Rng(seed).shuffleInPlace(order);
    // Cumulative cut points, as Dataset.split: the parts never overlap nor run past the end.
    int trainEnd = (int) Math.round(order.length * (1 - v - te));
    int valEnd = (int) Math.min(order.length, Math.round(order.length * (1 - te)));
    int[] trainRows = Arrays.copyOfRange(order, 0, trainEnd);
    int[] valRows = Arrays.copyOfRange(order, trainEnd, valEnd);
    int[] testRows = Arrays.copyOfRange(order, valEnd, order.length);
    if (trainRows.length == 0
        || (v > 0 && valRows.length == 0)
        || (te > 0 && testRows.length == 0)) {
      throw new CliException(
          ExitCodes.USAGE, "the splits leave an empty part of " + order.length + " rows");
    }
    List<String> trainTexts = pick(texts, trainRows);
    Tokenizer tok = fit(o, trainTexts);
    int[][] all = new int[texts.size()][];
    int longest = 0;
    for (int i = 0; i < all.length; i++) {
      all[i] = tok.encode(texts.get(i));
      if (all[i].length == 0) {
        throw new CliException(
            ExitCodes.BAD_INPUT, t.where(i, textCol) + ": the text has no tokens");
      }
      if (all[i].length > o.maxLength()) {
        throw new CliException(
            ExitCodes.BAD_INPUT,
            t.where(i, textCol)
                + ": the text has "
                + all[i].length
                + " tokens, more than --max-length "
                + o.maxLength());
      }
      longest = Math.max(longest, all[i].length);
    }
    ModelSpec spec =
        spec(
            o,
            Map.of(
                "vocabulary", tok.size(), "classes", classes.size(), "sequence_length", longest));
    if (spec.inputShape().size() != 1) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "the network in "
              + o.network
              + " takes "
              + spec.inputShape()
              + " per example; text is one row of token ids (write \"inputs\":"
              + " \"sequence_length\")");
    }
    requireSoftmax(spec, o.network);
    int steps = spec.inputShape().get(0);
    if (steps < longest) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "the network in "
              + o.network
              + " reads "
              + steps
              + " tokens but the longest text has "
              + longest);
    }
    if (spec.outputs() != classes.size() || spec.outputShape().rank() != 1) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "the network in "
              + o.network
              + " gives "
              + spec.outputShape()
              + " per example but column '"
              + t.header().get(targetCol)
              + "' has "
              + classes.size()
              + " classes (write \"units\": \"classes\")");
    }
    Dataset data = TextDatasets.padded(all, steps, y, classes.size());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("trained_on", o.data.toString());
    m.put("classes", classes);
    m.put("target", t.header().get(targetCol));
    m.put(TASK, CLASSIFICATION);
    m.put(TEXT_COLUMN, o.textColumn);
    m.put(ModelFile.TOKENIZER, tok.toJson());
    Dataset train = data.subset(trainRows);
    Dataset validation = v > 0 ? data.subset(valRows) : null;
    Dataset test = te > 0 ? data.subset(testRows) : null;
    TrainingData.Source src =
        new TrainingData.Source(
            train,
            test,
            o.data + " (text column '" + o.textColumn + "', " + tok + ")",
            DataFiles.sha256(o.data),
            m);
    return new Prepared(spec, train, validation, test, src);
  }

  private static List<String> pick(List<String> all, int[] rows) {
    List<String> out = new ArrayList<>(rows.length);
    for (int r : rows) {
      out.add(all.get(r));
    }
    return out;
  }

  /** The cells of column {@code c}; an empty cell is an error naming its line. */
  static List<String> column(CsvTable t, int c, boolean text) {
    List<String> out = new ArrayList<>(t.rows());
    for (int r = 0; r < t.rows(); r++) {
      String v = t.cell(r, c);
      if (v.isBlank()) {
        throw new CliException(
            ExitCodes.BAD_INPUT,
            t.where(r, c) + ": empty " + (text ? "text" : "value") + " (every row needs one)");
      }
      out.add(v);
    }
    return out;
  }

  /** Texts as a model reads them: ids padded to its input length, lengths, unknown tokens. */
  record Encoded(dev.nerve.tensor.Tensor ids, int[] lengths, int unknown) {}

  /**
   * {@code texts} encoded for a model that reads {@code steps} tokens.
   *
   * @param where names text {@code i} in errors
   */
  static Encoded encode(
      Tokenizer tok, List<String> texts, int steps, java.util.function.IntFunction<String> where) {
    dev.nerve.tensor.Tensor x = dev.nerve.tensor.Tensor.zeros(texts.size(), steps);
    int[] lengths = new int[texts.size()];
    int unknown = 0;
    for (int i = 0; i < lengths.length; i++) {
      int[] ids = tok.encode(texts.get(i));
      if (ids.length == 0) {
        throw new CliException(ExitCodes.BAD_INPUT, where.apply(i) + ": the text is empty");
      }
      if (ids.length > steps) {
        throw new CliException(
            ExitCodes.BAD_INPUT,
            where.apply(i)
                + ": the text has "
                + ids.length
                + " tokens, more than the model's limit of "
                + steps);
      }
      unknown += Tokenizer.unknown(ids);
      for (int k = 0; k < ids.length; k++) {
        x.data()[i * steps + k] = ids[k];
      }
      lengths[i] = ids.length;
    }
    return new Encoded(x, lengths, unknown);
  }
}
