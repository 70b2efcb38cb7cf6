package dev.nerve.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns text into token ids and back: by characters (Unicode code points, so a letter outside the
 * Basic Multilingual Plane is one token) or by words. The vocabulary is fitted on training text and
 * saved inside the model file with the network, so {@code predict} and {@code generate} read raw
 * text exactly as training did.
 *
 * <p>Ids 0 and 1 are reserved: {@link #PAD} ({@code <pad>}, what shorter sequences are padded with;
 * give an embedding {@code padding_idx: 0}) and {@link #UNK} ({@code <unk>}, every token not in the
 * vocabulary). The others are numbered by falling frequency in the training text, ties in string
 * order, so the same text always gives the same ids.
 *
 * <p>Words: with {@code lowercase}, text is lower-cased (in the root locale) first; a word is a run
 * of letters, marks, digits and inner apostrophes, straight or curly ({@code don't} and {@code
 * don’t} are one word each), and every other character that is not Unicode white space is a token
 * of its own, so punctuation is kept.
 *
 * <pre>{@code
 * Tokenizer chars = Tokenizer.fitCharacters(List.of(text), 1, false);
 * int[] ids = chars.encode("hello");     // unseen characters become <unk>
 * String back = chars.decode(ids);
 * Tokenizer words = Tokenizer.fitWords(lines, 2, true, 20_000);  // seen twice, lower-cased
 * }</pre>
 */
public final class Tokenizer {
  /** How text is cut into tokens. */
  public enum Kind {
    /** One token per Unicode code point. */
    CHARACTERS,
    /** Words, numbers and punctuation marks. */
    WORDS
  }

  /** The padding id. */
  public static final int PAD = 0;

  /** The id of every token not in the vocabulary. */
  public static final int UNK = 1;

  /** The padding token's text. */
  public static final String PAD_TOKEN = "<pad>";

  /** The unknown token's text. */
  public static final String UNK_TOKEN = "<unk>";

  /** The largest vocabulary this library builds or reads. */
  public static final int MAX_VOCABULARY = 1 << 22;

  private static final Pattern WORD =
      Pattern.compile(
          "[\\p{L}\\p{M}\\p{N}]+(?:['\u2019][\\p{L}\\p{M}\\p{N}]+)*|[^\\s\\p{L}\\p{M}\\p{N}]",
          Pattern.UNICODE_CHARACTER_CLASS);

  private final Kind kind;
  private final boolean lowercase;
  private final List<String> tokens;
  private final Map<String, Integer> ids;

