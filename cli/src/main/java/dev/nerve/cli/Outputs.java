package dev.nerve.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The rule for every file {@code nerve} writes: never replace an existing one unless --force. */
final class Outputs {
  private Outputs() {}

  /** Fails before any work is done if {@code file} exists and {@code force} is off. */
  static void checkWritable(Path file, boolean force, String option) {
    if (file == null) {
      return;
    }
    if (Files.isDirectory(file)) {
      throw new CliException(ExitCodes.USAGE, option + " " + file + " is a directory");
    }
    if (Files.exists(file) && !force) {
      throw new CliException(
          ExitCodes.EXISTS, option + " " + file + " already exists; use --force to replace it");
    }
  }
}
