package dev.nerve.cli;

import dev.nerve.data.ColumnEncoding;
import dev.nerve.data.DataFormatException;
import dev.nerve.data.Dataset;
import dev.nerve.data.Features;
import dev.nerve.data.Idx;
import dev.nerve.io.ModelFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A model file as {@code predict} and {@code evaluate} use it: the network, its normalisation, and
 * its column encoding (the core's {@link ColumnEncoding}, saved with the model), which reads CSV by
 * column name; IDX images are read by position.
 */
final class SavedModel {
  final ModelFile file;
  final ColumnEncoding encoding;
  final List<String> classes;

  private SavedModel(ModelFile file) {
    this.file = file;
    try {
      this.encoding = file.encoding();
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
    }
    this.classes = encoding.classes();
    if (classes != null && classes.size() != file.spec().outputs()) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "the model file lists "
              + classes.size()
              + " classes for a network of "
              + file.spec().outputs()
              + " outputs");
    }
  }

  static SavedModel read(Path path) {
    try {
      return new SavedModel(ModelFile.read(path));
    } catch (IOException e) {
      throw Main.io(path.toString(), e);
    }
  }

  /** The model's normalised inputs read from {@code data}, CSV or IDX images. */
  Features inputs(Path data) {
    Features x;
    if (DataFiles.isIdx(data)) {
      try {
        x = Idx.read(data).asFeatures();
      } catch (IOException e) {
        throw Main.io(data.toString(), e);
      }
    } else {
      CsvTable t = CsvTable.read(data);
      checkColumns();
      try {
        x = Features.of(encoding.encodeInputs(t));
      } catch (DataFormatException e) {
        throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
      }
    }
    if (x.cols() != file.spec().inputs()) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          data
              + " gives "
              + x.cols()
              + " inputs per example; the model takes "
              + file.spec().inputs());
    }
    return x.normalized(file.normalizer());
  }

  private void checkColumns() {
    if (encoding.width() != file.spec().inputs()) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "the model file does not list its "
              + file.spec().inputs()
              + " input columns (it was trained on "
              + (encoding.hasColumns() ? encoding.describe() : "IDX images")
              + ")");
    }
  }

  /** Inputs and targets: a CSV with the target column, or IDX images with an IDX labels file. */
  Dataset dataset(Path data, Path labels) {
    if (labels != null || DataFiles.isIdx(data)) {
      if (labels == null) {
        throw new CliException(
            ExitCodes.USAGE, data + " is an IDX file: give its labels with --labels");
      }
      Dataset d;
      try {
        d = Idx.readDataset(data, labels, file.spec().outputs());
      } catch (IOException e) {
        throw Main.io(data + " / " + labels, e);
      }
      if (d.features().cols() != file.spec().inputs()) {
        throw new CliException(
            ExitCodes.BAD_INPUT,
            data
                + " has "
                + d.features().cols()
                + " pixels per image; the model takes "
                + file.spec().inputs());
      }
      return d.normalized(file.normalizer());
    }
    CsvTable t = CsvTable.read(data);
    if (encoding.target() == null) {
      throw new CliException(ExitCodes.BAD_INPUT, "the model file does not name its target column");
    }
    t.column(encoding.target()); // a missing target column is named first
    checkColumns();
    try {
      return encoding.dataset(t).normalized(file.normalizer());
    } catch (DataFormatException e) {
      throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
    }
  }
}
