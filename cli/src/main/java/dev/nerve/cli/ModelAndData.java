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
      required = true,
      paramLabel = "FILE",
      description =
          "CSV with a header row and the model's input columns (by name), or IDX images"
              + " (plain or .gz).")
  Path data;

  /** Reads the model file. */
  SavedModel model() {
    return SavedModel.read(model);
  }
}
