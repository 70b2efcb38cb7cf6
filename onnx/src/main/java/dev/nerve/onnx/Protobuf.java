package dev.nerve.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The protocol-buffer wire format, the part ONNX needs: varints, 32- and 64-bit fixed values and
 * length-delimited fields (strings, bytes, packed arrays, nested messages). Written here rather
 * than generated from {@code onnx.proto} by protobuf-java: the subset is a few hundred lines, the
 * module then depends on nothing, and the reader checks every length against the bytes that are
 * really there before it allocates anything (a generated parser trusts a declared size up to its
 * own 2 GB limit).
 */
final class Protobuf {
  private Protobuf() {}

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH = 2;
  static final int FIXED32 = 5;

  /** A protobuf message being written, field by field, in the order of the calls. */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private void tag(int field, int wire) {
      raw((long) field << 3 | wire);
    }

    private void raw(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) (v & 0x7F) | 0x80);
        v >>>= 7;
      }
      out.write((int) v);
    }

    /** A varint field (int32, int64, enum, bool). */
    Writer varint(int field, long v) {
      tag(field, VARINT);
      raw(v);
      return this;
    }

    /** A 32-bit float field. */
    Writer float32(int field, float v) {
      tag(field, FIXED32);
      int b = Float.floatToRawIntBits(v);
      for (int i = 0; i < 4; i++) {
        out.write(b >>> (8 * i));
      }
      return this;
    }

    /** A length-delimited field of bytes. */
    Writer bytes(int field, byte[] b) {
      tag(field, LENGTH);
      raw(b.length);
      out.write(b, 0, b.length);
      return this;
    }

    /** A string field, UTF-8. */
    Writer string(int field, String s) {
      return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    /** A nested message. */
    Writer message(int field, Writer m) {
      return bytes(field, m.toByteArray());
    }

    /** A packed repeated varint field (int64s). */
    Writer packedVarints(int field, long[] v) {
      Writer w = new Writer();
      for (long x : v) {
        w.raw(x);
      }
      return bytes(field, w.toByteArray());
    }

    /** A packed repeated float field. */
    Writer packedFloats(int field, float[] v) {
      byte[] b = new byte[v.length * 4];
      for (int i = 0; i < v.length; i++) {
        int x = Float.floatToRawIntBits(v[i]);
        for (int k = 0; k < 4; k++) {
          b[4 * i + k] = (byte) (x >>> (8 * k));
        }
      }
      return bytes(field, b);
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }

  /**
   * A protobuf message being read: {@link #next()} moves to the next field, then one of the readers
   * takes its value. Every length is checked against the bytes left before anything is allocated
   * from it; a violation is an {@link OnnxFormatException} naming the byte offset.
   */
  static final class Reader {
    private final byte[] b;
    private final int start;
    private final int end;
    private int pos;
    private int field;
    private int wire;

    Reader(byte[] b) {
      this(b, 0, b.length);
    }

    private Reader(byte[] b, int from, int to) {
      this.b = b;
      this.start = from;
      this.end = to;
      this.pos = from;
    }

    /** Moves to the next field; false at the end of the message. */
    boolean next() throws OnnxFormatException {
      if (pos >= end) {
        return false;
      }
      int at = pos;
      long key = varint();
      field = (int) (key >>> 3);
      wire = (int) (key & 7);
      if (field < 1 || key >>> 3 > Integer.MAX_VALUE) {
        throw new OnnxFormatException(
            "byte " + at + ": field number " + (key >>> 3) + " is invalid");
      }
      if (wire != VARINT && wire != FIXED64 && wire != LENGTH && wire != FIXED32) {
        throw new OnnxFormatException(
            "byte " + at + ": wire type " + wire + " of field " + field + " is not supported");
      }
      return true;
    }

    int field() {
      return field;
    }

    int wire() {
      return wire;
    }

    /** Where the reader is, for messages. */
    int offset() {
      return pos;
    }

    long varint() throws OnnxFormatException {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new OnnxFormatException("byte " + pos + ": the data ends inside a number");
        }
        int x = b[pos++] & 0xFF;
        v |= (long) (x & 0x7F) << shift;
        if ((x & 0x80) == 0) {
          return v;
        }
      }
      throw new OnnxFormatException("byte " + pos + ": a number longer than 10 bytes");
    }

    private void expect(int w) throws OnnxFormatException {
      if (wire != w) {
        throw new OnnxFormatException(
            "byte " + pos + ": field " + field + " has wire type " + wire + ", expected " + w);
      }
    }

    /** The value of a varint field. */
    long readVarint() throws OnnxFormatException {
      expect(VARINT);
      return varint();
    }

    /** The value of a 32-bit float field. */
    float readFloat() throws OnnxFormatException {
      expect(FIXED32);
      require(4);
      int x = 0;
      for (int k = 0; k < 4; k++) {
        x |= (b[pos++] & 0xFF) << (8 * k);
      }
      return Float.intBitsToFloat(x);
    }

    private void require(long n) throws OnnxFormatException {
      if (n < 0 || n > end - pos) {
        throw new OnnxFormatException(
            "byte "
                + pos
                + ": field "
                + field
                + " says "
                + n
                + " bytes follow but only "
                + (end - pos)
                + " are left (is the file cut short?)");
      }
    }

    /** The extent of a length-delimited field, as a reader of its bytes. */
    Reader readMessage() throws OnnxFormatException {
      expect(LENGTH);
      long n = varint();
      require(n);
      Reader r = new Reader(b, pos, pos + (int) n);
      pos += (int) n;
      return r;
    }

    /** A length-delimited field's bytes (a copy, checked first). */
    byte[] readBytes() throws OnnxFormatException {
      Reader r = readMessage();
      byte[] out = new byte[r.end - r.start];
      System.arraycopy(b, r.start, out, 0, out.length);
      return out;
    }

    /** A string field. */
    String readString() throws OnnxFormatException {
      return new String(readBytes(), StandardCharsets.UTF_8);
    }

    /** The bytes left in this message (a nested message's own size). */
    int remaining() {
      return end - pos;
    }

    /** Reads a varint field, packed or not, into {@code out} (which grows). */
    void readVarints(LongList out) throws OnnxFormatException {
      if (wire == VARINT) {
        out.add(varint());
        return;
      }
      Reader r = readMessage();
      while (r.pos < r.end) {
        out.add(r.varint());
      }
    }

    /** Reads a float field, packed or not, into {@code out} (which grows). */
    void readFloats(FloatList out) throws OnnxFormatException {
      if (wire == FIXED32) {
        out.add(readFloat());
        return;
      }
      Reader r = readMessage();
      if (r.remaining() % 4 != 0) {
        throw new OnnxFormatException(
            "byte " + pos + ": packed floats of " + r.remaining() + " bytes, not a multiple of 4");
      }
      while (r.pos < r.end) {
        int x = 0;
        for (int k = 0; k < 4; k++) {
          x |= (b[r.pos++] & 0xFF) << (8 * k);
        }
        out.add(Float.intBitsToFloat(x));
      }
    }

    /** Skips the current field's value. */
    void skip() throws OnnxFormatException {
      switch (wire) {
        case VARINT -> varint();
        case FIXED64 -> {
          require(8);
          pos += 8;
        }
        case FIXED32 -> {
          require(4);
          pos += 4;
        }
        default -> readMessage();
      }
    }
  }

  /**
   * A growing array of longs (the reader's repeated ints): at most {@link #MAX} of them, since a
   * one-byte varint becomes an eight-byte long.
   */
  static final class LongList {
    private long[] v = new long[4];
    private int n;

    /** The most integers one field may hold: a varint is one byte, a long eight. */
    static final int MAX = 1 << 26;

    void add(long x) throws OnnxFormatException {
      if (n == v.length) {
        if (n >= MAX) {
          throw new OnnxFormatException("more than " + MAX + " integers in one field");
        }
        v = java.util.Arrays.copyOf(v, Math.min(MAX, n * 2));
      }
      v[n++] = x;
    }

    long[] toArray() {
      return java.util.Arrays.copyOf(v, n);
    }
  }

  /** A growing array of floats, never larger than the input. */
  static final class FloatList {
    private float[] v = new float[16];
    private int n;

    void add(float x) {
      if (n == v.length) {
        v = java.util.Arrays.copyOf(v, n * 2);
      }
      v[n++] = x;
    }

    int size() {
      return n;
    }

    float[] toArray() {
      return java.util.Arrays.copyOf(v, n);
    }
  }
}
