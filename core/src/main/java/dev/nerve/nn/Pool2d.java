package dev.nerve.nn;

import dev.nerve.tensor.Shape;
import java.util.Map;

/**
 * What the 2-D pooling layers share: a square window, its stride and padding, and the output shape
 * they give. {@link MaxPool2d} and {@link AvgPool2d} differ only in what they compute over each
 * window.
 */
public abstract sealed class Pool2d implements Layer permits MaxPool2d, AvgPool2d {
  /**
   * The settings of a pooling layer in the network JSON ({@code "type": "max_pool2d"} or {@code
   * "avg_pool2d"}).
   *
   * @param type which pooling
   * @param kernelSize window height and width, {@code "kernel_size"} (required)
   * @param stride {@code "stride"} (default: the kernel size)
   * @param padding {@code "padding"} (default 0, at most half the kernel)
   */
  public record Settings(LayerType<Settings, ?> type, int kernelSize, int stride, int padding)
      implements LayerSettings {}

  /** Makes a pooling layer of one kind. */
  interface Factory<L extends Pool2d> {
    L make(int kernel, int stride, int padding);
  }

  /**
   * The layer type of one kind of pooling, named {@code name} in JSON and {@code displayName} in
   * messages (its class's name), made by {@code make}.
   */
  static <L extends Pool2d> LayerType<Settings, L> type(
      String name, String displayName, Class<L> layerClass, Factory<L> make) {
    return new LayerType<>(name, layerClass, Settings.class) {
      @Override
      public Settings read(SettingsReader in) {
        int k = in.size("kernel_size");
        return new Settings(this, k, in.size("stride", k), in.count("padding", 0));
      }

      @Override
      public void write(Settings s, Map<String, Object> out) {
        out.put("kernel_size", s.kernelSize());
        out.put("stride", s.stride());
        out.put("padding", s.padding());
      }

      @Override
      public Settings describe(L layer) {
        return new Settings(this, layer.kernel(), layer.stride(), layer.padding());
      }

      @Override
      public Sizes sizes(Settings s, Shape input) {
        // The window arithmetic alone (its constructor checks the settings), no layer.
        Pooling p = new Pooling(displayName, s.kernelSize(), s.stride(), s.padding());
        return Sizes.of(p.outputShape(p, input));
      }

      @Override
      public L build(Settings s, Shape input) {
        return make.make(s.kernelSize(), s.stride(), s.padding());
      }
    };
  }

  final Pooling p;

  Pool2d(String name, int kernel, int stride, int padding) {
    this.p = new Pooling(name, kernel, stride, padding);
  }

  /** Window height and width. */
  public int kernel() {
    return p.kernel;
  }

  /** Step between windows. */
  public int stride() {
    return p.stride;
  }

  /** Cells added on each side. */
  public int padding() {
    return p.padding;
  }

  @Override
  public Shape outputShape(Shape input) {
    return p.outputShape(this, input);
  }

  @Override
  public String toString() {
    return p.toString();
  }
}
