package dev.nerve.text;

import dev.nerve.nn.Layer;
import dev.nerve.nn.Model;
import dev.nerve.nn.MultiHeadAttention;
import dev.nerve.nn.Recurrent;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes text with a trained language model: the prompt is read, then one token at a time is drawn
 * from the model's prediction for the next one and fed back. The draws come from a generator seeded
 * explicitly, and the network's arithmetic does not depend on the thread count, so the same seed
 * gives the same text on every run and machine.
 *
 * <p>A network with recurrent layers reads the prompt once and then each new token alone, its
 * layers carrying their state (they are made stateful for the call and restored after); any other
 * network is run on the last {@code window} tokens each time. A network with attention (a
 * transformer) must have causal attention, and then reads a prompt shorter than its window as it
 * is; one that lets a position see later ones is refused, as a bidirectional recurrent layer is.
 *
 * <p>Sampling: the logits are divided by the temperature (below 1 sharper, above 1 flatter; 0 takes
 * the most likely token every time), only the {@code topK} most likely tokens are kept (0: all),
 * and the padding and unknown tokens are never drawn.
 *
 * <pre>{@code
 * String text = Generator.generate(net, tokenizer, "The ", new Generator.Options(200, 0.8f, 0, 7));
 * }</pre>
 */
public final class Generator {
  /**
   * How to sample.
   *
   * @param length tokens to write, from 1 to {@link #MAX_LENGTH}
   * @param temperature from 0 (greedy) to 100
   * @param topK tokens kept at each draw, 0 for all
   * @param seed the seed of the draws
   */
  public record Options(int length, float temperature, int topK, long seed) {
    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the option out of range
     */
    public Options {
      if (length < 1 || length > MAX_LENGTH) {
        throw new IllegalArgumentException(
            "length must be from 1 to " + MAX_LENGTH + " tokens, got " + length);
      }
      if (!(temperature >= 0f && temperature <= 100f)) {
        throw new IllegalArgumentException("temperature must be from 0 to 100, got " + temperature);
      }
      if (topK < 0) {
        throw new IllegalArgumentException("top-k must be 0 (all) or more, got " + topK);
      }
    }
  }

  /** The most tokens one call writes. */
  public static final int MAX_LENGTH = 1_000_000;

  private Generator() {}

  /**
   * The text written after {@code prompt} (not including it).
   *
   * @param model a network whose first layer takes token ids and whose output is next-token logits,
   *     for every step ({@code [time, vocabulary]}) or the last ({@code [vocabulary]})
   * @throws IllegalArgumentException if the prompt has no token or the model's output is not one
   *     logit per token of the vocabulary
   */
  public static String generate(Model model, Tokenizer tokenizer, String prompt, Options o) {
    int[] start = tokenizer.encode(prompt);
    if (start.length == 0) {
      throw new IllegalArgumentException(
          "the prompt is empty: give at least one token to start from");
    }
    String text = tokenizer.decode(sample(model, tokenizer.size(), start, o, inputWindow(model)));
    // Words are joined by spaces: one goes between the prompt and the first word written.
    boolean space =
        tokenizer.kind() == Tokenizer.Kind.WORDS
            && !text.isEmpty()
            && !Character.isWhitespace(prompt.charAt(prompt.length() - 1))
            && Character.isLetterOrDigit(text.codePointAt(0));
    return space ? " " + text : text;
  }

  /** The input length of a network that takes token ids {@code [time]}, or 0 if not known. */
  private static int inputWindow(Model model) {
    Shape s = model instanceof Layer l ? l.inputShape() : null;
    return s != null && s.rank() == 1 ? s.dim(0) : 0;
  }

