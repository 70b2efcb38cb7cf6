package dev.nerve.cli;

import dev.nerve.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How CSV input columns become the network's input vector: a numeric column is one input, a
 * categorical column (any cell that is not a number) is one-hot encoded over the values seen in
 * training. Saved in the model's metadata and applied again by {@code predict} and {@code
 * evaluate}, so a column's levels keep their positions.
 */
final class Columns {
  /** One input column: its name and, for a categorical column, its levels in input order. */
  record Column(String name, List<String> levels) {
    boolean categorical() {
      return levels != null;
    }

    int width() {
      return levels == null ? 1 : levels.size();
    }
  }

  final List<Column> columns;

  Columns(List<Column> columns) {
    this.columns = List.copyOf(columns);
  }

  /**
   * Chooses each column's encoding from the training table: categorical if named in {@code
   * categorical} or if more than half its values are not numbers; otherwise numeric, and a value
   * that is not a number is an error naming its line and column (a typo in a numeric column must
   * not silently turn it into categories).
   */
  static Columns fit(CsvTable t, int[] cols, List<String> categorical) {
    for (String name : categorical) {
      t.column(name);
    }
    List<Column> out = new ArrayList<>();
    for (int c : cols) {
      int words = 0;
      for (int r = 0; r < t.rows.size(); r++) {
        String v = t.rows.get(r)[c];
        if (v.isEmpty()) {
          throw new CliException(
              ExitCodes.BAD_INPUT,
              t.where(r, c) + ": empty value (missing values are not supported)");
        }
        if (!CsvTable.isNumber(v)) {
          words++;
        }
      }
      String name = t.header.get(c);
      boolean isCategorical = categorical.contains(name) || 2 * words > t.rows.size();
      out.add(new Column(name, isCategorical ? t.labels(c) : null));
    }
    return new Columns(out);
  }

  /** Number of network inputs. */
  int width() {
    return columns.stream().mapToInt(Column::width).sum();
  }

  /** Column names. */
  List<String> names() {
    return columns.stream().map(Column::name).toList();
  }

  /** A description for errors and logs, such as {@code x1, colour (3 one-hot)}. */
  String describe() {
    List<String> parts = new ArrayList<>();
    for (Column c : columns) {
      parts.add(c.categorical() ? c.name() + " (" + c.width() + " one-hot)" : c.name());
    }
    return String.join(", ", parts);
  }

  /** The inputs of every row of {@code t}, by column name. */
  Tensor encode(CsvTable t) {
    int[] idx = t.columns(names());
    int w = width();
    Tensor x = Tensor.zeros(t.rows.size(), w);
    float[] d = x.data();
    for (int r = 0; r < t.rows.size(); r++) {
      int o = r * w;
      for (int k = 0; k < columns.size(); k++) {
        Column c = columns.get(k);
        if (c.categorical()) {
          d[o + t.level(r, idx[k], c.levels())] = 1f;
        } else {
          d[o] = t.number(r, idx[k]);
        }
        o += c.width();
      }
    }
    return x;
  }

  /** The metadata form: a list of {name} or {name, levels}. */
  List<Object> toJson() {
    List<Object> out = new ArrayList<>();
    for (Column c : columns) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", c.name());
      m.put("kind", c.categorical() ? "categorical" : "numeric");
      if (c.categorical()) {
        m.put("levels", c.levels());
      }
      out.add(m);
    }
    return out;
  }

  /**
   * Reads the metadata form; a model file of version 1 lists plain names under "features", all
   * numeric.
   */
  static Columns fromMetadata(Map<String, Object> meta) {
    List<Column> out = new ArrayList<>();
    Object inputs = meta.get("inputs");
    if (inputs instanceof List<?> list) {
      for (Object o : list) {
        if (!(o instanceof Map<?, ?> m) || !(m.get("name") instanceof String name)) {
          throw new CliException(ExitCodes.BAD_INPUT, "the model file's input columns are damaged");
        }
        out.add(new Column(name, m.get("levels") instanceof List<?> l ? strings(l) : null));
      }
    } else if (meta.get("features") instanceof List<?> names) {
      for (Object o : names) {
        out.add(new Column(String.valueOf(o), null));
      }
    }
    return new Columns(out);
  }

  static List<String> strings(List<?> l) {
    List<String> out = new ArrayList<>();
    for (Object o : l) {
      out.add(String.valueOf(o));
    }
    return out;
  }
}
