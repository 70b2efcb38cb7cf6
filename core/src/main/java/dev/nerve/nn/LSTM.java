package dev.nerve.nn;

import dev.nerve.tensor.kernel.Curves;

/**
 * Long short-term memory (Hochreiter and Schmidhuber), as PyTorch's {@code nn.LSTM}: per step, with
 * {@code a = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh} split into four gates in PyTorch's order,
 *
 * <pre>
 * i = sigmoid(a_i)   f = sigmoid(a_f)   g = tanh(a_g)   o = sigmoid(a_o)
 * c_t = f * c_{t-1} + i * g              h_t = o * tanh(c_t)
 * </pre>
 *
 * <p>A PyTorch {@code state_dict} maps name for name ({@code weight_ih_l0} is {@code weight_ih},
 * {@code weight_hh_l0_reverse} is {@code weight_hh_reverse}; layer {@code l1} of a stacked PyTorch
 * LSTM is the next LSTM in the network). Shapes, masks, directions and state: {@link Recurrent}.
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(16, new Recurrent.Common(64));   // 16 inputs per step, 64 units
 * }</pre>
 */
public final class LSTM extends Recurrent {
  /**
   * The settings of an LSTM in the network JSON ({@code "type": "lstm"}); the input size comes from
   * the shape that reaches the layer.
   *
   * @param common the settings every recurrent layer has
   */
  public record Settings(Common common) implements LayerSettings {
    @Override
    public LayerType<Settings, LSTM> type() {
      return TYPE;
    }
  }

  /** The type {@code lstm}. */
  public static final LayerType<Settings, LSTM> TYPE =
      type("lstm", LSTM.class, Settings.class, 4, Settings::new, Settings::common, LSTM::new);

  /** An LSTM taking {@code inputSize} values per step. */
  public LSTM(int inputSize, Common settings) {
    super(inputSize, 4, settings);
  }

  /** An LSTM of {@code hiddenSize} units with the default settings (last step, one direction). */
  public LSTM(int inputSize, int hiddenSize) {
    this(inputSize, new Common(hiddenSize));
  }

  @Override
  boolean hasCellState() {
    return true;
  }

  @Override
  public java.util.List<String> keptNames() {
    return java.util.List.of("i", "f", "g", "o", "tanh_c");
  }

  @Override
  String kind() {
    return "LSTM";
  }

  /** i, f, g, o, and tanh(c_t), which backward needs again. */
  @Override
  int keptPerUnit() {
    return 5;
  }

  @Override
  void cellForward(
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
      int co) {
    int n = hidden;
    addParts(xa, xo, ha, hao, g, go, 0, 4 * n);
    Curves.sigmoidInPlace(g, go, go + 2 * n); // i, f
    Curves.tanhInPlace(g, go + 2 * n, go + 3 * n); // g
    Curves.sigmoidInPlace(g, go + 3 * n, go + 4 * n); // o
    int tc = go + 4 * n;
    for (int j = 0; j < n; j++) {
      float cell = g[go + n + j] * cp[cpo + j] + g[go + j] * g[go + 2 * n + j];
      c[co + j] = cell;
      g[tc + j] = cell;
    }
    Curves.tanhInPlace(g, tc, tc + n);
    for (int j = 0; j < n; j++) {
      h[ho + j] = g[go + 3 * n + j] * g[tc + j];
    }
  }

  @Override
  void cellBackward(
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
      int dcpo) {
    int n = hidden;
    for (int j = 0; j < n; j++) {
      float i = g[go + j];
      float f = g[go + n + j];
      float gg = g[go + 2 * n + j];
      float o = g[go + 3 * n + j];
      float tc = g[go + 4 * n + j];
      float dhj = dh[dho + j];
      float dct = dc[dco + j] + dhj * o * (1f - tc * tc);
      float ai = dct * gg * i * (1f - i);
      float af = dct * cp[cpo + j] * f * (1f - f);
      float ag = dct * i * (1f - gg * gg);
      float ao = dhj * tc * o * (1f - o);
      dxa[dxo + j] = ai;
      dxa[dxo + n + j] = af;
      dxa[dxo + 2 * n + j] = ag;
      dxa[dxo + 3 * n + j] = ao;
      dha[dhao + j] = ai;
      dha[dhao + n + j] = af;
      dha[dhao + 2 * n + j] = ag;
      dha[dhao + 3 * n + j] = ao;
      dhp[dhpo + j] = 0f;
      dcp[dcpo + j] = dct * f;
    }
  }
}
