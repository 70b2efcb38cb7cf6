package dev.nerve.nn;

import dev.nerve.tensor.kernel.Curves;

/**
 * Gated recurrent unit (Cho et al.), as PyTorch's {@code nn.GRU}: per step, with the input part
 * {@code x_t W_ih^T + b_ih} and the hidden part {@code h_{t-1} W_hh^T + b_hh} each split into three
 * gates in PyTorch's order r, z, n,
 *
 * <pre>
 * r = sigmoid(x_r + h_r)    z = sigmoid(x_z + h_z)    n = tanh(x_n + r * h_n)
 * h_t = (1 - z) * n + z * h_{t-1}
 * </pre>
 *
 * <p>(the reset gate multiplies the hidden part including its bias, as in PyTorch and cuDNN; Keras
 * calls this {@code reset_after=True}). A {@code state_dict} maps name for name as for {@link
 * LSTM}. Shapes, masks, directions and state: {@link Recurrent}.
 */
public final class GRU extends Recurrent {
  /**
   * The settings of a GRU in the network JSON ({@code "type": "gru"}).
   *
   * @param common the settings every recurrent layer has
   */
  public record Settings(Common common) implements LayerSettings {
    @Override
    public LayerType<Settings, GRU> type() {
      return TYPE;
    }
  }

  /** The type {@code gru}. */
  public static final LayerType<Settings, GRU> TYPE =
      type("gru", GRU.class, Settings.class, 3, Settings::new, Settings::common, GRU::new);

  /** A GRU taking {@code inputSize} values per step. */
  public GRU(int inputSize, Common settings) {
    super(inputSize, 3, settings);
  }

  /** A GRU of {@code hiddenSize} units with the default settings (last step, one direction). */
  public GRU(int inputSize, int hiddenSize) {
    this(inputSize, new Common(hiddenSize));
  }

  @Override
  boolean hasCellState() {
    return false;
  }

  @Override
  boolean keepsHiddenPart() {
    return true;
  }

  @Override
  public java.util.List<String> keptNames() {
    return java.util.List.of("r", "z", "n");
  }

  @Override
  String kind() {
    return "GRU";
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
    addParts(xa, xo, ha, hao, g, go, 0, 2 * n);
    Curves.sigmoidInPlace(g, go, go + 2 * n); // r, z
    for (int j = 0; j < n; j++) {
      g[go + 2 * n + j] = xa[xo + 2 * n + j] + g[go + j] * ha[hao + 2 * n + j];
    }
    Curves.tanhInPlace(g, go + 2 * n, go + 3 * n); // the candidate n
    for (int j = 0; j < n; j++) {
      float z = g[go + n + j];
      h[ho + j] = (1f - z) * g[go + 2 * n + j] + z * hp[hpo + j];
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
      float r = g[go + j];
      float z = g[go + n + j];
      float cand = g[go + 2 * n + j];
      float d = dh[dho + j];
      float an = d * (1f - z) * (1f - cand * cand);
      float az = d * (hp[hpo + j] - cand) * z * (1f - z);
      float ar = an * ha[hao + 2 * n + j] * r * (1f - r);
      dxa[dxo + j] = ar;
      dxa[dxo + n + j] = az;
      dxa[dxo + 2 * n + j] = an;
      dha[dhao + j] = ar;
      dha[dhao + n + j] = az;
      dha[dhao + 2 * n + j] = an * r;
      dhp[dhpo + j] = d * z;
    }
  }
}
