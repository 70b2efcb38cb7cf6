package dev.nerve.examples;

import dev.nerve.data.Dataset;
import dev.nerve.io.ModelSpec;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Embedding;
import dev.nerve.nn.GRU;
import dev.nerve.nn.Init;
import dev.nerve.nn.Recurrent;
import dev.nerve.tensor.Rng;
import dev.nerve.text.TextDatasets;
import dev.nerve.text.TextFiles;
import dev.nerve.text.Tokenizer;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which language is this word? The words of Debian's spelling dictionaries ({@code wamerican},
 * {@code wngerman}, {@code wfrench}, {@code wspanish}, {@code witalian}, {@code wportuguese},
 * {@code wdutch}, {@code wswedish}), lower-cased, with possessives ({@code 's}) and words of fewer
 * than three letters dropped, and every word found in more than one list dropped, so each word has
 * one answer. The classes are balanced by drawing the same number of words from each list with a
 * fixed seed; splits are by word (every word is in one part only).
 *
 * <p>The network reads a word one character at a time: an embedding of 32 values per character, a
 * GRU of 128 units, and a dense layer to the eight languages from the GRU's state after the word's
 * last letter. Words of different lengths share a batch, padded and masked.
 */
public final class WordLanguages {
  private WordLanguages() {}

  /** One word list: its language, file and character encoding. */
  public record Source(String language, Path file, Charset charset, String debianPackage) {}

  /** The lists read, in class order. */
  public static final List<Source> SOURCES =
      List.of(
          new Source("english", Path.of("/usr/share/dict/american-english"), UTF8(), "wamerican"),
          new Source("german", Path.of("/usr/share/dict/ngerman"), UTF8(), "wngerman"),
          new Source("french", Path.of("/usr/share/dict/french"), UTF8(), "wfrench"),
          new Source("spanish", Path.of("/usr/share/dict/spanish"), UTF8(), "wspanish"),
          new Source("italian", Path.of("/usr/share/dict/italian"), UTF8(), "witalian"),
          new Source("portuguese", Path.of("/usr/share/dict/portuguese"), UTF8(), "wportuguese"),
          new Source("dutch", Path.of("/usr/share/dict/dutch"), UTF8(), "wdutch"),
          // wswedish ships its list in ISO-8859-1.
          new Source(
              "swedish",
              Path.of("/usr/share/dict/swedish"),
              StandardCharsets.ISO_8859_1,
              "wswedish"));

  private static Charset UTF8() {
    return StandardCharsets.UTF_8;
  }

  /** The language names, in class order. */
  public static List<String> classes() {
    return SOURCES.stream().map(Source::language).toList();
  }

  /** Words per language drawn for the example. */
  public static final int WORDS_PER_LANGUAGE = 8000;

  /** The longest word kept, in characters. */
  public static final int MAX_LENGTH = 24;

  /** The words and their languages, balanced and shuffled. */
  public record Words(List<String> words, int[] labels) {}

  /**
   * Reads every list, drops shared words and draws {@code perLanguage} words of each language with
   * the seed, shuffled together.
   *
   * @throws IOException if a list is missing (naming the Debian package to install) or unreadable
   */
  public static Words read(int perLanguage, long seed) throws IOException {
    List<Set<String>> lists = new ArrayList<>();
    Map<String, Integer> seenIn = new HashMap<>();
    for (Source s : SOURCES) {
      if (!Files.exists(s.file())) {
        throw new IOException(
            s.file()
                + " is missing: install the word lists with: sudo apt-get install "
                + String.join(" ", SOURCES.stream().map(Source::debianPackage).toList()));
      }
      String text =
          s.charset().equals(StandardCharsets.UTF_8)
              ? TextFiles.read(s.file())
              : Files.readString(s.file(), s.charset());
      Set<String> words = new LinkedHashSet<>();
      for (String line : text.split("\n")) {
        String w = line.strip().toLowerCase(Locale.ROOT);
        if (w.length() < 3
            || w.length() > MAX_LENGTH
            || w.endsWith("'s")
            || !w.codePoints().allMatch(c -> Character.isLetter(c) || c == '\'' || c == '-')) {
          continue;
        }
        words.add(w);
      }
      for (String w : words) {
        seenIn.merge(w, 1, Integer::sum);
      }
      lists.add(words);
    }
    Rng rng = new Rng(seed);
    List<String> all = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int c = 0; c < lists.size(); c++) {
      List<String> own = new ArrayList<>();
      for (String w : lists.get(c)) {
        if (seenIn.get(w) == 1) {
          own.add(w);
        }
      }
      if (own.size() < perLanguage) {
        throw new IOException(
            SOURCES.get(c).file()
                + " has only "
                + own.size()
                + " words of its own, fewer than "
                + perLanguage);
      }
      int[] order = new int[own.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      rng.shuffleInPlace(order);
      for (int i = 0; i < perLanguage; i++) {
        all.add(own.get(order[i]));
        labels.add(c);
      }
    }
    int[] mix = new int[all.size()];
    for (int i = 0; i < mix.length; i++) {
      mix[i] = i;
    }
    rng.shuffleInPlace(mix);
    List<String> words = new ArrayList<>(mix.length);
    int[] y = new int[mix.length];
    for (int i = 0; i < mix.length; i++) {
      words.add(all.get(mix[i]));
      y[i] = labels.get(mix[i]);
    }
    return new Words(words, y);
  }

  /** The character tokenizer fitted on the words, lower-casing what it reads (as the words are). */
  public static Tokenizer tokenizer(Words w) {
    return Tokenizer.fitCharacters(w.words(), 1, true);
  }

  /** The words as padded id sequences with their lengths and one-hot languages. */
  public static Dataset dataset(Words w, Tokenizer t) {
    return TextDatasets.classification(w.words(), w.labels(), SOURCES.size(), t, MAX_LENGTH);
  }

  /**
   * The network and its training settings: embedding 32, GRU 128, dense to the languages; Adam
   * 3e-3, batches of 64, 5 epochs.
   */
  public static ModelSpec spec(int vocabulary, int steps) {
    return new ModelSpec(
        List.of(steps),
        List.of(
            new Embedding.Settings(vocabulary, 32, Tokenizer.PAD),
            new GRU.Settings(new Recurrent.Common(128)),
            new Dense.Settings(SOURCES.size(), true, Init.xavierUniform(), Init.zeros())),
        SoftmaxCrossEntropy.NAME,
        3e-3f,
        5,
        64,
        0,
        "adam");
  }
}
