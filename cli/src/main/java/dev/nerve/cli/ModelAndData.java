package dev.nerve.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options {@code predict} and {@code evaluate} share: a saved model and a CSV file. */
final class ModelAndData {
  @Option(
      names = {"-m", "--model"},
      required = true,
      paramLabel = "FILE",
      description = "A model saved by 'nerve train --output'.")
  Path model;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "FILE",
      description = "CSV with a header row and the model's input columns (by name).")
  Path data;

  /** Reads the model file. */
  SavedModel model() {
    return SavedModel.read(model);
  }

  /** Reads the CSV file. */
  CsvTable table() {
    return CsvTable.read(data);
  }
}
