package dev.nerve.data;

import dev.nerve.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * How the columns of a table of text (a CSV file) become a network's inputs and targets, fitted on
 * the training table and saved in the model file, so that a model predicts from raw column values
 * exactly as it was trained, from the command line or from Java:
 *
 * <ul>
 *   <li>a numeric input column is one input;
 *   <li>a categorical input column (named as one, or more than half its values not numbers) is
 *       one-hot over the levels seen in training, in sorted order (numerically when every level is
 *       a number), so a level keeps its position;
 *   <li>the target is a class label (one-hot over the classes, whose names the model keeps) or a
 *       number.
 * </ul>
 *
 * <p>Columns are found by name, so a table may order them differently from the training one. A
 * value that is not a number in a numeric column, an empty cell or a level not seen in training is
 * refused with a {@link DataFormatException} naming the cell ({@code iris.csv: line 5, column 2
 * ('sepal_width'): 'abc' is not a number}).
 *
 * <pre>{@code
 * ModelFile m = ModelFile.read(Path.of("iris.nerve"));
 * Tensor p = m.predict(List.of(Map.of("sepal_length", "5.1", "sepal_width", "3.5",
 *     "petal_length", "1.4", "petal_width", "0.2")));
 * String species = m.encoding().className(p.argmaxRows()[0]);      // "setosa"
 * }</pre>
 */
public final class ColumnEncoding {
  /**
   * One input column.
   *
   * @param name its name in the table's header
   * @param levels for a categorical column, its levels in input order; null for a numeric one
   */
  public record Column(String name, List<String> levels) {
    /** Copies the levels. */
    public Column {
      levels = levels == null ? null : List.copyOf(levels);
    }

    /** Whether the column is one-hot encoded. */
    public boolean categorical() {
      return levels != null;
    }

    /** The inputs it becomes: 1, or one per level. */
    public int width() {
      return levels == null ? 1 : levels.size();
    }
  }

  /**
   * A table of text cells as the encoding reads it. The command line's CSV reader is one, naming
   * file and line in {@link #where}; {@link #of(List)} views rows of name-value maps as one.
   */
  public interface Table {
    /** The column names. */
    List<String> header();

    /** The number of rows. */
    int rows();

    /** The text in row {@code row} (from 0), column {@code col} (from 0). */
    String cell(int row, int col);

    /** What the table is, for messages: a file name; by default {@code the table}. */
    default String source() {
      return "the table";
    }

    /** Where a cell is, for messages: by default {@code the table: row 3, column 2 ('x')}. */
    default String where(int row, int col) {
      return source()
          + ": row "
          + (row + 1)
          + ", column "
          + (col + 1)
          + " ('"
          + header().get(col)
          + "')";
    }

    /**
     * Rows given as column name to value, each with every column the encoding reads (the first
     * row's names are the header).
     */
    static Table of(List<Map<String, String>> rows) {
      List<String> header = rows.isEmpty() ? List.of() : List.copyOf(rows.get(0).keySet());
      return new Table() {
        @Override
        public List<String> header() {
          return header;
        }

        @Override
        public int rows() {
          return rows.size();
        }

        @Override
        public String cell(int row, int col) {
          String v = rows.get(row).get(header.get(col));
          return v == null ? "" : v;
        }
      };
    }
  }

  private final List<Column> inputs;
  private final String target;
  private final List<String> classes;

  /**
   * An encoding of these input columns, with a target column (null for none) whose values are the
   * given classes (null for a numeric target).
   */
  public ColumnEncoding(List<Column> inputs, String target, List<String> classes) {
    this.inputs = List.copyOf(inputs);
    this.target = target;
    this.classes = classes == null ? null : List.copyOf(classes);
  }

