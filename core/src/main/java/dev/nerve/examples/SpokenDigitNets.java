package dev.nerve.examples;

import dev.nerve.audio.AudioFeatures;
import dev.nerve.audio.SpokenDigits;
import dev.nerve.io.ModelSpec;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.Conv1d;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Dropout;
import dev.nerve.nn.GlobalAvgPool1d;
import dev.nerve.nn.GlobalPool1d;
import dev.nerve.nn.Init;
import dev.nerve.nn.LayerSettings;
import dev.nerve.nn.MaxPool1d;
import dev.nerve.nn.NoSettings;
import dev.nerve.nn.Pool1d;
import dev.nerve.nn.PositionalEncoding;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.TransformerEncoder;
import java.nio.file.Path;
import java.util.List;

/**
 * Two networks that tell the ten spoken digits apart from one second of log-mel spectrogram ({@link
 * AudioFeatures#defaults()}: 40 mel bands × 101 frames of 10 ms), trained on the speakers of {@link
 * SpokenDigits}' training split and tested on speakers never heard in training.
 *
 * <ul>
 *   <li>{@link #conv()}: three 1-D convolutions over time, the mel bands as input channels (a small
 *       keyword-spotting network), global average pooling over time, a dense layer.
 *   <li>{@link #transformer()}: the frames as a sequence ({@code [101, 40]}), a dense layer to
 *       width 64, sinusoidal positions, two encoder blocks (4 heads), the average over time, a
 *       dense layer.
 * </ul>
 */
public final class SpokenDigitNets {
  private SpokenDigitNets() {}

  /** The features every example is made of, and a model file records. */
  public static final AudioFeatures FEATURES = AudioFeatures.defaults();

  /** The class names, in label order: zero .. nine. */
  public static final List<String> CLASSES = SpokenDigits.WORDS;

  /**
   * Where the examples keep the synthesised set: {@code <nerve.data>/spoken-digits} (a system
   * property), else {@code $NERVE_DATA/spoken-digits}, else {@code
   * $XDG_CACHE_HOME/nerve/spoken-digits}, else {@code ~/.cache/nerve/spoken-digits}.
   */
  public static Path defaultDir() {
    String data = System.getProperty("nerve.data", System.getenv("NERVE_DATA"));
    if (data != null && !data.isBlank()) {
      return Path.of(data, "spoken-digits");
    }
    String cache = System.getenv("XDG_CACHE_HOME");
    Path base =
        cache != null && !cache.isBlank()
            ? Path.of(cache)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("nerve").resolve("spoken-digits");
  }

  /**
   * The convolutional network on {@code [40, 101]}: Conv1d 64 (kernel 5) + ReLU + max pool 2,
   * Conv1d 64 (5) + ReLU + max pool 2, Conv1d 128 (3) + ReLU, global average over time, dropout
   * 0.3, dense to 10; Adam 1e-3, batch 32, 15 epochs.
   */
  public static ModelSpec conv() {
    NoSettings relu = new NoSettings(ReLU.TYPE);
    Pool1d.Settings pool = new Pool1d.Settings(MaxPool1d.TYPE, 2, 2, 0);
    List<LayerSettings> layers =
        List.of(
            new Conv1d.Settings(64, 5, 1, 2), // [64, 101]
            relu,
            pool, // [64, 50]
            new Conv1d.Settings(64, 5, 1, 2),
            relu,
            pool, // [64, 25]
            new Conv1d.Settings(128, 3, 1, 1),
            relu,
            new GlobalPool1d.Settings(GlobalAvgPool1d.TYPE, false), // [128]
            new Dropout.Settings(0.3f),
            new Dense.Settings(CLASSES.size(), true, Init.xavierUniform(), Init.zeros()));
    return new ModelSpec(
        List.of(FEATURES.bands(), FEATURES.frames()),
        layers,
        SoftmaxCrossEntropy.NAME,
        1e-3f,
        15,
        32,
        0,
        "adam");
  }

  /**
   * The transformer on {@code [101, 40]}: dense to 64, sinusoidal positions, two pre-norm encoder
   * blocks (4 heads, GELU feed-forward 128, dropout 0.1), the average over time, dense to 10; Adam
   * 1e-3, batch 32, 10 epochs (an epoch costs some ten times the convolutional network's).
   */
  public static ModelSpec transformer() {
    TransformerEncoder.Settings block =
        new TransformerEncoder.Settings(4, 128, 0.1f, "gelu", false, 1e-5f);
    List<LayerSettings> layers =
        List.of(
            new Dense.Settings(64, true, Init.xavierUniform(), Init.zeros()), // [101, 64]
            new PositionalEncoding.Settings("sinusoidal", 128),
            block,
            block,
            new GlobalPool1d.Settings(GlobalAvgPool1d.TYPE, true), // [64]
            new Dense.Settings(CLASSES.size(), true, Init.xavierUniform(), Init.zeros()));
    return new ModelSpec(
        List.of(FEATURES.frames(), FEATURES.bands()),
        layers,
        SoftmaxCrossEntropy.NAME,
        1e-3f,
        10,
        32,
        0,
        "adam");
  }
}
