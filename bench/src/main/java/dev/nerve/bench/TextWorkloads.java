package dev.nerve.bench;

import dev.nerve.data.Dataset;
import dev.nerve.examples.Fortunes;
import dev.nerve.examples.TextTransformer;
import dev.nerve.examples.WordLanguages;
import dev.nerve.io.Json;
import dev.nerve.io.ModelSpec;
import dev.nerve.loss.Loss;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Optimizer;
import dev.nerve.tensor.kernel.Parallel;
import dev.nerve.text.TextDatasets;
import dev.nerve.text.Tokenizer;
import dev.nerve.train.Evaluation;
import dev.nerve.train.Trainer;
import dev.nerve.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The text examples as benchmark workloads, exactly as {@code nerve train --example language},
 * {@code --example text} and {@code --example text-transformer} run them, and their data exported
 * (already encoded, already split) so that {@code bench/peers/torch_text.py} trains PyTorch on the
 * very same examples.
 */
final class TextWorkloads {
  private TextWorkloads() {}

  /** The language example's parts: training and test, as the CLI splits them. */
  static Dataset[] language() throws IOException {
    WordLanguages.Words w = WordLanguages.read(WordLanguages.WORDS_PER_LANGUAGE, 0);
    Tokenizer tok = WordLanguages.tokenizer(w);
    return WordLanguages.dataset(w, tok).split(0, 0.8, 0.2);
  }

  /** The text example's text cut 90% / 10%, and its tokenizer (fitted on the first part). */
  record Text(int[] train, int[] validation, Tokenizer tokenizer) {}

  static Text text() throws IOException {
    String all = Fortunes.read();
    int cut = (int) Math.round(all.length() * 0.9);
    Tokenizer tok = Fortunes.tokenizer(all.substring(0, cut));
    return new Text(tok.encode(all.substring(0, cut)), tok.encode(all.substring(cut)), tok);
  }

  /** The exported (encoded) data of {@link #export}, as PyTorch reads it. */
  private static Map<?, ?> exported(Path dir, String which) throws IOException {
    return (Map<?, ?>) Json.parse(Files.readString(dir.resolve(which + ".json")), which);
  }