  /**
   * Fits an encoding on a training table: every column but {@code target} is an input, categorical
   * if named in {@code categorical} or if more than half its values are not numbers, numeric
   * otherwise (where a value that is not a number is then an error naming it: a typo in a numeric
   * column must not silently turn it into categories); with {@code classify}, the target's distinct
   * values are the classes.
   *
   * @param target the target column's name, or null for the last column
   * @throws DataFormatException for an unknown column, an empty cell, or a value that is not a
   *     number in a numeric column, naming the cell
   */
  public static ColumnEncoding fit(
      Table t, String target, Collection<String> categorical, boolean classify)
      throws DataFormatException {
    for (String name : categorical) {
      column(t, name);
    }
    int tcol = target == null ? t.header().size() - 1 : column(t, target);
    List<Column> out = new ArrayList<>();
    for (int c = 0; c < t.header().size(); c++) {
      if (c == tcol) {
        continue;
      }
      int words = 0;
      for (int r = 0; r < t.rows(); r++) {
        String v = t.cell(r, c);
        if (v.isEmpty()) {
          throw new DataFormatException(
              t.where(r, c) + ": empty value (missing values are not supported)");
        }
        if (!isNumber(v)) {
          words++;
        }
      }
      String name = t.header().get(c);
      boolean isCategorical = categorical.contains(name) || 2 * words > t.rows();
      out.add(new Column(name, isCategorical ? levels(t, c) : null));
    }
    String tname = t.header().get(tcol);
    return new ColumnEncoding(out, tname, classify ? levels(t, tcol) : null);
  }

  /** The input columns, in input order. */
  public List<Column> inputs() {
    return inputs;
  }

  /** Whether the model reads named columns at all (models trained on images do not). */
  public boolean hasColumns() {
    return !inputs.isEmpty();
  }

  /** The target column's name, or null. */
  public String target() {
    return target;
  }

  /** The class names, in output order, or null for a numeric target. */
  public List<String> classes() {
    return classes;
  }

  /**
   * The name of class {@code k}.
   *
   * @throws IllegalStateException if the target is not classes
   */
  public String className(int k) {
    if (classes == null) {
      throw new IllegalStateException("this model's target is a number, not a class");
    }
    return classes.get(k);
  }

  /** The number of network inputs the columns become. */
  public int width() {
    return inputs.stream().mapToInt(Column::width).sum();
  }

  /** For errors and logs, such as {@code x1, colour (3 one-hot)}. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    for (Column c : inputs) {
      parts.add(c.categorical() ? c.name() + " (" + c.width() + " one-hot)" : c.name());
    }
    return String.join(", ", parts);
  }

  /**
   * The inputs of every row of {@code t}, {@code [rows, width()]}, its columns found by name.
   *
   * @throws DataFormatException naming the cell, for a missing column, an empty cell, a value that
   *     is not a number or a level not seen in training
   */
  public Tensor encodeInputs(Table t) throws DataFormatException {
    int[] idx = new int[inputs.size()];
    for (int k = 0; k < idx.length; k++) {
      idx[k] = column(t, inputs.get(k).name());
    }
    int w = width();
    Tensor x = Tensor.zeros(t.rows(), w);
    float[] d = x.data();
    for (int r = 0; r < t.rows(); r++) {
      int o = r * w;
      for (int k = 0; k < inputs.size(); k++) {
        Column c = inputs.get(k);
        if (c.categorical()) {
          d[o + level(t, r, idx[k], c.levels())] = 1f;
        } else {
          d[o] = number(t, r, idx[k]);
        }
        o += c.width();
      }
    }
    return x;
  }

  /**
   * The targets of every row of {@code t}: one-hot over the classes, or the target's numbers as one
   * column.
   *
   * @throws DataFormatException naming the cell, as {@link #encodeInputs}
   * @throws IllegalStateException if the encoding has no target
   */
  public Tensor encodeTargets(Table t) throws DataFormatException {
    if (target == null) {
      throw new IllegalStateException("this encoding has no target column");
    }
    int col = column(t, target);
    if (classes == null) {
      Tensor y = Tensor.zeros(t.rows(), 1);
      for (int r = 0; r < t.rows(); r++) {
        y.data()[r] = number(t, r, col);
      }
      return y;
    }
    Tensor y = Tensor.zeros(t.rows(), classes.size());
    for (int r = 0; r < t.rows(); r++) {
      y.data()[r * classes.size() + level(t, r, col, classes)] = 1f;
    }
    return y;
  }

  /** Inputs and targets of every row: {@link #encodeInputs} and {@link #encodeTargets}. */
  public Dataset dataset(Table t) throws DataFormatException {
    return new Dataset(encodeInputs(t), encodeTargets(t));
  }

