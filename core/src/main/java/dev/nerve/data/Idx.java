package dev.nerve.data;

import dev.nerve.tensor.Tensor;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST, plain or gzip-compressed (recognised by its
 * first bytes, whatever the file name).
 *
 * <p>An IDX file is two zero bytes, a type code (0x08 unsigned byte, 0x09 signed byte, 0x0B short,
 * 0x0C int, 0x0D float, 0x0E double), the number of dimensions, each dimension as a big-endian
 * 32-bit count, then the values, big-endian, row-major. Every size is checked against the file
 * before anything is allocated, so a corrupt header is refused rather than exhausting memory.
 *
 * <pre>{@code
 * Dataset train = Idx.readDataset(
 *     Path.of("train-images-idx3-ubyte.gz"), Path.of("train-labels-idx1-ubyte.gz"), 10);
 * }</pre>
 */
public final class Idx {
  /** Largest ratio of uncompressed to compressed size that deflate can reach (about 1032:1). */
  private static final long MAX_GZIP_RATIO = 1032;

  private Idx() {}

  /**
   * The contents of an IDX file.
   *
   * @param type the type code (0x08 unsigned byte ... 0x0E double)
   * @param dims the dimensions, outermost first
   * @param bytes the values of an unsigned- or signed-byte file, else null
   * @param values the values of any other type as floats, else null
   */
  public record Contents(int type, int[] dims, byte[] bytes, float[] values) {
    /** Number of items: the first dimension (1 for a file of no dimensions). */
    public int items() {
      return dims.length == 0 ? 1 : dims[0];
    }

    /** Values per item: the product of the other dimensions. */
    public int itemSize() {
      int n = 1;
      for (int i = 1; i < dims.length; i++) {
        n *= dims[i];
      }
      return n;
    }

    /** The items as rows of a matrix, one row per item; not copied. */
    public Features asFeatures() {
      if (type == 0x08) {
        return Features.ofUnsignedBytes(bytes, items(), itemSize());
      }
      float[] v = values;
      if (v == null) {
        v = new float[bytes.length];
        for (int i = 0; i < v.length; i++) {
          v[i] = bytes[i];
        }
      }
      return Features.of(Tensor.wrap(v, items(), itemSize()));
    }
  }

  /**
   * Reads an IDX file.
   *
   * @throws DataFormatException if the file is not IDX, is truncated, or has bytes after the data,
   *     with the reason
   * @throws IOException if the file cannot be read
   */
  public static Contents read(Path file) throws IOException {
    long fileSize = Files.size(file);
    try (InputStream raw = Files.newInputStream(file)) {
      return read(raw, fileSize, file.toString());
    }
  }

  /**
   * Reads IDX bytes (plain or gzip) held in memory; {@code source} names them in errors.
   *
   * @throws DataFormatException as {@link #read(Path)}
   */
  public static Contents read(byte[] data, String source) throws DataFormatException {
    try {
      return read(new ByteArrayInputStream(data), data.length, source);
    } catch (DataFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new DataFormatException(source + ": " + e.getMessage());
    }
  }

