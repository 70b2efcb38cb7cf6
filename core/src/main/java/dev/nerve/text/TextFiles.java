package dev.nerve.text;

import dev.nerve.data.DataFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads text files strictly: UTF-8 only (a byte that is not UTF-8 is refused with its line and
 * column, never replaced), a byte-order mark skipped, and a size limit checked before reading.
 */
public final class TextFiles {
  /** The largest text file read, 1 GiB. */
  public static final long MAX_BYTES = 1L << 30;

  private TextFiles() {}

  /**
   * The text of {@code file}.
   *
   * @throws DataFormatException naming the file, line and column of the first byte that is not
   *     UTF-8, or saying the file is empty or too large
   */
  public static String read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new DataFormatException(
          file + ": " + size + " bytes is more than the " + MAX_BYTES + " this library reads");
    }
    String text = decode(Files.readAllBytes(file), file.toString());
    if (text.isBlank()) {
      throw new DataFormatException(file + ": the text is empty");
    }
    return text;
  }

  /**
   * {@code bytes} as UTF-8 text.
   *
   * @param source the name used in messages
   * @throws DataFormatException naming the line and column of the first byte that is not UTF-8
   */
  public static String decode(byte[] bytes, String source) throws DataFormatException {
    int start =
        bytes.length >= 3
                && (bytes[0] & 0xff) == 0xef
                && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf
            ? 3
            : 0;
    CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    CharBuffer out = CharBuffer.allocate(bytes.length - start + 1);
    CoderResult r = d.decode(in, out, true);
    if (r.isError()) {
      throw badByte(bytes, in.position(), source);
    }
    r = d.flush(out);
    if (r.isError()) {
      throw badByte(bytes, in.position(), source);
    }
    out.flip();
    return out.toString();
  }

  private static DataFormatException badByte(byte[] bytes, int at, String source) {
    int line = 1;
    int lineStart = // a byte-order mark is not a column
        bytes.length >= 3
                && (bytes[0] & 0xff) == 0xef
                && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf
            ? 3
            : 0;
    for (int i = lineStart; i < at; i++) {
      if (bytes[i] == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    // The column counts characters: the bytes of the line before the bad one, decoded.
    String before;
    try {
      before =
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(ByteBuffer.wrap(bytes, lineStart, at - lineStart))
              .toString();
    } catch (CharacterCodingException e) {
      before = "";
    }
    return new DataFormatException(
        String.format(
            "%s: line %d, column %d: byte 0x%02x is not UTF-8 text (save the file as UTF-8)",
            source, line, before.codePointCount(0, before.length()) + 1, bytes[at] & 0xff));
  }
}
