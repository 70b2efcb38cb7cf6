package dev.nerve.text;

import dev.nerve.data.Dataset;
import dev.nerve.data.Features;
import dev.nerve.tensor.Shape;
import java.util.List;

/**
 * Datasets made of text: labelled sequences of different lengths (classification), and windows over
 * one text for a language model, either independent or as parallel streams for truncated
 * backpropagation through time.
 *
 * <pre>{@code
 * Tokenizer chars = Tokenizer.fitCharacters(words, 1, true);
 * Dataset names = TextDatasets.classification(words, labels, 8, chars, 32);
 * int[] ids = chars.encode(text);
 * Dataset lm = TextDatasets.languageModel(ids, 64, 64, chars.size());  // next-character targets
 * }</pre>
 */
public final class TextDatasets {
  private TextDatasets() {}

  /**
   * Texts with a class each: inputs {@code [maxLength]} token ids padded with {@link Tokenizer#PAD}
   * to the longest text, with each example's real length (recurrent layers stop there, and a batch
   * is cut to its longest example); targets one-hot {@code [classes]}.
   *
   * @param maxLength the longest text accepted, in tokens
   * @throws IllegalArgumentException naming the text (from 0) that is empty, too long, or whose
   *     label is not a class
   */
  public static Dataset classification(
      List<String> texts, int[] labels, int classes, Tokenizer tokenizer, int maxLength) {
    if (texts.size() != labels.length) {
      throw new IllegalArgumentException(texts.size() + " texts but " + labels.length + " labels");
    }
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("there are no texts");
    }
    if (maxLength < 1) {
      throw new IllegalArgumentException("the maximum length must be at least 1, got " + maxLength);
    }
    int[][] encoded = new int[texts.size()][];
    int longest = 0;
    for (int i = 0; i < encoded.length; i++) {
      encoded[i] = tokenizer.encode(texts.get(i));
      if (encoded[i].length == 0) {
        throw new IllegalArgumentException("text " + i + " is empty (it has no tokens)");
      }
      if (encoded[i].length > maxLength) {
        throw new IllegalArgumentException(
            "text "
                + i
                + " has "
                + encoded[i].length
                + " tokens, more than the limit of "
                + maxLength);
      }
      longest = Math.max(longest, encoded[i].length);
    }
    return padded(encoded, longest, labels, classes);
  }

  /**
   * Encoded sequences padded to {@code steps} with their lengths, and one-hot class targets.
   *
   * @throws IllegalArgumentException if a sequence is empty or longer than {@code steps}, or a
   *     label is not in [0, classes)
   */
  public static Dataset padded(int[][] sequences, int steps, int[] labels, int classes) {
    int n = sequences.length;
    if ((long) n * steps > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(n + " sequences of " + steps + " tokens are too many");
    }
    int[] ids = new int[n * steps];
    int[] starts = new int[n];
    int[] lengths = new int[n];
    for (int i = 0; i < n; i++) {
      int[] s = sequences[i];
      if (s.length == 0 || s.length > steps) {
        throw new IllegalArgumentException(
            "sequence " + i + " has " + s.length + " tokens; expected 1 to " + steps);
      }
      System.arraycopy(s, 0, ids, i * steps, s.length);
      starts[i] = i * steps;
      lengths[i] = s.length;
    }
    return new Dataset(
            Features.ofTokens(ids, starts, steps, 0),
            Shape.of(steps),
            Features.of(Dataset.oneHot(labels, classes)),
            Shape.of(classes),
            null)
        .withLengths(lengths);
  }

  /**
   * Language-model windows over {@code ids}: inputs {@code ids[s .. s + window)}, targets the next
   * token at every step, {@code ids[s + 1 .. s + window + 1)} one-hot {@code [window, vocabulary]};
   * windows start every {@code stride} tokens. The ids are shared, not copied.
   *
   * @throws IllegalArgumentException if the text is shorter than one window plus one token
   */
  public static Dataset languageModel(int[] ids, int window, int stride, int vocabulary) {
    if (window < 1 || stride < 1) {
      throw new IllegalArgumentException(
          "the window and the stride must be at least 1, got " + window + " and " + stride);
    }
    if (ids.length < window + 1) {
      throw new IllegalArgumentException(
          "the text has "
              + ids.length
              + " tokens, fewer than one window of "
              + window
              + " plus the token that follows it");
    }
    int count = (ids.length - window - 1) / stride + 1;
    int[] starts = new int[count];
    for (int i = 0; i < count; i++) {
      starts[i] = i * stride;
    }
    return windows(ids, starts, window, vocabulary);
  }

  /**
   * Windows for truncated backpropagation through time: the text is cut into {@code streams}
   * consecutive parts read side by side, so that, in order and in batches of {@code streams}
   * examples, row {@code i} of batch {@code k + 1} continues row {@code i} of batch {@code k}.
   * Train it without shuffling, with a batch size of {@code streams} and stateful recurrent layers:
   * each batch starts from the state the previous one ended in, and the gradient stops at the
   * window's start.
   *
   * @throws IllegalArgumentException if the text is too short for one window per stream
   */
  public static Dataset streams(int[] ids, int window, int streams, int vocabulary) {
    if (window < 1 || streams < 1) {
      throw new IllegalArgumentException(
          "the window and the streams must be at least 1, got " + window + " and " + streams);
    }
    int part = (ids.length - 1) / streams;
    int perStream = part / window;
    if (perStream < 1) {
      throw new IllegalArgumentException(
          "the text has "
              + ids.length
              + " tokens, too few for "
              + streams
              + " streams of at least one window of "
              + window);
    }
    int[] starts = new int[perStream * streams];
    for (int k = 0; k < perStream; k++) {
      for (int i = 0; i < streams; i++) {
        starts[k * streams + i] = i * part + k * window;
      }
    }
    return windows(ids, starts, window, vocabulary);
  }

  private static Dataset windows(int[] ids, int[] starts, int window, int vocabulary) {
    int[] next = new int[starts.length];
    for (int i = 0; i < next.length; i++) {
      next[i] = starts[i] + 1;
    }
    return new Dataset(
        Features.ofTokens(ids, starts, window, 0),
        Shape.of(window),
        Features.ofTokens(ids, next, window, vocabulary),
        Shape.of(window, vocabulary),
        null);
  }
}
