package dev.nerve.tensor.kernel;

/**
 * Loads the kernels written on the incubating Vector API ({@code jdk.incubator.vector}) when the
 * module is present, by name, so that no class of the plain-Java path ever links against it: the
 * JVM must be started with {@code --add-modules jdk.incubator.vector} for them to be used.
 */
final class VectorModule {
  private VectorModule() {}

  /** True when the JVM was started with the Vector API module. */
  static boolean present() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /** A new instance of the named class in this package, or null without the module. */
  static <T> T load(String simpleName, Class<T> type) {
    if (!present()) {
      return null;
    }
    try {
      return type.cast(
          Class.forName("dev.nerve.tensor.kernel." + simpleName)
              .getDeclaredConstructor()
              .newInstance());
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }
}
