package dev.nerve.cli;

import dev.nerve.tensor.kernel.Parallel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options every command takes that set up the run rather than the work. */
final class RuntimeOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Threads for the matrix multiply (default: all processors). Results are identical"
              + " for every thread count.")
  void threads(int n) {
    if (n < 1) {
      // A ParameterException from a setter is reported like any other usage error (exit 2).
      throw new ParameterException(mixee.commandLine(), "--threads must be at least 1, got " + n);
    }
    Parallel.setThreads(n);
  }
}
