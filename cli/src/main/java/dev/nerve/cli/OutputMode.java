package dev.nerve.cli;

import picocli.CommandLine.Option;

/** How much a command prints: everything, only the result (--quiet), or JSON (--json). */
final class OutputMode {
  @Option(
      names = {"-q", "--quiet"},
      description = "Print only the final result.")
  boolean quiet;

  @Option(
      names = "--json",
      description =
          "Machine-readable output: one JSON object per line (for train, one per epoch and a"
              + " final result).")
  boolean json;

  /** Whether to print the human-readable extras (summaries, progress, file notices). */
  boolean human() {
    return !quiet && !json;
  }
}
