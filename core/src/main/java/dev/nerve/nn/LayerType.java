package dev.nerve.nn;

import dev.nerve.tensor.Shape;
import dev.nerve.tensor.ShapeMismatchException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A kind of layer as a network description names it, declared in the layer's own file beside its
 * forward and backward: its JSON name, its settings record with their defaults, how it reads and
 * writes them, how it describes a layer back into settings, the arithmetic of its output shape and
 * stored-value count, and how it builds a layer. {@link LayerTypes} lists every type; reading and
 * writing the network JSON, checking a description's shapes and sizes, and building the network are
 * loops over that list.
 *
 * <p>The arithmetic ({@link #sizes}) never allocates, so a hostile description asking for a
 * billion-parameter layer is refused before anything is built. {@link #build} is only called after
 * the whole description passed that check.
 *
 * <pre>{@code
 * public static final LayerType<Settings, Dropout> TYPE =
 *     new LayerType<>("dropout", Dropout.class, Settings.class) {
 *       public Settings read(SettingsReader in) { return new Settings(in.rate("rate", 0.5f)); }
 *       public void write(Settings s, Map<String, Object> out) { out.put("rate", s.rate()); }
 *       public Settings describe(Dropout d) { return new Settings(d.rate()); }
 *       public Sizes sizes(Settings s, Shape in) { return Sizes.of(in); }
 *       public Dropout build(Settings s, Shape in) { return new Dropout(s.rate()); }
 *     };
 * }</pre>
 *
 * @param <S> the settings record
 * @param <L> the layer class
 */
public abstract class LayerType<S extends LayerSettings, L extends Layer> {
  /** The largest kernel, stride, padding, channel or unit count a network description may use. */
  public static final int MAX_SIZE = 1 << 24;

  /**
   * The most values one example may have at any layer's output, 2^24 (64 MB of floats): far above
   * image networks' needs, and low enough that a batch of them stays within an array.
   */
  public static final int MAX_ACTIVATION = 1 << 24;

  /** The most values (parameters and buffers) a network description may have: 2^28, 1 GB. */
  public static final long MAX_VALUES = 1L << 28;

  /** Where the size arithmetic saturates, far above every limit and far below overflow. */
  private static final long SATURATED = 1L << 61;

  private final String name;
  private final Class<L> layerClass;
  private final Class<S> settingsClass;
  private final List<String> aliases;

  /**
   * A type named {@code name} in the network JSON (also read under each of {@code aliases}),
   * building layers of class {@code layerClass} from settings of class {@code settingsClass}.
   */
  protected LayerType(String name, Class<L> layerClass, Class<S> settingsClass, String... aliases) {
    this.name = name;
    this.layerClass = layerClass;
    this.settingsClass = settingsClass;
    this.aliases = List.of(aliases);
  }

  /** The name in the network JSON, such as {@code "dense"}. */
  public final String name() {
    return name;
  }

  /** Other names read as this type (never written). */
  public final List<String> aliases() {
    return aliases;
  }

  /** The class of the layers this type builds. */
  public final Class<L> layerClass() {
    return layerClass;
  }

  /**
   * Reads the settings from a layer's JSON object, defaults filled in. Ask {@code in} for every key
   * the type has, unconditionally: the keys asked for are the known ones, and any other key in the
   * object is refused afterwards as unknown.
   *
   * @throws IllegalArgumentException naming the key, for a missing required setting or a value of
   *     the wrong kind or range
   */
  public abstract S read(SettingsReader in);

  /**
   * Writes every setting into {@code out} as JSON values (Integer, Float, Boolean, String, lists
   * and maps of them), in a fixed order, under the keys {@link #read} reads them from.
   */
  public abstract void write(S settings, Map<String, Object> out);

  /** The settings that build a layer like {@code layer}. */
  public abstract S describe(L layer);

  /**
   * The output shape and stored-value counts of a layer of these settings on examples of shape
   * {@code input} (no batch dimension), by arithmetic only: nothing is allocated.
   *
   * @throws ShapeMismatchException if such a layer cannot take {@code input}: the message starts
   *     with this type's name (or the layer's, as in {@code MaxPool2d(kernel=2): ...}) and names
   *     the shapes; the caller adds the layer's place
   * @throws IllegalArgumentException if the settings do not fit together
   */
  public abstract Sizes sizes(S settings, Shape input);

  /**
   * Builds the layer the settings describe for examples of shape {@code input}, its parameters not
   * yet initialised. Called only after {@link #sizes} accepted the same arguments.
   */
  public abstract L build(S settings, Shape input);

  /**
   * What {@link #sizes} computes.
   *
   * @param output the output shape of one example
   * @param parameters the trainable values
   * @param buffers the values saved but not trained (batch normalisation's running statistics)
   */
  public record Sizes(Shape output, long parameters, long buffers) {
    /** A layer without parameters or buffers whose output has shape {@code output}. */
    public static Sizes of(Shape output) {
      return new Sizes(output, 0, 0);
    }
  }

  /** {@code a × b} for counts, saturating far below overflow instead of wrapping. */
  protected static long times(long a, long b) {
    return a != 0 && b > SATURATED / a ? SATURATED : Math.min(SATURATED, a * b);
  }

  /** {@code a + b} for counts, saturating as {@link #times}. */
  static long plus(long a, long b) {
    return Math.min(SATURATED, a + b);
  }

  /**
   * Refuses a layer whose own stored values already exceed {@link #MAX_VALUES}, before its shape
   * arithmetic can fail for the same absurd settings with a less helpful message.
   */
  protected final void checkValues(long values) {
    if (values > MAX_VALUES) {
      throw new ShapeMismatchException(
          name + " takes the network past " + MAX_VALUES + " values, more than this library loads");
    }
  }

  /**
   * The size of the last axis of {@code input}, which a layer working on vectors (such as {@link
   * Dense}) takes; refuses feature maps {@code [channels, height, width]}, which need a {@code
   * flatten} first.
   */
  protected final int lastAxis(Shape input) {
    if (input.rank() == 0 || input.rank() > 2) {
      throw new ShapeMismatchException(
          name
              + ": expects a flat input but gets "
              + input
              + "; put a flatten (or global_avg_pool2d) layer before it");
    }
    return input.dim(-1);
  }

  // ---- the registry's entry points: settings checked against this type once, here ----------

  final Sizes sizesOf(LayerSettings s, Shape input) {
    return sizes(settingsClass.cast(s), input);
  }

  final Layer buildOf(LayerSettings s, Shape input) {
    return build(settingsClass.cast(s), input);
  }

  final void writeOf(LayerSettings s, Map<String, Object> out) {
    write(settingsClass.cast(s), out);
  }

  final S describeOf(Layer layer) {
    return describe(layerClass.cast(layer));
  }

  /** Like {@code LayerType(dense)}. */
  @Override
  public String toString() {
    return "LayerType(" + name + ")";
  }

  /**
   * The type of a layer that has no settings and no parameters, whose output shape is what {@code
   * make.get().outputShape(input)} says (one layer is made when the type is, as a prototype asked
   * only for shapes, and never trained).
   */
  public static <L extends Layer> LayerType<NoSettings, L> plain(
      String name, Class<L> layerClass, Supplier<L> make, String... aliases) {
    return new PlainType<>(name, layerClass, make, aliases);
  }

  /** See {@link #plain}. */
  private static final class PlainType<L extends Layer> extends LayerType<NoSettings, L> {
    private final Supplier<L> make;
    private final L prototype; // never trained: only asked for output shapes

    PlainType(String name, Class<L> layerClass, Supplier<L> make, String... aliases) {
      super(name, layerClass, NoSettings.class, aliases);
      this.make = make;
      this.prototype = make.get();
    }

    @Override
    public NoSettings read(SettingsReader in) {
      return new NoSettings(this);
    }

    @Override
    public void write(NoSettings settings, Map<String, Object> out) {}

    @Override
    public NoSettings describe(L layer) {
      return new NoSettings(this);
    }

    @Override
    public Sizes sizes(NoSettings settings, Shape input) {
      return Sizes.of(prototype.outputShape(input));
    }

    @Override
    public L build(NoSettings settings, Shape input) {
      return make.get();
    }
  }
}