  private static Contents read(InputStream raw, long fileSize, String source) throws IOException {
    InputStream in = new java.io.BufferedInputStream(raw, 1 << 16);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 < 0) {
      throw new DataFormatException(source + ": empty file, not IDX data");
    }
    boolean gzip = b0 == 0x1f && b1 == 0x8b;
    long limit = gzip ? fileSize * MAX_GZIP_RATIO : fileSize;
    try {
      if (gzip) {
        in = new GZIPInputStream(in, 1 << 16);
      }
      return parse(in, limit, gzip, source);
    } catch (ZipException | EOFException e) {
      throw new DataFormatException(
          source
              + ": "
              + (gzip ? "corrupt or truncated gzip data" : "truncated")
              + " ("
              + e.getMessage()
              + ")");
    }
  }

  private static Contents parse(InputStream in, long limit, boolean gzip, String source)
      throws IOException {
    byte[] head = new byte[4];
    int got = in.readNBytes(head, 0, 4);
    if (got < 4) {
      throw new DataFormatException(
          source + ": " + got + " bytes, too short for an IDX header (4 bytes of magic number)");
    }
    if (head[0] != 0 || head[1] != 0) {
      throw new DataFormatException(
          String.format(
              "%s: not an IDX file: magic number starts %02x %02x, expected 00 00",
              source, head[0] & 0xff, head[1] & 0xff));
    }
    int type = head[2] & 0xff;
    int width = width(type);
    if (width == 0) {
      throw new DataFormatException(
          String.format(
              "%s: unknown IDX type code 0x%02x (expected 08, 09, 0b, 0c, 0d or 0e)",
              source, type));
    }
    int rank = head[3] & 0xff;
    byte[] dimBytes = new byte[4 * rank];
    if (in.readNBytes(dimBytes, 0, dimBytes.length) < dimBytes.length) {
      throw new DataFormatException(
          source + ": truncated header: " + rank + " dimensions declared, their sizes cut short");
    }
    ByteBuffer bb = ByteBuffer.wrap(dimBytes);
    int[] dims = new int[rank];
    long count = 1;
    for (int i = 0; i < rank; i++) {
      long d = bb.getInt() & 0xffffffffL;
      if (d > Integer.MAX_VALUE) {
        throw new DataFormatException(source + ": dimension " + i + " is " + d + ", too large");
      }
      dims[i] = (int) d;
      count *= d;
      if (count * width > Integer.MAX_VALUE - 8) {
        throw new DataFormatException(
            source + ": dimensions declare more than 2 GB of data, larger than Nerve reads");
      }
    }
    long item = 1;
    for (int i = 1; i < rank; i++) {
      item *= dims[i];
      if (item > Integer.MAX_VALUE - 8) {
        throw new DataFormatException(
            source + ": each item would hold more than 2^31 values, larger than Nerve reads");
      }
    }
    long bodyBytes = count * width;
    long headerBytes = 4 + 4L * rank;
    if (headerBytes + bodyBytes > limit) {
      throw new DataFormatException(
          source
              + ": truncated: the header declares "
              + bodyBytes
              + " bytes of data but the file "
              + (gzip
                  ? "is too small to hold them even compressed"
                  : "holds " + (limit - headerBytes)));
    }
    byte[] body = readBody(in, (int) bodyBytes, gzip);
    int read = body.length;
    if (read < bodyBytes) {
      throw new DataFormatException(
          source
              + ": truncated: the header declares "
              + bodyBytes
              + " bytes of data, found "
              + read);
    }
    if (in.read() >= 0) {
      throw new DataFormatException(
          source
              + ": unexpected bytes after the "
              + bodyBytes
              + " bytes of data the header declares");
    }
    if (width == 1) {
      return new Contents(type, dims, body, null);
    }
    float[] values = new float[(int) count];
    ByteBuffer data = ByteBuffer.wrap(body);
    for (int i = 0; i < values.length; i++) {
      switch (type) {
        case 0x0B -> values[i] = data.getShort();
        case 0x0C -> values[i] = data.getInt();
        case 0x0D -> values[i] = data.getFloat();
        default -> values[i] = (float) data.getDouble();
      }
    }
    return new Contents(type, dims, null, values);
  }

  /**
   * Reads up to {@code size} bytes. A plain file's size was checked against the header already; a
   * gzip stream's true length is unknown until read, so its buffer grows as data arrives and a
   * lying header costs only the bytes really present.
   */
  private static byte[] readBody(InputStream in, int size, boolean gzip) throws IOException {
    if (!gzip) {
      byte[] body = new byte[size];
      int n = in.readNBytes(body, 0, size);
      return n == size ? body : java.util.Arrays.copyOf(body, n);
    }
    byte[] buf = new byte[Math.min(size, 1 << 20)];
    int filled = 0;
    while (filled < size) {
      if (filled == buf.length) {
        buf = java.util.Arrays.copyOf(buf, (int) Math.min(size, 2L * buf.length));
      }
      int n = in.read(buf, filled, buf.length - filled);
      if (n < 0) {
        break;
      }
      filled += n;
    }
    return filled == buf.length ? buf : java.util.Arrays.copyOf(buf, filled);
  }

  private static int width(int type) {
    return switch (type) {
      case 0x08, 0x09 -> 1;
      case 0x0B -> 2;
      case 0x0C, 0x0D -> 4;
      case 0x0E -> 8;
      default -> 0;
    };
  }

  /**
   * Reads an images file: one row per image, pixels as in the file (0 to 255 for unsigned bytes).
   *
   * @throws DataFormatException if the file is not IDX or has fewer than 2 dimensions
   */
  public static Features readImages(Path file) throws IOException {
    Contents c = read(file);
    if (c.dims().length < 2) {
      throw new DataFormatException(
          file
              + ": images need at least 2 dimensions (count, pixels...), found "
              + c.dims().length);
    }
    return c.asFeatures();
  }

  /**
   * Reads a labels file: one whole number per example.
   *
   * @throws DataFormatException if the file is not a one-dimensional IDX file of whole numbers
   */
  public static int[] readLabels(Path file) throws IOException {
    Contents c = read(file);
    if (c.dims().length != 1) {
      throw new DataFormatException(
          file + ": labels must have 1 dimension, found " + c.dims().length);
    }
    int[] labels = new int[c.items()];
    for (int i = 0; i < labels.length; i++) {
      if (c.bytes() != null) {
        labels[i] = c.type() == 0x08 ? c.bytes()[i] & 0xff : c.bytes()[i];
      } else {
        float v = c.values()[i];
        if (v != Math.rint(v)) {
          throw new DataFormatException(
              file + ": label " + i + " is " + v + ", not a whole number");
        }
        labels[i] = (int) v;
      }
    }
    return labels;
  }

  /**
   * Reads images and their labels as a dataset with one-hot targets of {@code classes} columns.
   *
   * @throws DataFormatException if the files hold different numbers of examples, or a label is
   *     outside [0, classes)
   */
  public static Dataset readDataset(Path images, Path labels, int classes) throws IOException {
    Features x = readImages(images);
    int[] y = readLabels(labels);
    if (x.rows() != y.length) {
      throw new DataFormatException(
          images
              + " holds "
              + x.rows()
              + " images but "
              + labels
              + " holds "
              + y.length
              + " labels");
    }
    for (int i = 0; i < y.length; i++) {
      if (y[i] < 0 || y[i] >= classes) {
        throw new DataFormatException(
            labels + ": label " + y[i] + " of example " + i + " is outside [0, " + classes + ")");
      }
    }
    return new Dataset(x, Features.of(Dataset.oneHot(y, classes)));
  }
}
