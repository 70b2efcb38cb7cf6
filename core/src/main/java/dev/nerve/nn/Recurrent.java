package dev.nerve.nn;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.tensor.Tensor;
import dev.nerve.tensor.kernel.Gemm;
import dev.nerve.tensor.kernel.Reduce;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the recurrent layers ({@link RNN}, {@link LSTM}, {@link GRU}) share: running a cell through
 * time, in one or both directions, over sequences of different lengths, and backpropagation through
 * time. A subclass supplies only its cell: how one step's gates, hidden state (and cell state)
 * follow from the step's input and the previous state, and the chain rule back through it.
 *
 * <p>Shapes: input {@code [batch, time, input_size]}; output {@code [batch, time, directions *
 * hidden_size]} with {@code return_sequences}, else {@code [batch, directions * hidden_size]}: the
 * hidden state after each example's last real step (for the reverse direction, after step 0, where
 * it ends), as PyTorch's {@code h_n} and Keras's default output. Bidirectional layers concatenate
 * the forward direction's units and then the reverse direction's.
 *
 * <p>Weights, per direction, in PyTorch's layout and gate order so a {@code state_dict} maps
 * one-to-one: {@code weight_ih [gates * hidden, input]}, {@code weight_hh [gates * hidden,
 * hidden]}, {@code bias_ih} and {@code bias_hh [gates * hidden]}; the reverse direction's names end
 * in {@code _reverse}. Each step computes {@code x_t W_ih^T + b_ih} and {@code h_{t-1} W_hh^T +
 * b_hh}, split into gates of {@code hidden} values each. (Unlike {@link Dense}, whose weight is
 * {@code [in, out]} as in the tutorials, the recurrent weights are stored as PyTorch stores them.)
 *
 * <p>Lengths ({@link #forward(Tensor, int[], boolean)}): example {@code b} runs its first {@code
 * lengths[b]} steps; at a padded step its state is carried unchanged and its output is zero, so
 * padding changes no real output, no last-step output and no gradient (PyTorch's packed sequences).
 * The reverse direction of a shorter example starts at its own last real step.
 *
 * <p>State: each forward pass starts from a zero state, or from the state set by {@link #setState},
 * or, for a {@link #stateful()} layer, from where the previous pass ended (batches whose row {@code
 * i} continues the previous batch's row {@code i}: truncated backpropagation through time, and
 * generation one token at a time). The carried state is a constant: the gradient stops at the start
 * of each pass. A state whose batch size differs from the input's is ignored. Inference on a
 * stateful layer changes its state, so it is not safe from several threads at once.
 *
 * <p>Initial values: every weight and bias uniform in {@code [-1/sqrt(hidden), 1/sqrt(hidden)]}, as
 * PyTorch draws them.
 */
public abstract sealed class Recurrent implements Layer permits RNN, LSTM, GRU {
  final int in;
  final int hidden;
  final int gates;
  final int directions;
  final boolean returnSequences;
  final boolean bias;
  private boolean stateful;
  private final Parameter[] weightIh;
  private final Parameter[] weightHh;
  private final Parameter[] biasIh;
  private final Parameter[] biasHh;

  /** The state the next pass starts from: per direction {@code [batch * hidden]}; or null. */
  private float[][] stateH;

  private float[][] stateC;
  private int stateBatch;

  private Pass last; // the last training pass, for backward
  private float[] dxaBuf; // backward's gradients of the pre-activations, reused
  private float[] dhaBuf; // shared by the directions; after backward, the forward direction's
  private float[][] dhSteps = new float[2][]; // per direction [time, batch, hidden]: dL/dh_t
  private final float[][] transposed = new float[2][]; // per direction W_hh^T of the last pass

  /** A layer of {@code gates} gates with these settings, taking {@code in} values per step. */
  Recurrent(int in, int gates, Common settings) {
    this(
        in,
        settings.hiddenSize(),
        gates,
        settings.returnSequences(),
        settings.bidirectional(),
        settings.bias(),
        settings.stateful());
  }

  Recurrent(
      int in,
      int hidden,
      int gates,
      boolean returnSequences,
      boolean bidirectional,
      boolean bias,
      boolean stateful) {
    if (in <= 0 || hidden <= 0) {
      throw new IllegalArgumentException(
          getClass().getSimpleName()
              + " needs positive sizes, got input_size="
              + in
              + ", hidden_size="
              + hidden);
    }
    this.in = in;
    this.hidden = hidden;
    this.gates = gates;
    this.directions = bidirectional ? 2 : 1;
    this.returnSequences = returnSequences;
    this.bias = bias;
    this.stateful = stateful;
    weightIh = new Parameter[directions];
    weightHh = new Parameter[directions];
    biasIh = new Parameter[directions];
    biasHh = new Parameter[directions];
    for (int d = 0; d < directions; d++) {
      String suffix = d == 0 ? "" : "_reverse";
      weightIh[d] = new Parameter("weight_ih" + suffix, Tensor.zeros(gates * hidden, in));
      weightHh[d] = new Parameter("weight_hh" + suffix, Tensor.zeros(gates * hidden, hidden));
      if (bias) {
        biasIh[d] = new Parameter("bias_ih" + suffix, Tensor.zeros(gates * hidden));
        biasHh[d] = new Parameter("bias_hh" + suffix, Tensor.zeros(gates * hidden));
      }
    }
  }

  /**
   * The settings every recurrent layer has in the network JSON.
   *
   * @param hiddenSize hidden units per direction, {@code "hidden_size"} (required)
   * @param returnSequences output every step rather than the last, {@code "return_sequences"}
   *     (default false)
   * @param bidirectional run both directions and concatenate them, {@code "bidirectional"} (default
   *     false)
   * @param bias whether there are biases, {@code "bias"} (default true)
   * @param stateful start each pass where the previous one ended, {@code "stateful"} (default
   *     false)
   */
  public record Common(
      int hiddenSize,
      boolean returnSequences,
      boolean bidirectional,
      boolean bias,
      boolean stateful) {
    /** {@code hidden_size} units with every other setting at its default. */
    public Common(int hiddenSize) {
      this(hiddenSize, false, false, true, false);
    }

    static Common read(SettingsReader in) {
      return new Common(
          in.size("hidden_size"),
          in.flag("return_sequences", false),
          in.flag("bidirectional", false),
          in.flag("bias", true),
          in.flag("stateful", false));
    }

    void write(java.util.Map<String, Object> out) {
      out.put("hidden_size", hiddenSize);
      out.put("return_sequences", returnSequences);
      out.put("bidirectional", bidirectional);
      out.put("bias", bias);
      out.put("stateful", stateful);
    }

    static Common of(Recurrent r) {
      return new Common(r.hidden, r.returnSequences, r.directions == 2, r.bias, r.stateful);
    }

    /** The output shape and parameter count for a cell of {@code gates} gates. */
    LayerType.Sizes sizes(String name, int gates, Shape input) {
      if (input.rank() != 2) {
        throw new ShapeMismatchException(
            name + ": expects sequences [time, features], gets " + input + sequenceHint(input));
      }
      long dirs = bidirectional ? 2 : 1;
      long gh = LayerType.times(gates, hiddenSize);
      long perDirection =
          LayerType.plus(
              LayerType.times(gh, LayerType.plus(input.dim(1), hiddenSize)),
              bias ? LayerType.times(2, gh) : 0);
      long width = LayerType.times(dirs, hiddenSize);
      if (width > LayerType.MAX_SIZE) {
        throw new ShapeMismatchException(name + ": " + width + " outputs per step is too many");
      }
      Shape out = returnSequences ? Shape.of(input.dim(0), (int) width) : Shape.of((int) width);
      return new LayerType.Sizes(out, LayerType.times(dirs, perDirection), 0);
    }
  }

  /**
   * The type of a recurrent layer whose settings are {@link Common} alone (LSTM, GRU): reading,
   * writing, describing and sizing are the same for each; only the name, the number of gates and
   * the constructor differ.
   */
  static <S extends LayerSettings, L extends Recurrent> LayerType<S, L> type(
      String name,
      Class<L> layerClass,
      Class<S> settingsClass,
      int gates,
      java.util.function.Function<Common, S> settings,
      java.util.function.Function<S, Common> common,
      java.util.function.BiFunction<Integer, Common, L> make) {
    return new LayerType<>(name, layerClass, settingsClass) {
      @Override
      public S read(SettingsReader in) {
        return settings.apply(Common.read(in));
      }

      @Override
      public void write(S s, java.util.Map<String, Object> out) {
        common.apply(s).write(out);
      }

      @Override
      public S describe(L l) {
        return settings.apply(Common.of(l));
      }

      @Override
      public Sizes sizes(S s, Shape input) {
        return common.apply(s).sizes(name(), gates, input);
      }

      @Override
      public L build(S s, Shape input) {
        return make.apply(input.dim(1), common.apply(s));
      }
    };
  }

  // ---- the cell ----------------------------------------------------------------------------

  /** Whether the cell has a cell state besides its hidden state (LSTM). */
  abstract boolean hasCellState();

  /**
   * How many values per hidden unit a step keeps for backward in {@code g} of {@link #cellForward}
   * (the gates' activations, and any more the cell wants kept): by default one per gate.
   */
  int keptPerUnit() {
    return gates;
  }

  /** Whether backward needs the hidden part of the pre-activations kept (GRU's candidate). */
  boolean keepsHiddenPart() {
    return false;
  }

  /**
   * One step of one example. {@code xa} holds {@code x_t W_ih^T + b_ih} and {@code ha} holds {@code
   * h_{t-1} W_hh^T + b_hh}, {@code gates * hidden} values each; {@code hp}/{@code cp} the previous
   * hidden and cell states. Writes what backward needs into {@code g} ({@link #keptPerUnit()} times
   * {@code hidden} values) and the new states into {@code h} and {@code c} ({@code hidden} each;
   * {@code c} unused without a cell state).
   */
  abstract void cellForward(
      float[] xa,
      int xo,
      float[] ha,
      int hao,
      float[] hp,
      int hpo,
      float[] cp,
      int cpo,
      float[] g,
      int go,
      float[] h,
      int ho,
      float[] c,
      int co);

  /**
   * The chain rule back through one step of one example: from {@code dh} (and {@code dc}), the
   * gradients of the new hidden (and cell) state, writes {@code dxa} and {@code dha}, the gradients
   * of the two pre-activations, and {@code dhp} and {@code dcp}, the gradients of the previous
   * states along the paths that do not pass through {@code W_hh} (that product is added after).
   */
  abstract void cellBackward(
      float[] g,
      int go,
      float[] ha,
      int hao,
      float[] hp,
      int hpo,
      float[] cp,
      int cpo,
      float[] c,
      int co,
      float[] dh,
      int dho,
      float[] dc,
      int dco,
      float[] dxa,
      int dxo,
      float[] dha,
      int dhao,
      float[] dhp,
      int dhpo,
      float[] dcp,
      int dcpo);

  /** The layer's name in messages, such as {@code LSTM}. */
  abstract String kind();

  // ---- accessors -----------------------------------------------------------------------------

  /** Inputs per step. */
  public int inputSize() {
    return in;
  }

  /** Hidden units per direction. */
  public int hiddenSize() {
    return hidden;
  }

  /** Whether the output is every step's hidden state rather than the last one. */
  public boolean returnSequences() {
    return returnSequences;
  }

  /** Whether the layer runs in both directions. */
  public boolean bidirectional() {
    return directions == 2;
  }

  /** Whether the layer has biases. */
  public boolean hasBias() {
    return bias;
  }

  /** Whether each pass starts where the previous one ended. */
  public boolean stateful() {
    return stateful;
  }

  /**
   * Makes passes start where the previous one ended (true), or from zero or the state set (false);
   * generation turns this on to feed one token at a time.
   */
  public void setStateful(boolean stateful) {
    if (this.stateful && !stateful) {
      resetState(); // the state carried so far would otherwise start every later pass
    }
    this.stateful = stateful;
  }

  /**
   * False while stateful: a pass depends on the state the last one left, so a finite-difference
   * check by repeated inference passes cannot reproduce the training pass.
   */
  @Override
  public boolean trainsAsItPredicts() {
    return !stateful;
  }

  /** Per direction {@code weight_ih}, {@code [gates * hidden, input]}. */
  public Parameter weightIh(int direction) {
    return weightIh[direction];
  }

  /** Per direction {@code weight_hh}, {@code [gates * hidden, hidden]}. */
  public Parameter weightHh(int direction) {
    return weightHh[direction];
  }

  @Override
  public List<Parameter> parameters() {
    List<Parameter> ps = new ArrayList<>();
    for (int d = 0; d < directions; d++) {
      ps.add(weightIh[d]);
      ps.add(weightHh[d]);
      if (bias) {
        ps.add(biasIh[d]);
        ps.add(biasHh[d]);
      }
    }
    return List.copyOf(ps);
  }

  @Override
  public void initialize(Rng rng) {
    float k = (float) (1.0 / Math.sqrt(hidden));
    for (Parameter p : parameters()) {
      float[] w = p.value().data();
      for (int i = 0; i < w.length; i++) {
        w[i] = -k + 2 * k * rng.nextFloat();
      }
    }
  }

  /** The width of the output per step: hidden units times directions. */
  public int outputSize() {
    return directions * hidden;
  }

  @Override
  public Shape outputShape(Shape input) {
    if (input.rank() != 2 || input.dim(1) != in) {
      throw new ShapeMismatchException(
          this + ": expected input [time, " + in + "], got " + input + sequenceHint(input));
    }
    return returnSequences ? Shape.of(input.dim(0), outputSize()) : Shape.of(outputSize());
  }

  static String sequenceHint(Shape input) {
    if (input.rank() == 1) {
      return "; token ids need an embedding layer first";
    }
    if (input.rank() > 2) {
      return "; a recurrent layer takes sequences [time, features]";
    }
    return "";
  }

  // ---- state ---------------------------------------------------------------------------------

  /**
   * Sets the state the following passes start from (until {@link #resetState()}; a stateful layer
   * then carries on from where each pass ends).
   *
   * @param h {@code [directions, batch, hidden]}
   * @param c {@code [directions, batch, hidden]} for an LSTM, else null
   * @throws ShapeMismatchException if a shape is wrong
   */
  public void setState(Tensor h, Tensor c) {
    if (h.rank() != 3 || h.shape().dim(0) != directions || h.shape().dim(2) != hidden) {
      throw new ShapeMismatchException(
          this + ": a state is [" + directions + ", batch, " + hidden + "], got " + h.shape());
    }
    if (hasCellState() != (c != null)) {
      throw new IllegalArgumentException(
          this + (hasCellState() ? " needs a cell state too" : " has no cell state"));
    }
    if (c != null && !c.shape().equals(h.shape())) {
      throw new ShapeMismatchException(
          this + ": the cell state " + c.shape() + " differs from the hidden state " + h.shape());
    }
    int b = h.shape().dim(1);
    stateBatch = b;
    stateH = split(h, b);
    stateC = c == null ? null : split(c, b);
  }

  private float[][] split(Tensor t, int b) {
    float[][] out = new float[directions][];
    for (int d = 0; d < directions; d++) {
      out[d] = Arrays.copyOfRange(t.data(), d * b * hidden, (d + 1) * b * hidden);
    }
    return out;
  }

  /**
   * The state the next pass starts from, {@code [directions, batch, hidden]} (hidden, then cell
   * state for an LSTM), or null if it starts from zero.
   */
  public Tensor[] state() {
    if (stateH == null) {
      return null;
    }
    Tensor h = join(stateH);
    return stateC == null ? new Tensor[] {h} : new Tensor[] {h, join(stateC)};
  }

  private Tensor join(float[][] parts) {
    Tensor t = Tensor.zeros(directions, stateBatch, hidden);
    for (int d = 0; d < directions; d++) {
      System.arraycopy(parts[d], 0, t.data(), d * stateBatch * hidden, stateBatch * hidden);
    }
    return t;
  }

  /** The next pass starts from zero. */
  @Override
  public void resetState() {
    stateH = null;
    stateC = null;
  }

  // ---- forward -------------------------------------------------------------------------------

  /** What a pass computed and backward reads. */
  private static final class Pass {
    int batch;
    int steps;
    int[] lengths;
    Tensor input;
    float[][] xa; // per direction [batch * time, gates * hidden], row b * time + t
    float[][] ha; // per direction [time, batch, gates * hidden] (GRU only)
    float[][] g; // per direction [time, batch, kept * hidden], slot s = step in running order
    float[][] h; // per direction [(time + 1), batch, hidden], slot 0 the initial state
    float[][] c; // per direction, as h (LSTM only)
    Tensor output;
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    return forward(x, null, training);
  }

  @Override
  public Tensor forward(Tensor x, int[] lengths, boolean training) {
    if (x.rank() != 3 || x.shape().dim(2) != in) {
      throw new ShapeMismatchException(
          this
              + ": expected input [batch, time, "
              + in
              + "], got "
              + x.shape()
              + (x.rank() == 2 ? "; token ids need an embedding layer first" : ""));
    }
    int batch = x.shape().dim(0);
    int steps = x.shape().dim(1);
    if (lengths != null && lengths.length != batch) {
      throw new IllegalArgumentException(
          this + ": " + lengths.length + " lengths for a batch of " + batch);
    }
    // A training pass reuses the last one's arrays (tens of megabytes for a language model's
    // batch); inference allocates its own, so that it can run on several threads at once.
    Pass old = training ? last : null;
    Pass p = new Pass();
    p.batch = batch;
    p.steps = steps;
    p.lengths = lengths;
    p.input = x;
    int gh = gates * hidden;
    int bh = batch * hidden;
    p.xa = new float[directions][];
    p.ha = new float[directions][];
    p.g = new float[directions][];
    p.h = new float[directions][];
    p.c = new float[directions][];
    int outSize = (returnSequences ? batch * steps : batch) * outputSize();
    if (old != null && old.output.size() == outSize) {
      p.output =
          old.output.reshape(
              returnSequences
                  ? new int[] {batch, steps, outputSize()}
                  : new int[] {batch, outputSize()});
      if (returnSequences && lengths != null) {
        java.util.Arrays.fill(p.output.data(), 0f); // padded steps output zero
      }
    } else {
      p.output =
          returnSequences
              ? Tensor.zeros(batch, steps, outputSize())
              : Tensor.zeros(batch, outputSize());
    }
    float[] out = p.output.data();
    float[] step = new float[batch * gh];
    boolean fromState = stateH != null && stateBatch == batch;
    float[][] carriedH = new float[directions][];
    float[][] carriedC = new float[directions][];
    for (int d = 0; d < directions; d++) {
      // Training keeps every step for backward; inference keeps one step at a time (memory of
      // one step, not of the sequence: a batch of 512 windows of 64 steps through an LSTM of 256
      // would otherwise hold several hundred megabytes).
      boolean keep = training;
      float[] xa =
          keep ? reuse(old == null ? null : old.xa[d], batch * steps * gh) : new float[batch * gh];
      if (keep) {
        inputParts(d, x.data(), 0, in, batch * steps, xa);
      }
      int kw = keptPerUnit() * hidden;
      int slots = keep ? steps + 1 : 2; // inference alternates between two state slots
      float[] g =
          keep ? reuse(old == null ? null : old.g[d], steps * batch * kw) : new float[batch * kw];
      float[] h = reuse(old == null ? null : old.h[d], slots * bh);
      float[] c = hasCellState() ? reuse(old == null ? null : old.c[d], slots * bh) : null;
      float[] ha =
          keep && keepsHiddenPart()
              ? reuse(old == null ? null : old.ha[d], steps * batch * gh)
              : null;
      if (fromState) {
        System.arraycopy(stateH[d], 0, h, 0, bh);
        if (c != null) {
          System.arraycopy(stateC[d], 0, c, 0, bh);
        }
      } else {
        java.util.Arrays.fill(h, 0, bh, 0f);
        if (c != null) {
          java.util.Arrays.fill(c, 0, bh, 0f);
        }
      }
      // W_hh^T, [hidden, gates * hidden], made once per pass: each step's product then reads
      // it in place, where W_hh itself would be repacked (transposed) at every step.
      float[] whhT =
          transpose(weightHh[d].value().data(), gh, hidden, training ? transposed[d] : null);
      if (training) {
        transposed[d] = whhT; // reused by the next training pass (inference makes its own)
      }
      float[] bhh = bias ? biasHh[d].value().data() : null;
      for (int s = 0; s < steps; s++) {
        int t = d == 0 ? s : steps - 1 - s;
        int from = keep ? s * bh : (s % 2) * bh; // the state slot this step reads
        int to = keep ? from + bh : ((s + 1) % 2) * bh; // and the one it writes
        if (!keep) {
          // This step's input part alone: rows b * steps + t of x, every steps * in values.
          inputParts(d, x.data(), t * in, steps * in, batch, xa);
        }
        for (int b = 0; b < batch; b++) {
          if (bhh != null) {
            System.arraycopy(bhh, 0, step, b * gh, gh);
          }
        }
        Gemm.gemm(
            false,
            false,
            batch,
            gh,
            hidden,
            h,
            from,
            hidden,
            whhT,
            0,
            gh,
            step,
            0,
            gh,
            bhh != null);
        for (int b = 0; b < batch; b++) {
          int prev = from + b * hidden;
          int next = to + b * hidden;
          if (lengths == null || t < lengths[b]) {
            cellForward(
                xa,
                keep ? (b * steps + t) * gh : b * gh,
                step,
                b * gh,
                h,
                prev,
                c,
                prev,
                g,
                keep ? (s * batch + b) * kw : b * kw,
                h,
                next,
                c,
                next);
            if (ha != null) {
              System.arraycopy(step, b * gh, ha, (s * batch + b) * gh, gh);
            }
            if (returnSequences) {
              System.arraycopy(h, next, out, (b * steps + t) * outputSize() + d * hidden, hidden);
            }
          } else {
            // A padded step: the state passes through unchanged, the output stays zero.
            System.arraycopy(h, prev, h, next, hidden);
            if (c != null) {
              System.arraycopy(c, prev, c, next, hidden);
            }
          }
        }
      }
      int last = keep ? steps * bh : (steps % 2) * bh; // the slot of the final state
      if (!returnSequences) {
        for (int b = 0; b < batch; b++) {
          System.arraycopy(h, last + b * hidden, out, b * outputSize() + d * hidden, hidden);
        }
      }
      if (stateful) {
        carriedH[d] = Arrays.copyOfRange(h, last, last + bh);
        if (c != null) {
          carriedC[d] = Arrays.copyOfRange(c, last, last + bh);
        }
      }
      p.xa[d] = xa;
      p.g[d] = g;
      p.h[d] = h;
      p.c[d] = c;
      p.ha[d] = ha;
    }
    if (stateful) {
      stateH = carriedH;
      stateC = hasCellState() ? carriedC : null;
      stateBatch = batch;
    }
    if (training) {
      last = p;
    }
    return p.output;
  }

  // ---- backward ------------------------------------------------------------------------------

  @Override
  public Tensor backward(Tensor dy) {
    return backward(dy, true);
  }

  /**
   * Backpropagation through time over the last training pass: from the last step to the first in
   * each direction, the error reaching step {@code t - 1} is the part of step {@code t}'s that
   * flows through {@code W_hh} (and the cell state), plus the output gradient at {@code t - 1}.
   * Gradients of the weights are summed over all steps; padded steps add nothing.
   */
  @Override
  public Tensor backward(Tensor dy, boolean inputGradient) {
    Pass p = last;
    if (p == null) {
      throw new IllegalStateException(this + ": backward without a training forward");
    }
    if (!dy.shape().equals(p.output.shape())) {
      throw new ShapeMismatchException(
          this + ": expected output gradient " + p.output.shape() + ", got " + dy.shape());
    }
    int batch = p.batch;
    int steps = p.steps;
    int gh = gates * hidden;
    int bh = batch * hidden;
    int width = outputSize();
    float[] dyd = dy.data();
    Tensor dx = inputGradient ? Tensor.zeros(batch, steps, in) : null;
    float[] dhCarry = new float[bh];
    float[] dcCarry = new float[bh];
    float[] dhTotal = new float[hidden];
    float[] dhp = new float[bh];
    float[] dcp = new float[bh];
    int kw = keptPerUnit() * hidden;
    // The reverse direction first, so that the shared buffer of the gate errors ends holding the
    // forward direction's, which insides() shows.
    for (int d = directions - 1; d >= 0; d--) {
      // Every row of these is written below (zeros for padded steps): no need to clear them.
      dxaBuf = reuse(dxaBuf, batch * steps * gh);
      dhaBuf = reuse(dhaBuf, steps * batch * gh);
      dhSteps[d] = reuse(dhSteps[d], steps * bh);
      float[] dxa = dxaBuf;
      float[] dha = dhaBuf;
      float[] dhs = dhSteps[d];
      Arrays.fill(dhCarry, 0f);
      Arrays.fill(dcCarry, 0f);
      if (!returnSequences) {
        for (int b = 0; b < batch; b++) {
          System.arraycopy(dyd, b * width + d * hidden, dhCarry, b * hidden, hidden);
        }
      }
      float[] h = p.h[d];
      float[] c = p.c[d];
      float[] whh = weightHh[d].value().data();
      for (int s = steps - 1; s >= 0; s--) {
        int t = d == 0 ? s : steps - 1 - s;
        for (int b = 0; b < batch; b++) {
          int row = b * hidden;
          if (p.lengths == null || t < p.lengths[b]) {
            System.arraycopy(dhCarry, row, dhTotal, 0, hidden);
            if (returnSequences) {
              int o = (b * steps + t) * width + d * hidden;
              for (int j = 0; j < hidden; j++) {
                dhTotal[j] += dyd[o + j];
              }
            }
            System.arraycopy(dhTotal, 0, dhs, s * bh + row, hidden);
            int prev = s * bh + row;
            cellBackward(
                p.g[d],
                (s * batch + b) * kw,
                p.ha[d],
                (s * batch + b) * gh,
                h,
                prev,
                c,
                prev,
                c,
                prev + bh,
                dhTotal,
                0,
                dcCarry,
                row,
                dxa,
                (b * steps + t) * gh,
                dha,
                (s * batch + b) * gh,
                dhp,
                row,
                dcp,
                row);
          } else {
            // A padded step passed the state through: so does its gradient.
            System.arraycopy(dhCarry, row, dhp, row, hidden);
            System.arraycopy(dcCarry, row, dcp, row, hidden);
            int xo = (b * steps + t) * gh;
            int ho = (s * batch + b) * gh;
            java.util.Arrays.fill(dxa, xo, xo + gh, 0f);
            java.util.Arrays.fill(dha, ho, ho + gh, 0f);
            System.arraycopy(dhCarry, row, dhs, s * bh + row, hidden); // passed through
          }
        }
        // dh_{t-1} = the direct paths + dA_hh W_hh (rows of padded steps add zero).
        System.arraycopy(dhp, 0, dhCarry, 0, bh);
        System.arraycopy(dcp, 0, dcCarry, 0, bh);
        Gemm.gemm(
            false,
            false,
            batch,
            hidden,
            gh,
            dha,
            s * batch * gh,
            gh,
            whh,
            0,
            hidden,
            dhCarry,
            0,
            hidden,
            true);
      }
      // Weight gradients over every step at once.
      Parameter wih = weightIh[d];
      Gemm.gemm(
          true,
          false,
          gh,
          in,
          batch * steps,
          dxa,
          0,
          gh,
          p.input.data(),
          0,
          in,
          wih.grad().data(),
          0,
          in,
          !wih.takeZeroGrad());
      Parameter wh = weightHh[d];
      Gemm.gemm(
          true,
          false,
          gh,
          hidden,
          batch * steps,
          dha,
          0,
          gh,
          h,
          0,
          hidden,
          wh.grad().data(),
          0,
          hidden,
          !wh.takeZeroGrad());
      if (bias) {
        Reduce.columnSums(
            dxa, batch * steps, gh, biasIh[d].grad().data(), !biasIh[d].takeZeroGrad());
        Reduce.columnSums(
            dha, batch * steps, gh, biasHh[d].grad().data(), !biasHh[d].takeZeroGrad());
      }
      if (dx != null) {
        Gemm.gemm(
            false,
            false,
            batch * steps,
            in,
            gh,
            dxa,
            0,
            gh,
            wih.value().data(),
            0,
            in,
            dx.data(),
            0,
            in,
            true);
      }
    }
    return dx;
  }

  /**
   * {@code out = x W_ih^T + b_ih} for {@code rows} rows of {@code x} starting at {@code off},
   * {@code ld} values apart: every step at once ({@code ld = in}) or one step of every example
   * ({@code ld = steps * in}).
   */
  private void inputParts(int d, float[] x, int off, int ld, int rows, float[] out) {
    int gh = gates * hidden;
    if (bias) {
      float[] b = biasIh[d].value().data();
      for (int r = 0; r < rows; r++) {
        System.arraycopy(b, 0, out, r * gh, gh);
      }
    }
    Gemm.gemm(
        false, true, rows, gh, in, x, off, ld, weightIh[d].value().data(), 0, in, out, 0, gh, bias);
  }

  /** {@code old} if it has {@code n} values, else a new array of {@code n}. */
  private static float[] reuse(float[] old, int n) {
    return old != null && old.length == n ? old : new float[n];
  }

  /**
   * {@code w} {@code [rows, cols]} transposed, {@code [cols, rows]}, into {@code into} if it fits.
   */
  private static float[] transpose(float[] w, int rows, int cols, float[] into) {
    float[] t = into != null && into.length == w.length ? into : new float[w.length];
    // In tiles of 32 x 32, so that neither side is walked down a column through the whole array.
    for (int r0 = 0; r0 < rows; r0 += 32) {
      for (int c0 = 0; c0 < cols; c0 += 32) {
        for (int r = r0; r < Math.min(rows, r0 + 32); r++) {
          for (int c = c0; c < Math.min(cols, c0 + 32); c++) {
            t[c * rows + r] = w[r * cols + c];
          }
        }
      }
    }
    return t;
  }

  /**
   * The names of the values a step keeps per unit, in the order of {@link #cellForward}'s {@code
   * g}: the gates' activations (LSTM {@code i, f, g, o} and {@code tanh_c}; GRU {@code r, z, n};
   * RNN {@code h_act}, the new state itself).
   */
  public abstract List<String> keptNames();

  /**
   * The last training pass through time, for the walkthrough, every tensor {@code [batch, time,
   * ...]} in time order whichever the direction: each of {@link #keptNames()} {@code [batch, time,
   * hidden]}; {@code h} (and {@code c} for an LSTM) the state after each step, with {@code h0}
   * ({@code c0}) {@code [batch, hidden]} the state before the first; after backward, {@code dh} the
   * error at each step's hidden state (from the output at that step and from the step after) and
   * {@code dA} the error at each step's gate pre-activations, {@code [batch, time, gates *
   * hidden]}. The reverse direction's names end in {@code _reverse}. Empty before any training
   * pass.
   */
  @Override
  public java.util.Map<String, Tensor> insides() {
    Pass p = last;
    java.util.Map<String, Tensor> out = new java.util.LinkedHashMap<>();
    if (p == null) {
      return out;
    }
    int batch = p.batch;
    int steps = p.steps;
    int bh = batch * hidden;
    int kw = keptPerUnit() * hidden;
    List<String> names = keptNames();
    for (int d = 0; d < directions; d++) {
      String suffix = d == 0 ? "" : "_reverse";
      for (int k = 0; k < names.size(); k++) {
        Tensor t = Tensor.zeros(batch, steps, hidden);
        for (int s = 0; s < steps; s++) {
          int time = d == 0 ? s : steps - 1 - s;
          for (int b = 0; b < batch; b++) {
            System.arraycopy(
                p.g[d],
                (s * batch + b) * kw + k * hidden,
                t.data(),
                (b * steps + time) * hidden,
                hidden);
          }
        }
        out.put(names.get(k) + suffix, t);
      }
      out.put("h0" + suffix, Tensor.wrap(Arrays.copyOf(p.h[d], bh), batch, hidden));
      out.put("h" + suffix, byTime(p.h[d], bh, batch, steps, d, 1));
      if (p.c[d] != null) {
        out.put("c0" + suffix, Tensor.wrap(Arrays.copyOf(p.c[d], bh), batch, hidden));
        out.put("c" + suffix, byTime(p.c[d], bh, batch, steps, d, 1));
      }
      if (dhSteps[d] != null && dhSteps[d].length == steps * bh) {
        out.put("dh" + suffix, byTime(dhSteps[d], bh, batch, steps, d, 0));
      }
      int gh = gates * hidden;
      if (d == 0 && dhaBuf != null && dhaBuf.length == steps * batch * gh) {
        Tensor da = Tensor.zeros(batch, steps, gh);
        for (int s = 0; s < steps; s++) {
          int time = d == 0 ? s : steps - 1 - s;
          for (int b = 0; b < batch; b++) {
            System.arraycopy(dhaBuf, (s * batch + b) * gh, da.data(), (b * steps + time) * gh, gh);
          }
        }
        out.put("dA", da);
      }
    }
    return out;
  }

  /** Slots {@code first .. first + steps - 1} of {@code [slots, batch, hidden]}, as [b, t, h]. */
  private Tensor byTime(float[] slots, int bh, int batch, int steps, int d, int first) {
    Tensor t = Tensor.zeros(batch, steps, hidden);
    for (int s = 0; s < steps; s++) {
      int time = d == 0 ? s : steps - 1 - s;
      for (int b = 0; b < batch; b++) {
        System.arraycopy(
            slots, (first + s) * bh + b * hidden, t.data(), (b * steps + time) * hidden, hidden);
      }
    }
    return t;
  }

  /** Like {@code LSTM(input_size=8, hidden_size=16, bidirectional=true)}. */
  @Override
  public String toString() {
    return kind()
        + "(input_size="
        + in
        + ", hidden_size="
        + hidden
        + extraSettings()
        + (bias ? "" : ", bias=false")
        + (directions == 2 ? ", bidirectional=true" : "")
        + (returnSequences ? ", return_sequences=true" : "")
        + (stateful ? ", stateful=true" : "")
        + ")";
  }

  /** Settings a subclass adds to {@link #toString()}, starting with a comma, or empty. */
  String extraSettings() {
    return "";
  }

  /**
   * {@code g[go + j] = xa[xo + j] + ha[hao + j]} for {@code j} in {@code [from, to)}: the two parts
   * of a gate's pre-activation added, before its curve is applied in place ({@link
   * dev.nerve.tensor.kernel.Curves}, a lane-width at a time).
   */
  static void addParts(
      float[] xa, int xo, float[] ha, int hao, float[] g, int go, int from, int to) {
    for (int j = from; j < to; j++) {
      g[go + j] = xa[xo + j] + ha[hao + j];
    }
  }
}