  /**
   * The metadata form a model file keeps: {@code inputs} (a list of {name, kind, levels}), {@code
   * target} and {@code classes}, put into {@code metadata} (modified).
   */
  public void writeTo(Map<String, Object> metadata) {
    if (!inputs.isEmpty()) {
      List<Object> list = new ArrayList<>();
      for (Column c : inputs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("kind", c.categorical() ? "categorical" : "numeric");
        if (c.categorical()) {
          m.put("levels", c.levels());
        }
        list.add(m);
      }
      metadata.put("inputs", list);
    }
    if (target != null) {
      metadata.put("target", target);
    }
    if (classes != null) {
      metadata.put("classes", classes);
    }
  }

  /**
   * Reads the form {@link #writeTo} writes; a model file of version 1 lists plain names under
   * {@code features}, all numeric. A model without columns (trained on images) gives an encoding
   * with no inputs, and perhaps classes.
   *
   * @throws IllegalArgumentException if the metadata's columns are damaged
   */
  public static ColumnEncoding fromMetadata(Map<String, Object> meta) {
    List<Column> out = new ArrayList<>();
    Object in = meta.get("inputs");
    if (in instanceof List<?> list) {
      for (Object o : list) {
        if (!(o instanceof Map<?, ?> m) || !(m.get("name") instanceof String name)) {
          throw new IllegalArgumentException("the model file's input columns are damaged");
        }
        out.add(new Column(name, m.get("levels") instanceof List<?> l ? strings(l) : null));
      }
    } else if (meta.get("features") instanceof List<?> names) {
      for (Object o : names) {
        out.add(new Column(String.valueOf(o), null));
      }
    }
    String target = meta.get("target") instanceof String s ? s : null;
    List<String> classes = meta.get("classes") instanceof List<?> l ? strings(l) : null;
    return new ColumnEncoding(out, target, classes);
  }

  private static List<String> strings(List<?> l) {
    List<String> out = new ArrayList<>();
    for (Object o : l) {
      out.add(String.valueOf(o));
    }
    return out;
  }

  /** The index of column {@code name}, or an error listing the columns. */
  private static int column(Table t, String name) throws DataFormatException {
    int i = t.header().indexOf(name);
    if (i < 0) {
      throw new DataFormatException(
          t.source()
              + ": no column '"
              + name
              + "'; the columns are "
              + String.join(", ", t.header()));
    }
    return i;
  }

  /** The distinct labels of a column, sorted (numerically when all are numbers). */
  private static List<String> levels(Table t, int col) throws DataFormatException {
    TreeSet<String> set = new TreeSet<>();
    for (int r = 0; r < t.rows(); r++) {
      String v = t.cell(r, col);
      if (v.isEmpty()) {
        throw new DataFormatException(t.where(r, col) + ": empty label");
      }
      set.add(v);
    }
    List<String> out = new ArrayList<>(set);
    if (out.stream().allMatch(ColumnEncoding::isNumber)) {
      out.sort((a, b) -> Double.compare(Double.parseDouble(a), Double.parseDouble(b)));
    }
    return out;
  }

  /** The number in a cell, or an error naming the cell and value. */
  private static float number(Table t, int row, int col) throws DataFormatException {
    String v = t.cell(row, col);
    if (v.isEmpty()) {
      throw new DataFormatException(
          t.where(row, col) + ": empty value (missing values are not supported)");
    }
    float f;
    try {
      f = Float.parseFloat(v);
    } catch (NumberFormatException e) {
      throw new DataFormatException(t.where(row, col) + ": '" + v + "' is not a number");
    }
    if (!Float.isFinite(f)) {
      throw new DataFormatException(t.where(row, col) + ": '" + v + "' is not a finite number");
    }
    return f;
  }

  /** The position of a cell's value among {@code levels}, or an error naming the cell. */
  private static int level(Table t, int row, int col, List<String> levels)
      throws DataFormatException {
    String v = t.cell(row, col);
    if (v.isEmpty()) {
      throw new DataFormatException(
          t.where(row, col) + ": empty value (missing values are not supported)");
    }
    int k = levels.indexOf(v);
    if (k < 0) {
      throw new DataFormatException(
          t.where(row, col)
              + ": value '"
              + v
              + "' was not seen in training; known: "
              + String.join(", ", levels));
    }
    return k;
  }

  /** Whether {@code s} reads as a number. */
  public static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "ColumnEncoding(" + describe() + (target == null ? "" : " -> " + target) + ")";
  }
}