  private static int[] ints(Object list) {
    List<?> l = (List<?>) list;
    int[] out = new int[l.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) l.get(i)).intValue();
    }
    return out;
  }

  /** The language example's words from the export: padded ids with lengths, one-hot labels. */
  private static Dataset words(Map<?, ?> m, String part, int steps) {
    List<?> seqs = (List<?>) m.get(part);
    int[][] ids = new int[seqs.size()][];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = ints(seqs.get(i));
    }
    return TextDatasets.padded(
        ids, steps, ints(m.get(part + "_labels")), ((Number) m.get("classes")).intValue());
  }

  /**
   * Trains one of the text examples and prints its JSON line. With {@code data} (the directory
   * {@link #export} wrote, as the harness passes it), the encoded data is read from there, exactly
   * as PyTorch reads it, so both processes' peak memory is training's; without, it is made from the
   * Debian packages as the examples make it.
   */
  static void train(String which, int epochs, int threads, Path data) throws IOException {
    Parallel.setThreads(threads);
    long t0 = System.nanoTime();
    Dataset train;
    Dataset test;
    ModelSpec spec;
    long tokens;
    if (data != null && which.equals("language")) {
      Map<?, ?> m = exported(data, which);
      train = words(m, "train", WordLanguages.MAX_LENGTH);
      test = words(m, "test", WordLanguages.MAX_LENGTH);
      spec =
          WordLanguages.spec(((Number) m.get("vocabulary")).intValue(), WordLanguages.MAX_LENGTH);
      tokens = 0;
      for (int l : train.lengthArray()) {
        tokens += l;
      }
    } else if (data != null) {
      Map<?, ?> m = exported(data, "charlm"); // the transformer reads the LSTM's very data
      int v = ((Number) m.get("vocabulary")).intValue();
      int w = ((Number) m.get("window")).intValue();
      train = TextDatasets.languageModel(ints(m.get("train")), w, w, v);
      test = TextDatasets.languageModel(ints(m.get("validation")), w, w, v);
      spec = which.equals("transformer") ? TextTransformer.spec(v) : Fortunes.spec(v);
      tokens = (long) train.size() * w;
    } else if (which.equals("language")) {
      Dataset[] parts = language();
      train = parts[0];
      test = parts[1];
      spec = WordLanguages.spec(vocabulary(parts), train.inputShape().dim(0));
      tokens = 0;
      for (int l : train.lengthArray()) {
        tokens += l;
      }
    } else {
      Text t = text();
      train =
          TextDatasets.languageModel(
              t.train(), Fortunes.WINDOW, Fortunes.WINDOW, t.tokenizer().size());
      test =
          TextDatasets.languageModel(
              t.validation(), Fortunes.WINDOW, Fortunes.WINDOW, t.tokenizer().size());
      spec =
          which.equals("transformer")
              ? TextTransformer.spec(t.tokenizer().size())
              : Fortunes.spec(t.tokenizer().size());
      tokens = (long) train.size() * Fortunes.WINDOW;
    }
    double load = (System.nanoTime() - t0) / 1e9;
    Sequential net = spec.build().initialize(spec.seed());
    Loss loss = Loss.named(spec.loss());
    List<Double> seconds = new ArrayList<>();
    Trainer.Builder b =
        Trainer.builder(
                net, loss, Optimizer.named(spec.optimizer(), net.parameters(), spec.learningRate()))
            .epochs(epochs)
            .batchSize(spec.batchSize())
            .shuffle(spec.seed())
            .bucketByLength(which.equals("language"))
            .listener(
                new TrainingListener() {
                  @Override
                  public void onEpochEnd(EpochEnd e) {
                    seconds.add(e.nanos() / 1e9);
                  }
                });
    if (which.equals("charlm")) {
      b.clipGradientNorm(5f);
    } else if (which.equals("transformer")) {
      b.clipGradientNorm(1f);
    }
    b.build().fit(train);
    Evaluation e = Evaluation.of(net, loss, test);
    System.out.printf(
        Locale.ROOT,
        "{\"load_seconds\": %.4f, \"epoch_seconds\": [%s], \"test_accuracy\": %.5f,"
            + " \"bits_per_token\": %.5f, \"tokens_per_epoch\": %d}%n",
        load,
        seconds.stream()
            .map(s -> String.format(Locale.ROOT, "%.4f", s))
            .collect(Collectors.joining(", ")),
        e.accuracy(),
        e.bitsPerToken(),
        tokens);
  }

  /** The language example's vocabulary size (read again: the words are not kept). */
  private static int vocabulary(Dataset[] parts) throws IOException {
    return WordLanguages.tokenizer(WordLanguages.read(WordLanguages.WORDS_PER_LANGUAGE, 0)).size();
  }

  /** Writes language.json and charlm.json into {@code dir}: token ids, labels, sizes. */
  static void export(Path dir) throws IOException {
    Files.createDirectories(dir);
    Dataset[] parts = language();
    StringBuilder sb = new StringBuilder("{\"vocabulary\": ").append(vocabulary(parts));
    sb.append(", \"classes\": ").append(WordLanguages.SOURCES.size());
    String[] names = {"train", "test"};
    for (int p = 0; p < 2; p++) {
      Dataset d = parts[p];
      float[] x = d.x().data();
      float[] y = d.y().data();
      int[] len = d.lengthArray();
      int steps = d.inputShape().dim(0);
      int classes = d.targetShape().dim(0);
      StringBuilder ids = new StringBuilder();
      StringBuilder labels = new StringBuilder();
      for (int i = 0; i < d.size(); i++) {
        ids.append(i == 0 ? "[" : ", [");
        for (int k = 0; k < len[i]; k++) {
          ids.append(k == 0 ? "" : ", ").append((int) x[i * steps + k]);
        }
        ids.append(']');
        int c = 0;
        while (y[i * classes + c] != 1f) {
          c++;
        }
        labels.append(i == 0 ? "" : ", ").append(c);
      }
      sb.append(", \"").append(names[p]).append("\": [").append(ids).append(']');
      sb.append(", \"").append(names[p]).append("_labels\": [").append(labels).append(']');
    }
    Files.writeString(dir.resolve("language.json"), sb.append("}\n").toString());
    Text t = text();
    Files.writeString(
        dir.resolve("charlm.json"),
        "{\"vocabulary\": "
            + t.tokenizer().size()
            + ", \"window\": "
            + Fortunes.WINDOW
            + ", \"train\": "
            + java.util.Arrays.toString(t.train())
            + ", \"validation\": "
            + java.util.Arrays.toString(t.validation())
            + "}\n");
  }
}