  /**
   * The ids drawn after {@code prompt}'s ids.
   *
   * @param vocabulary the number of logits the model gives per step
   * @param window for a network without recurrent layers, how many of the last tokens it reads (its
   *     input length); 0 for all
   */
  public static int[] sample(Model model, int vocabulary, int[] prompt, Options o, int window) {
    model.requireInitialized();
    List<Recurrent> recurrent = new ArrayList<>();
    List<MultiHeadAttention> attention = new ArrayList<>();
    for (Layer l : model.layers()) {
      collect(l, recurrent, attention);
    }
    for (MultiHeadAttention a : attention) {
      if (!a.causal()) {
        throw new IllegalArgumentException(
            a
                + " lets every position see the later ones: a language model must not see the"
                + " tokens it predicts, so it cannot generate (make its attention causal)");
      }
    }
    for (Recurrent r : recurrent) {
      if (r.bidirectional()) {
        throw new IllegalArgumentException(
            r
                + " reads the text backwards too: a language model must not see the tokens it"
                + " predicts, so it cannot generate");
      }
    }
    // Causal attention reads a shorter context as well as a full window; other networks (a dense
    // layer over the window) need the whole window.
    boolean shortContext = !attention.isEmpty();
    if (recurrent.isEmpty() && !shortContext && window > 0 && prompt.length < window) {
      throw new IllegalArgumentException(
          "the prompt has "
              + prompt.length
              + " tokens; this network reads windows of "
              + window
              + ": give a prompt at least that long");
    }
    boolean[] was = new boolean[recurrent.size()];
    for (int i = 0; i < was.length; i++) {
      was[i] = recurrent.get(i).stateful();
      recurrent.get(i).setStateful(true);
    }
    model.resetState();
    Rng rng = new Rng(o.seed());
    int[] out = new int[o.length()];
    try {
      List<Integer> context = new ArrayList<>();
      for (int id : prompt) {
        context.add(id);
      }
      int[] feed = prompt;
      for (int n = 0; n < out.length; n++) {
        if (recurrent.isEmpty()) {
          int from = window > 0 ? Math.max(0, context.size() - window) : 0;
          feed = new int[context.size() - from];
          for (int i = 0; i < feed.length; i++) {
            feed[i] = context.get(from + i);
          }
        }
        float[] logits = lastLogits(model, feed, vocabulary);
        int next = draw(logits, o, rng);
        out[n] = next;
        context.add(next);
        feed = new int[] {next};
      }
    } finally {
      model.resetState();
      for (int i = 0; i < was.length; i++) {
        recurrent.get(i).setStateful(was[i]);
      }
    }
    return out;
  }

  private static void collect(Layer l, List<Recurrent> out, List<MultiHeadAttention> attention) {
    if (l instanceof Recurrent r) {
      out.add(r);
    }
    if (l instanceof MultiHeadAttention a) {
      attention.add(a);
    }
    for (Layer c : l.children()) {
      collect(c, out, attention);
    }
  }

  private static float[] lastLogits(Model model, int[] ids, int vocabulary) {
    Tensor x = Tensor.zeros(1, ids.length);
    for (int i = 0; i < ids.length; i++) {
      x.data()[i] = ids[i];
    }
    Tensor y = model.forward(x, false);
    if (y.shape().dim(-1) != vocabulary) {
      throw new IllegalArgumentException(
          "the model gives "
              + y.shape().dim(-1)
              + " outputs per step but the vocabulary has "
              + vocabulary
              + " tokens: it is not a language model of this vocabulary");
    }
    float[] last = new float[vocabulary];
    System.arraycopy(y.data(), y.size() - vocabulary, last, 0, vocabulary);
    return last;
  }

  /** One id drawn from {@code logits} as the options say (never padding or unknown). */
  static int draw(float[] logits, Options o, Rng rng) {
    int v = logits.length;
    boolean[] allowed = new boolean[v];
    for (int i = 0; i < v; i++) {
      allowed[i] = i != Tokenizer.PAD && i != Tokenizer.UNK && !Float.isNaN(logits[i]);
    }
    int best = -1;
    for (int i = 0; i < v; i++) {
      if (allowed[i] && (best < 0 || logits[i] > logits[best])) {
        best = i;
      }
    }
    if (best < 0) {
      throw new IllegalArgumentException("the model predicts no token that can be written");
    }
    if (o.temperature() == 0f) {
      return best;
    }
    if (o.topK() > 0 && o.topK() < v) {
      Integer[] idx = new Integer[v];
      for (int i = 0; i < v; i++) {
        idx[i] = i;
      }
      java.util.Arrays.sort(idx, (a, b) -> Float.compare(logits[b], logits[a]));
      int kept = 0;
      boolean[] top = new boolean[v];
      for (int i = 0; i < v && kept < o.topK(); i++) {
        if (allowed[idx[i]]) {
          top[idx[i]] = true;
          kept++;
        }
      }
      allowed = top;
    }
    double[] p = new double[v];
    double sum = 0;
    for (int i = 0; i < v; i++) {
      if (allowed[i]) {
        p[i] = Math.exp((logits[i] - logits[best]) / (double) o.temperature());
        sum += p[i];
      }
    }
    double u = rng.nextDouble() * sum;
    int last = best;
    for (int i = 0; i < v; i++) {
      if (allowed[i]) {
        last = i;
        u -= p[i];
        if (u < 0) {
          return i;
        }
      }
    }
    return last;
  }
}
