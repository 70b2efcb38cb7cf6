package dev.nerve.cli;

import dev.nerve.io.ModelFile;
import dev.nerve.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A model file as {@code predict} and {@code evaluate} use it: network plus its CSV columns. */
final class SavedModel {
  final ModelFile file;
  final List<String> features;
  final String target;
  final List<String> classes;

  private SavedModel(ModelFile file) {
    this.file = file;
    this.features = strings(file.metadata().get("features"));
    Object t = file.metadata().get("target");
    this.target = t instanceof String ? (String) t : null;
    Object c = file.metadata().get("classes");
    this.classes = c == null ? null : strings(c);
  }

  static SavedModel read(Path path) {
    try {
      return new SavedModel(ModelFile.read(path));
    } catch (IOException e) {
      throw Main.io(path.toString(), e);
    }
  }

  private static List<String> strings(Object o) {
    List<String> out = new ArrayList<>();
    if (o instanceof List) {
      for (Object x : (List<?>) o) {
        out.add(String.valueOf(x));
      }
    }
    return out;
  }

  /** The input columns of {@code t}, by the names the model was trained on. */
  Tensor inputs(CsvTable t) {
    if (features.size() != file.spec().inputs()) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "the model file does not list its " + file.spec().inputs() + " input columns");
    }
    return t.numbers(t.columns(features));
  }

  /** The targets of {@code t}: one-hot for a classifier, the number otherwise. */
  Tensor targets(CsvTable t) {
    if (target == null) {
      throw new CliException(ExitCodes.BAD_INPUT, "the model file does not name its target column");
    }
    int col = t.column(target);
    return classes != null ? t.oneHot(col, classes) : t.numbers(new int[] {col});
  }
}