  private Tokenizer(Kind kind, boolean lowercase, List<String> tokens) {
    this.kind = kind;
    this.lowercase = lowercase;
    this.tokens = List.copyOf(tokens);
    this.ids = new HashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      if (ids.put(tokens.get(i), i) != null) {
        throw new IllegalArgumentException(
            "the vocabulary holds '"
                + tokens.get(i)
                + "' twice (ids "
                + ids.get(tokens.get(i))
                + " and "
                + i
                + ")");
      }
    }
  }

  /**
   * A character tokenizer fitted on {@code texts}: every character seen at least {@code
   * minFrequency} times.
   *
   * @throws IllegalArgumentException if {@code minFrequency < 1} or no character is kept
   */
  public static Tokenizer fitCharacters(
      Iterable<String> texts, int minFrequency, boolean lowercase) {
    return fit(Kind.CHARACTERS, texts, minFrequency, lowercase, MAX_VOCABULARY);
  }

  /**
   * A word tokenizer fitted on {@code texts}: words seen at least {@code minFrequency} times, the
   * {@code maxSize - 2} most frequent at most (0: no limit).
   *
   * @throws IllegalArgumentException if a number is out of range or no word is kept
   */
  public static Tokenizer fitWords(
      Iterable<String> texts, int minFrequency, boolean lowercase, int maxSize) {
    return fit(Kind.WORDS, texts, minFrequency, lowercase, maxSize == 0 ? MAX_VOCABULARY : maxSize);
  }

  private static Tokenizer fit(
      Kind kind, Iterable<String> texts, int minFrequency, boolean lowercase, int maxSize) {
    if (minFrequency < 1) {
      throw new IllegalArgumentException(
          "the minimum frequency must be at least 1, got " + minFrequency);
    }
    if (maxSize < 3 || maxSize > MAX_VOCABULARY) {
      throw new IllegalArgumentException(
          "the vocabulary size must be from 3 to " + MAX_VOCABULARY + ", got " + maxSize);
    }
    Map<String, Integer> counts = new TreeMap<>();
    for (String text : texts) {
      for (String t : split(kind, lowercase, text)) {
        counts.merge(t, 1, Integer::sum);
      }
    }
    counts.remove(PAD_TOKEN);
    counts.remove(UNK_TOKEN);
    List<Map.Entry<String, Integer>> kept = new ArrayList<>();
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (e.getValue() >= minFrequency) {
        kept.add(e);
      }
    }
    if (kept.isEmpty()) {
      throw new IllegalArgumentException(
          counts.isEmpty()
              ? "the text is empty: there is nothing to build a vocabulary from"
              : "no token occurs " + minFrequency + " times or more; lower the minimum frequency");
    }
    // Stable sort of the string-ordered entries: by falling count, ties in string order.
    kept.sort((a, b) -> Integer.compare(b.getValue(), a.getValue()));
    List<String> tokens = new ArrayList<>(List.of(PAD_TOKEN, UNK_TOKEN));
    for (Map.Entry<String, Integer> e : kept) {
      if (tokens.size() == maxSize) {
        break;
      }
      tokens.add(e.getKey());
    }
    return new Tokenizer(kind, lowercase, tokens);
  }

  /** The tokens of {@code text}, before the vocabulary: code points, or words and marks. */
  static List<String> split(Kind kind, boolean lowercase, String text) {
    String s = lowercase ? text.toLowerCase(Locale.ROOT) : text;
    List<String> out = new ArrayList<>();
    if (kind == Kind.CHARACTERS) {
      s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
    } else {
      Matcher m = WORD.matcher(s);
      while (m.find()) {
        out.add(m.group());
      }
    }
    return out;
  }

  /** Characters or words. */
  public Kind kind() {
    return kind;
  }

  /** Whether text is lower-cased before it is cut. */
  public boolean lowercase() {
    return lowercase;
  }

  /** Tokens in the vocabulary, including {@code <pad>} and {@code <unk>}. */
  public int size() {
    return tokens.size();
  }

  /** The token of id {@code id}. */
  public String token(int id) {
    if (id < 0 || id >= tokens.size()) {
      throw new IllegalArgumentException(
          "token id " + id + " is outside the vocabulary of " + tokens.size());
    }
    return tokens.get(id);
  }

  /** The vocabulary in id order (unmodifiable). */
  public List<String> tokens() {
    return tokens;
  }

  /** The id of {@code token}, or {@link #UNK}. */
  public int id(String token) {
    Integer i = ids.get(token);
    return i == null ? UNK : i;
  }

  /** The ids of {@code text}'s tokens; unknown tokens are {@link #UNK}. */
  public int[] encode(String text) {
    List<String> parts = split(kind, lowercase, text);
    int[] out = new int[parts.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = id(parts.get(i));
    }
    return out;
  }

  /** How many ids of {@code ids} are {@link #UNK}. */
  public static int unknown(int[] ids) {
    int n = 0;
    for (int i : ids) {
      n += i == UNK ? 1 : 0;
    }
    return n;
  }

  /**
   * The text of {@code ids}: characters joined, or words joined by spaces (no space before a
   * punctuation mark); padding is skipped.
   */
  public String decode(int[] ids) {
    StringBuilder sb = new StringBuilder();
    for (int id : ids) {
      if (id == PAD) {
        continue;
      }
      String t = token(id);
      if (kind == Kind.WORDS && sb.length() > 0 && !isMark(t)) {
        sb.append(' ');
      }
      sb.append(t);
    }
    return sb.toString();
  }

  private static boolean isMark(String t) {
    return t.length() == 1 && ".,;:!?)]}".indexOf(t.charAt(0)) >= 0;
  }

  /** The form a model file keeps: kind, lower-casing and the tokens in id order. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind == Kind.CHARACTERS ? "characters" : "words");
    m.put("lowercase", lowercase);
    m.put("tokens", tokens);
    return m;
  }

  /**
   * The tokenizer a model file keeps ({@link #toJson()}).
   *
   * @throws IllegalArgumentException naming the field that is missing or wrong
   */
  public static Tokenizer fromJson(Object json) {
    if (!(json instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("tokenizer: expected an object, got " + json);
    }
    Kind kind;
    if ("characters".equals(m.get("kind"))) {
      kind = Kind.CHARACTERS;
    } else if ("words".equals(m.get("kind"))) {
      kind = Kind.WORDS;
    } else {
      throw new IllegalArgumentException(
          "tokenizer.kind: expected \"characters\" or \"words\", got " + m.get("kind"));
    }
    if (!(m.get("lowercase") instanceof Boolean lower)) {
      throw new IllegalArgumentException(
          "tokenizer.lowercase: expected true or false, got " + m.get("lowercase"));
    }
    if (!(m.get("tokens") instanceof List<?> list)
        || list.size() < 2
        || list.size() > MAX_VOCABULARY) {
      throw new IllegalArgumentException(
          "tokenizer.tokens: expected a list of 2 to " + MAX_VOCABULARY + " strings");
    }
    List<String> tokens = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof String s) || s.isEmpty()) {
        throw new IllegalArgumentException(
            "tokenizer.tokens[" + i + "]: expected a non-empty string");
      }
      tokens.add(s);
    }
    if (!tokens.get(PAD).equals(PAD_TOKEN) || !tokens.get(UNK).equals(UNK_TOKEN)) {
      throw new IllegalArgumentException(
          "tokenizer.tokens: ids 0 and 1 must be " + PAD_TOKEN + " and " + UNK_TOKEN);
    }
    return new Tokenizer(kind, lower, tokens);
  }

  /** A few tokens from the start of the vocabulary (after the reserved ones), for display. */
  public List<String> sample(int n) {
    return Collections.unmodifiableList(tokens.subList(2, Math.min(tokens.size(), 2 + n)));
  }

  /** Like {@code Tokenizer(characters, 67 tokens)}. */
  @Override
  public String toString() {
    return "Tokenizer("
        + (kind == Kind.CHARACTERS ? "characters" : "words")
        + (lowercase ? ", lower-cased" : "")
        + ", "
        + tokens.size()
        + " tokens)";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tokenizer t
        && t.kind == kind
        && t.lowercase == lowercase
        && t.tokens.equals(tokens);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new Object[] {kind, lowercase, tokens});
  }
}
