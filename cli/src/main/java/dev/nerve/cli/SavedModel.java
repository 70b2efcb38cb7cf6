package dev.nerve.cli;

import dev.nerve.data.Dataset;
import dev.nerve.data.Features;
import dev.nerve.data.Idx;
import dev.nerve.io.ModelFile;
import dev.nerve.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A model file as {@code predict} and {@code evaluate} use it: the network, its normalisation, and
 * how its inputs and targets are read from CSV (by column name) or IDX (by position).
 */
final class SavedModel {
  final ModelFile file;
  final Columns columns;
  final String target;
  final List<String> classes;

  private SavedModel(ModelFile file) {
    this.file = file;
    this.columns = Columns.fromMetadata(file.metadata());
    Object t = file.metadata().get("target");
    this.target = t instanceof String ? (String) t : null;
    Object c = file.metadata().get("classes");
    this.classes = c instanceof List<?> l ? Columns.strings(l) : null;
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
      x = Features.of(csvInputs(CsvTable.read(data)));
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

  private Tensor csvInputs(CsvTable t) {
    if (columns.width() != file.spec().inputs()) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "the model file does not list its "
              + file.spec().inputs()
              + " input columns (it was trained on "
              + (columns.columns.isEmpty() ? "IDX images" : columns.describe())
              + ")");
    }
    return columns.encode(t);
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
    if (target == null) {
      throw new CliException(ExitCodes.BAD_INPUT, "the model file does not name its target column");
    }
    int col = t.column(target);
    Tensor y = classes != null ? t.oneHot(col, classes) : t.numbers(new int[] {col});
    return new Dataset(csvInputs(t), y).normalized(file.normalizer());
  }
}
