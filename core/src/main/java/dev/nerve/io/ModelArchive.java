package dev.nerve.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The zip archive of a version-2 model file: exactly two entries, {@code manifest.json} (deflated)
 * and {@code weights.bin} (stored, so numpy can read it in place), with fixed entry times so the
 * same model always gives the same bytes. Reading walks the local entries and checks them against
 * the central directory and the end record, so a file cut short or altered is refused with the
 * reason.
 */
final class ModelArchive {
  static final String MANIFEST = "manifest.json";
  static final String WEIGHTS = "weights.bin";
  private static final int MAX_MANIFEST = 4 << 20;
  // Fixed entry times, so the same model and manifest always give the same bytes.
  private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2024, 1, 1, 0, 0);

  private ModelArchive() {}

  /** The archive of a manifest and weights. */
  static byte[] write(byte[] manifestBytes, byte[] weights) throws IOException {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(weights.length + manifestBytes.length + 512);
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.setLevel(9);
      ZipEntry m = new ZipEntry(MANIFEST);
      m.setTimeLocal(ENTRY_TIME);
      zip.putNextEntry(m);
      zip.write(manifestBytes);
      zip.closeEntry();
      ZipEntry e = new ZipEntry(WEIGHTS);
      e.setTimeLocal(ENTRY_TIME);
      e.setMethod(ZipEntry.STORED);
      e.setSize(weights.length);
      e.setCompressedSize(weights.length);
      CRC32 crc = new CRC32();
      crc.update(weights);
      e.setCrc(crc.getValue());
      zip.putNextEntry(e);
      zip.write(weights);
      zip.closeEntry();
    }
    return out.toByteArray();
  }

  static boolean isZip(byte[] b) {
    return b.length >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
  }

  /** The two entries read back. */
  record Entries(byte[] manifest, byte[] weights) {}

  /**
   * Checks the zip's central directory, which the streaming reader below never reads but other zip
   * tools rely on: exactly our two entries, with the names, CRCs and sizes of the data read.
   */
  private static void checkCentralDirectory(byte[] bytes, String source, Map<String, long[]> seen)
      throws FormatException {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int end = bytes.length - 22;
    int count = b.getShort(end + 10) & 0xffff;
    long size = b.getInt(end + 12) & 0xffffffffL;
    long offset = b.getInt(end + 16) & 0xffffffffL;
    if (count != seen.size() || (b.getShort(end + 8) & 0xffff) != count || offset + size != end) {
      throw new FormatException(source + ": damaged archive: the central directory does not match");
    }
    int p = (int) offset;
    for (int i = 0; i < count; i++) {
      if (p + 46 > end || b.getInt(p) != 0x02014b50) {
        throw new FormatException(source + ": damaged archive: bad central directory entry");
      }
      long crc = b.getInt(p + 16) & 0xffffffffL;
      long compressed = b.getInt(p + 20) & 0xffffffffL;
      long plain = b.getInt(p + 24) & 0xffffffffL;
      int nameLength = b.getShort(p + 28) & 0xffff;
      int extra = b.getShort(p + 30) & 0xffff;
      int comment = b.getShort(p + 32) & 0xffff;
      if (p + 46 + nameLength > end) {
        throw new FormatException(source + ": damaged archive: bad central directory entry");
      }
      String name = new String(bytes, p + 46, nameLength, StandardCharsets.UTF_8);
      long[] want = seen.get(name);
      if (want == null || want[0] != crc || want[1] != plain || want[2] != compressed) {
        throw new FormatException(
            source + ": damaged archive: central directory entry '" + name + "' does not match");
      }
      p += 46 + nameLength + extra + comment;
    }
  }

  static Entries read(byte[] bytes, String source) throws FormatException {
    // A file cut short can still start with whole entries: the end record must be there too.
    int end = bytes.length - 22;
    if (end < 0
        || bytes[end] != 'P'
        || bytes[end + 1] != 'K'
        || bytes[end + 2] != 5
        || bytes[end + 3] != 6) {
      throw new FormatException(
          source + ": truncated or damaged: the zip archive's end record is missing");
    }
    byte[] manifest = null;
    byte[] weights = null;
    Map<String, long[]> seen = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        String name = entry.getName();
        int limit = MANIFEST.equals(name) ? MAX_MANIFEST : bytes.length;
        if (!MANIFEST.equals(name) && !WEIGHTS.equals(name)) {
          throw new FormatException(source + ": unexpected entry '" + name + "' in a model file");
        }
        if ((MANIFEST.equals(name) ? manifest : weights) != null) {
          throw new FormatException(source + ": entry '" + name + "' appears twice");
        }
        byte[] data = zip.readNBytes(limit + 1);
        if (data.length > limit) {
          throw new FormatException(source + ": entry '" + name + "' is too large");
        }
        if (MANIFEST.equals(name)) {
          manifest = data;
        } else {
          weights = data;
        }
        zip.closeEntry();
        seen.put(name, new long[] {entry.getCrc(), entry.getSize(), entry.getCompressedSize()});
      }
    } catch (FormatException ex) {
      throw ex;
    } catch (ZipException | EOFException ex) {
      throw new FormatException(
          source + ": truncated or damaged archive (" + ex.getMessage() + ")");
    } catch (IOException | RuntimeException ex) {
      throw new FormatException(source + ": damaged archive (" + ex + ")");
    }
    if (manifest == null || weights == null) {
      throw new FormatException(
          source + ": a model file needs both " + MANIFEST + " and " + WEIGHTS + " entries");
    }
    checkCentralDirectory(bytes, source, seen);
    return new Entries(manifest, weights);
  }
}
