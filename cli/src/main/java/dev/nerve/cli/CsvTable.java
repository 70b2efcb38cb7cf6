package dev.nerve.cli;

import dev.nerve.data.ColumnEncoding;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV file with a header row, read whole, with the line of every row kept so that every error
 * names the file, line and column. Parsing CSV text is the command line's job (Commons CSV); how
 * columns become inputs is the core's {@link ColumnEncoding}, which reads this table.
 */
final class CsvTable implements ColumnEncoding.Table {
  final String source;
  final List<String> header;
  final List<String[]> rows;
  final List<Long> lines;

  private CsvTable(String source, List<String> header, List<String[]> rows, List<Long> lines) {
    this.source = source;
    this.header = header;
    this.rows = rows;
    this.lines = lines;
  }

  /** Reads {@code file}; refuses an empty file, a header without rows and ragged rows. */
  static CsvTable read(Path file) {
    String source = file.toString();
    // The file is a resource of its own: if reading its first character fails (bytes that are
    // not UTF-8), it is still closed (CsvFuzzTest ran out of file descriptors on such inputs).
    try (java.io.BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        Reader r = skipByteOrderMark(in);
        CSVParser p =
            CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .setIgnoreSurroundingSpaces(true)
                .setDuplicateHeaderMode(org.apache.commons.csv.DuplicateHeaderMode.DISALLOW)
                .build()
                .parse(r)) {
      List<String> header = p.getHeaderNames();
      if (header.isEmpty()) {
        throw bad(source + ": the file is empty (a header row is needed)");
      }
      for (int c = 0; c < header.size(); c++) {
        if (header.get(c).isEmpty()) {
          throw bad(source + ": line 1, column " + (c + 1) + ": empty column name in the header");
        }
      }
      List<String[]> rows = new ArrayList<>();
      List<Long> lines = new ArrayList<>();
      for (CSVRecord rec : p) {
        long line = p.getCurrentLineNumber();
        if (rec.size() != header.size()) {
          throw bad(
              source
                  + ": line "
                  + line
                  + " has "
                  + rec.size()
                  + " fields, the header has "
                  + header.size());
        }
        rows.add(rec.values());
        lines.add(line);
      }
      if (rows.isEmpty()) {
        throw bad(source + ": the file has a header but no rows");
      }
      return new CsvTable(source, header, rows, lines);
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof java.nio.charset.CharacterCodingException) {
        throw bad(source + ": not valid UTF-8 text");
      }
      throw bad(source + ": " + e.getCause().getMessage());
    } catch (IllegalArgumentException | IllegalStateException e) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("duplicate name: \"([^\"]*)\"")
              .matcher(String.valueOf(e.getMessage()));
      if (m.find()) {
        throw bad(source + ": line 1: duplicate column name '" + m.group(1) + "'");
      }
      throw bad(source + ": " + e.getMessage());
    } catch (org.apache.commons.csv.CSVException e) {
      // Malformed quoting anywhere, the header included: bad input with its line and position,
      // not a read error (found by CsvFuzzTest).
      throw bad(source + ": " + e.getMessage());
    } catch (IOException e) {
      throw Main.io(source, e);
    }
  }

  /** Excel writes UTF-8 CSV with a byte-order mark, which would otherwise join the first name. */
  private static Reader skipByteOrderMark(java.io.BufferedReader r) throws IOException {
    r.mark(1);
    if (r.read() != '\uFEFF') {
      r.reset();
    }
    return r;
  }

  private static CliException bad(String message) {
    return new CliException(ExitCodes.BAD_INPUT, message);
  }

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
    return rows.get(row)[col];
  }

  @Override
  public String source() {
    return source;
  }

  /** The index of column {@code name}, or an error listing the columns. */
  int column(String name) {
    int i = header.indexOf(name);
    if (i < 0) {
      throw bad(
          source + ": no column '" + name + "'; the columns are " + String.join(", ", header));
    }
    return i;
  }

  /** Where a cell is, for errors: {@code data.csv: line 5, column 2 ('x2')}. */
  @Override
  public String where(int row, int col) {
    return source
        + ": line "
        + lines.get(row)
        + ", column "
        + (col + 1)
        + " ('"
        + header.get(col)
        + "')";
  }

  @Override
  public String toString() {
    return source + " " + Arrays.toString(header.toArray());
  }
}
