package dev.nerve.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options {@code predict} and {@code evaluate} share: a saved model and its data. */
final class ModelAndData {
  @Option(
      names = {"-m", "--model"},
      required = true,
      paramLabel = "FILE",
      description = "A model saved by 'nerve train --output' (or a checkpoint).")
  Path model;

  @Option(
      names = "--data",
      paramLabel = "FILE",
      description =
          "CSV with a header row and the model's input columns (by name), or IDX images"
              + " (plain or .gz).")
  Path data;

  /** The data file, required unless the command says otherwise. */
  Path data() {
    if (data == null) {
      throw new CliException(ExitCodes.USAGE, "give the data with --data FILE");
    }
    return data;
  }

  /** Reads the model file. */
  SavedModel model() {
    return SavedModel.read(model);
  }
}
