package dev.nerve;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Facts about this build of the library. */
public final class Nerve {
  private static final String VERSION = readVersion();

  private Nerve() {}

  /** The library version, such as {@code 0.1.0}, written into every model file. */
  public static String version() {
    return VERSION;
  }

  private static String readVersion() {
    try (InputStream in = Nerve.class.getResourceAsStream("nerve.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
