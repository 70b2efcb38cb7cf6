package dev.nerve.cli;

import dev.nerve.data.ColumnEncoding;
import dev.nerve.data.DataFormatException;
import dev.nerve.data.Dataset;
import dev.nerve.data.Features;
import dev.nerve.data.Idx;
import dev.nerve.io.ModelFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
      if (path.getFileName() != null && path.getFileName().toString().endsWith(".onnx")) {
        return new SavedModel(dev.nerve.onnx.OnnxImport.read(path)); // an ONNX model, as imported
      }
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

  /** The tokenizer of a model that reads text, or null. */
  dev.nerve.text.Tokenizer tokenizer() {
    try {
      return file.tokenizer();
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
    }
  }

  /** Whether the model is a language model (it predicts the next token). */
  boolean languageModel() {
    return TextData.LANGUAGE_MODEL.equals(file.metadata().get(TextData.TASK));
  }

  /** The input length, in tokens, of a model that reads text. */
  int steps() {
    return file.spec().inputShape().get(0);
  }

  /**
   * The texts of {@code data} for a model that reads text: the model's text column of a CSV file,
   * or for any other file one text per non-empty line. {@code where} receives, per text, where it
   * is (file and line) for errors.
   */
  List<String> texts(Path data, List<String> where) {
    List<String> out = new ArrayList<>();
    Object column = file.metadata().get(TextData.TEXT_COLUMN);
    if (column != null && data.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
      CsvTable t = CsvTable.read(data);
      int c = t.column(String.valueOf(column));
      List<String> cells = TextData.column(t, c, true);
      for (int r = 0; r < cells.size(); r++) {
        where.add(t.where(r, c));
      }
      return cells;
    }
    String text;
    try {
      text = dev.nerve.text.TextFiles.read(data);
    } catch (IOException e) {
      throw Main.io(data.toString(), e);
    }
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].isBlank()) {
        out.add(lines[i]);
        where.add(data + ": line " + (i + 1));
      }
    }
    return out;
  }

  /**
   * Labelled text for {@code evaluate}: a CSV with the text and target columns for a classifier, a
   * text file cut into windows for a language model.
   */
  Dataset textDataset(Path data) {
    dev.nerve.text.Tokenizer tok = tokenizer();
    if (languageModel()) {
      String text;
      try {
        text = dev.nerve.text.TextFiles.read(data);
      } catch (IOException e) {
        throw Main.io(data.toString(), e);
      }
      int[] ids = tok.encode(text);
      try {
        return dev.nerve.text.TextDatasets.languageModel(ids, steps(), steps(), tok.size());
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.BAD_INPUT, data + ": " + e.getMessage());
      }
    }
    CsvTable t = CsvTable.read(data);
    if (encoding.target() == null) {
      throw new CliException(ExitCodes.BAD_INPUT, "the model file does not name its target column");
    }
    int target = t.column(encoding.target());
    int textColumn = t.column(String.valueOf(file.metadata().get(TextData.TEXT_COLUMN)));
    List<String> texts = TextData.column(t, textColumn, true);
    List<String> where = new ArrayList<>();
    for (int r = 0; r < texts.size(); r++) {
      where.add(t.where(r, textColumn));
    }
    List<String> labels = TextData.column(t, target, false);
    int[] y = new int[labels.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = classes.indexOf(labels.get(i));
      if (y[i] < 0) {
        throw new CliException(
            ExitCodes.BAD_INPUT,
            t.where(i, target)
                + ": class '"
                + labels.get(i)
                + "' is not one the model knows ("
                + String.join(", ", classes)
                + ")");
      }
    }
    TextData.Encoded e = TextData.encode(tok, texts, steps(), where::get);
    // The rows as encode() padded them, not a second tokenisation.
    int[][] seqs = new int[texts.size()][];
    float[] ids = e.ids().data();
    for (int i = 0; i < seqs.length; i++) {
      seqs[i] = new int[e.lengths()[i]];
      for (int k = 0; k < seqs[i].length; k++) {
        seqs[i][k] = (int) ids[i * steps() + k];
      }
    }
    return dev.nerve.text.TextDatasets.padded(seqs, steps(), y, classes.size());
  }

  /** Inputs and targets: a CSV with the target column, or IDX images with an IDX labels file. */
  Dataset dataset(Path data, Path labels) {
    if (file.metadata().get(ModelFile.TOKENIZER) != null) {
      if (labels != null) {
        throw new CliException(
            ExitCodes.USAGE, "--labels is for IDX images; this model reads text");
      }
      return textDataset(data);
    }
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
