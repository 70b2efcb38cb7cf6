package dev.nerve.examples;

import dev.nerve.io.ModelSpec;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Embedding;
import dev.nerve.nn.Init;
import dev.nerve.nn.LSTM;
import dev.nerve.nn.Recurrent;
import dev.nerve.text.TextFiles;
import dev.nerve.text.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A character-level language model on real text: the sayings of Debian's {@code fortunes} package
 * (computers, science, wisdom, people, literature), their {@code %} separators removed, so the
 * model learns English prose, quotation and attribution. An embedding of 32 values per character,
 * an LSTM of 256 units over windows of 64 characters, and a dense layer giving the next character's
 * logits at every step (Karpathy's char-rnn, smaller).
 */
public final class Fortunes {
  private Fortunes() {}

  /** Where the fortunes package puts its files. */
  public static final Path DIR = Path.of("/usr/share/games/fortunes");

  /** The collections read, in order. */
  public static final List<String> FILES =
      List.of("computers", "science", "wisdom", "people", "literature");

  /** Characters per training window. */
  public static final int WINDOW = 64;

  /** The characters read at most (the start of the joined text). */
  public static final int MAX_CHARACTERS = 300_000;

  /** The files read, for the data hash. */
  public static Path[] files() {
    return FILES.stream().map(DIR::resolve).toArray(Path[]::new);
  }

  /**
   * The joined text, at most {@link #MAX_CHARACTERS} characters.
   *
   * @throws IOException if the package is missing (naming it) or a file is not UTF-8
   */
  public static String read() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Path f : files()) {
      if (!Files.exists(f)) {
        throw new IOException(
            f + " is missing: install the sayings with: sudo apt-get install fortunes");
      }
      for (String line : TextFiles.read(f).split("\n")) {
        if (!line.equals("%")) {
          sb.append(line.replace("\t", "    ")).append('\n');
        }
      }
    }
    String all = sb.toString();
    return all.substring(
        0,
        Math.min(
            all.length(),
            all.offsetByCodePoints(
                0, Math.min(all.codePointCount(0, all.length()), MAX_CHARACTERS))));
  }

  /** The character tokenizer of the text (every character seen twice or more). */
  public static Tokenizer tokenizer(String text) {
    return Tokenizer.fitCharacters(List.of(text), 2, false);
  }

  /**
   * The network and its training settings: embedding 32, LSTM 256 over every step, dense to the
   * vocabulary; Adam 2e-3, batches of 32 windows, 3 epochs, gradient norm clipped by the caller.
   */
  public static ModelSpec spec(int vocabulary) {
    return new ModelSpec(
        List.of(WINDOW),
        List.of(
            new Embedding.Settings(vocabulary, 32, -1),
            new LSTM.Settings(new Recurrent.Common(256, true, false, true, false)),
            new Dense.Settings(vocabulary, true, Init.xavierUniform(), Init.zeros())),
        SoftmaxCrossEntropy.NAME,
        2e-3f,
        3,
        32,
        0,
        "adam");
  }
}
