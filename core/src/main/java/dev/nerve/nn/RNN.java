package dev.nerve.nn;

import dev.nerve.tensor.Shape;
import dev.nerve.tensor.kernel.Curves;
import java.util.Map;

/**
 * The plain (Elman) recurrent layer, as PyTorch's {@code nn.RNN}: per step {@code h_t = act(x_t
 * W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)} with {@code act} tanh (default) or ReLU. A {@code
 * state_dict} maps name for name as for {@link LSTM}. Shapes, masks, directions and state: {@link
 * Recurrent}.
 */
public final class RNN extends Recurrent {
  /**
   * The settings of an RNN in the network JSON ({@code "type": "rnn"}).
   *
   * @param common the settings every recurrent layer has
   * @param relu ReLU instead of tanh, {@code "nonlinearity": "relu"} (default {@code "tanh"})
   */
  public record Settings(Common common, boolean relu) implements LayerSettings {
    @Override
    public LayerType<Settings, RNN> type() {
      return TYPE;
    }
  }

  /** The type {@code rnn}. */
  public static final LayerType<Settings, RNN> TYPE =
      new LayerType<>("rnn", RNN.class, Settings.class) {
        @Override
        public Settings read(SettingsReader in) {
          return new Settings(
              Common.read(in), in.choice("nonlinearity", "tanh", "tanh", "relu").equals("relu"));
        }

        @Override
        public void write(Settings s, Map<String, Object> out) {
          s.common().write(out);
          out.put("nonlinearity", s.relu() ? "relu" : "tanh");
        }

        @Override
        public Settings describe(RNN l) {
          return new Settings(Common.of(l), l.relu);
        }

        @Override
        public Sizes sizes(Settings s, Shape input) {
          return s.common().sizes(name(), 1, input);
        }

        @Override
        public RNN build(Settings s, Shape input) {
          return new RNN(input.dim(1), s.common(), s.relu());
        }
      };

  private final boolean relu;

  /** An RNN taking {@code inputSize} values per step, with tanh or ({@code relu}) ReLU. */
  public RNN(int inputSize, Common settings, boolean relu) {
    super(inputSize, 1, settings);
    this.relu = relu;
  }

  /** A tanh RNN of {@code hiddenSize} units with the default settings. */
  public RNN(int inputSize, int hiddenSize) {
    this(inputSize, new Common(hiddenSize), false);
  }

  /** Whether the nonlinearity is ReLU (else tanh). */
  public boolean relu() {
    return relu;
  }

  @Override
  boolean hasCellState() {
    return false;
  }

  @Override
  public java.util.List<String> keptNames() {
    return java.util.List.of("h_act");
  }

  @Override
  String kind() {
    return "RNN";
  }

  @Override
  String extraSettings() {
    return relu ? ", nonlinearity=relu" : "";
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
    addParts(xa, xo, ha, hao, g, go, 0, hidden);
    if (relu) {
      for (int j = 0; j < hidden; j++) {
        g[go + j] = Math.max(0f, g[go + j]);
      }
    } else {
      Curves.tanhInPlace(g, go, go + hidden);
    }
    System.arraycopy(g, go, h, ho, hidden);
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
    for (int j = 0; j < hidden; j++) {
      float v = g[go + j];
      float a = dh[dho + j] * (relu ? (v > 0f ? 1f : 0f) : 1f - v * v);
      dxa[dxo + j] = a;
      dha[dhao + j] = a;
      dhp[dhpo + j] = 0f;
    }
  }
}
