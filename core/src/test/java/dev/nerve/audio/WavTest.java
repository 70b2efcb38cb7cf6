package dev.nerve.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.DataFormatException;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every encoding the reader accepts, written here and read back; every refusal and its message. */
class WavTest {
  @TempDir Path dir;

  /** A RIFF/WAVE file of the given chunks, in order; odd-sized chunks get their pad byte. */
  static byte[] riff(byte[]... chunks) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("WAVE".getBytes());
    for (byte[] c : chunks) {
      body.writeBytes(c);
    }
    byte[] b = body.toByteArray();
    ByteBuffer out = ByteBuffer.allocate(8 + b.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put("RIFF".getBytes()).putInt(b.length).put(b);
    return out.array();
  }

  static byte[] chunk(String id, byte[] body) {
    int padded = body.length + (body.length & 1);
    ByteBuffer b = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    b.put(id.getBytes()).putInt(body.length).put(body);
    return b.array();
  }

  /** A 16-byte fmt chunk. */
  static byte[] fmt(int format, int channels, int rate, int bits) {
    return fmt(format, channels, rate, bits, channels * bits / 8);
  }

  static byte[] fmt(int format, int channels, int rate, int bits, int blockAlign) {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) format).putShort((short) channels).putInt(rate);
    b.putInt(rate * blockAlign).putShort((short) blockAlign).putShort((short) bits);
    return chunk("fmt ", b.array());
  }

  /** A 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk whose sub-format GUID starts with {@code sub}. */
  static byte[] fmtExtensible(int sub, int channels, int rate, int bits, int validBits) {
    ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
    int align = channels * bits / 8;
    b.putShort((short) 0xFFFE).putShort((short) channels).putInt(rate);
    b.putInt(rate * align).putShort((short) align).putShort((short) bits);
    b.putShort((short) 22).putShort((short) validBits).putInt(channels == 2 ? 3 : 4);
    b.putShort((short) sub).putShort((short) 0);
    b.put(new byte[] {0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
    return chunk("fmt ", b.array());
  }

  static byte[] data(int width, long... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * width).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      for (int i = 0; i < width; i++) {
        b.put((byte) (v >> (8 * i)));
      }
    }
    return chunk("data", b.array());
  }

  static byte[] floats(float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return chunk("data", b.array());
  }

  static byte[] doubles(double... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      b.putDouble(v);
    }
    return chunk("data", b.array());
  }

  private static Wav read(byte[] bytes) throws DataFormatException {
    return Wav.read(bytes, "t.wav");
  }

  private static String refusal(byte[] bytes) {
    return assertThrows(DataFormatException.class, () -> read(bytes)).getMessage();
  }

  @Test
  void readsEveryPcmWidth() throws Exception {
    Wav w8 = read(riff(fmt(1, 1, 8000, 8), data(1, 0, 128, 255, 64)));
    assertArrayEquals(new float[] {-1f, 0f, 127 / 128f, -0.5f}, w8.samples());
    assertEquals(8000, w8.sampleRate());
    assertEquals(1, w8.channels());

    Wav w16 = read(riff(fmt(1, 1, 16000, 16), data(2, -32768, 0, 32767, 16384, -1)));
    assertArrayEquals(new float[] {-1f, 0f, 32767 / 32768f, 0.5f, -1 / 32768f}, w16.samples());

    Wav w24 = read(riff(fmt(1, 1, 44100, 24), data(3, -8388608, 0, 8388607, 4194304, -2)));
    assertArrayEquals(
        new float[] {-1f, 0f, 8388607 / 8388608f, 0.5f, -2 / 8388608f}, w24.samples());

    Wav w32 =
        read(riff(fmt(1, 1, 48000, 32), data(4, Integer.MIN_VALUE, 0, 1 << 30, -(1 << 29), 1)));
    assertArrayEquals(
        new float[] {-1f, 0f, 0.5f, -0.25f, (float) (1 / 2147483648.0)}, w32.samples());
    assertEquals(48000, w32.sampleRate());
  }

  @Test
  void readsFloatsClippedToPlusMinusOne() throws Exception {
    Wav f32 = read(riff(fmt(3, 1, 22050, 32), floats(-1f, 0f, 0.25f, 1.5f, -2f)));
    assertArrayEquals(new float[] {-1f, 0f, 0.25f, 1f, -1f}, f32.samples());
    Wav f64 = read(riff(fmt(3, 1, 22050, 64), doubles(-0.125, 0.1, 3.0)));
    assertArrayEquals(new float[] {-0.125f, 0.1f, 1f}, f64.samples());
  }

  @Test
  void readsWaveFormatExtensible() throws Exception {
    Wav pcm = read(riff(fmtExtensible(1, 2, 16000, 16, 16), data(2, 16384, -16384, 0, 32767)));
    assertEquals(2, pcm.channels());
    assertArrayEquals(new float[] {0.5f, -0.5f, 0f, 32767 / 32768f}, pcm.samples());
    Wav flt = read(riff(fmtExtensible(3, 1, 96000, 32, 32), floats(0.75f, -0.75f)));
    assertArrayEquals(new float[] {0.75f, -0.75f}, flt.samples());
    assertEquals(96000, flt.sampleRate());
    // 24 valid bits in a 32-bit container are read as 32-bit samples (left-justified).
    Wav packed = read(riff(fmtExtensible(1, 1, 48000, 32, 24), data(4, 1 << 30)));
    assertArrayEquals(new float[] {0.5f}, packed.samples());
  }

  @Test
  void mixesChannelsDown() throws Exception {
    Wav stereo = read(riff(fmt(1, 2, 8000, 16), data(2, 16384, -8192, 0, 32767, -32768, -32768)));
    assertEquals(3, stereo.frames());
    assertArrayEquals(
        new float[] {0.125f, 32767 / 65536f, -1f}, stereo.mono(), 1e-7f, "left and right averaged");
    Wav three = new Wav(100, 3, new float[] {0.3f, 0.6f, 0.9f});
    assertArrayEquals(new float[] {0.6f}, three.mono(), 1e-7f);
    assertEquals(0.01, three.seconds(), 1e-12);
    float[] one = {0.5f};
    float[] copy = Wav.ofMono(100, one).mono();
    copy[0] = 0;
    assertEquals(0.5f, one[0], "mono() of one channel is a copy");
  }

  @Test
  void skipsOtherChunksWithTheirPadByte() throws Exception {
    byte[] list = chunk("LIST", "INFOa".getBytes()); // 5 bytes: a pad byte follows
    byte[] fact = chunk("fact", new byte[] {4, 0, 0, 0});
    Wav w = read(riff(list, fmt(1, 1, 8000, 16), fact, data(2, 1000, -1000), list));
    assertArrayEquals(new float[] {1000 / 32768f, -1000 / 32768f}, w.samples());
    // data before fmt is allowed; an odd 8-bit data chunk has its pad byte too.
    Wav odd = read(riff(data(1, 255, 0, 128), fmt(1, 1, 8000, 8)));
    assertEquals(3, odd.frames());
  }

  @Test
  void forgivesAMissingPadByteAtTheEnd() throws Exception {
    byte[] ok = riff(fmt(1, 1, 8000, 8), data(1, 1, 2, 3));
    // Drop the pad byte and shrink the RIFF size to match, as careless writers do.
    byte[] cut = java.util.Arrays.copyOf(ok, ok.length - 1);
    ByteBuffer.wrap(cut).order(ByteOrder.LITTLE_ENDIAN).putInt(4, cut.length - 8);
    assertEquals(3, read(cut).frames());
  }

  @Test
  void writesSixteenBitPcmThatReadsBackToTheSameBits() throws Exception {
    float[] x = {0f, 0.5f, -0.5f, 1f, -1f, 2f, -3f, 1 / 32768f, 0.123f};
    Path p = dir.resolve("a.wav");
    Wav.write(p, 16000, x, false);
    Wav w = Wav.read(p);
    assertEquals(16000, w.sampleRate());
    assertEquals(1, w.channels());
    float[] want = {0f, 0.5f, -0.5f, 32767 / 32768f, -1f, 32767 / 32768f, -1f, 1 / 32768f, 0};
    want[8] = Math.round(0.123f * 32768) / 32768f;
    assertArrayEquals(want, w.samples());
    // What was read is written back to the same bytes.
    assertArrayEquals(Files.readAllBytes(p), Wav.toBytes(16000, w.samples()));
    assertEquals(44 + 2 * x.length, Files.size(p));

    FileAlreadyExistsException e =
        assertThrows(FileAlreadyExistsException.class, () -> Wav.write(p, 16000, x, false));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    Wav.write(p, 8000, new float[] {0.25f}, true);
    assertEquals(Wav.ofMono(8000, new float[] {0.25f}), Wav.read(p));
    assertEquals(
        "sample 1 is NaN",
        assertThrows(
                IllegalArgumentException.class,
                () -> Wav.write(dir.resolve("n.wav"), 8000, new float[] {0, Float.NaN}, false))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Wav.write(dir.resolve("r.wav"), 0, x, false));
    assertTrue(Files.notExists(dir.resolve("n.wav")));
  }

  @Test
  void refusesWhatIsNotAWavFile() {
    assertEquals(
        "t.wav: 4 bytes, too short for a WAV file (its RIFF/WAVE header alone is 12)",
        refusal(new byte[] {'R', 'I', 'F', 'F'}));
    assertEquals(
        "t.wav: offset 0: not a WAV file: it starts with 'OggS', not 'RIFF'",
        refusal("OggS\0\0\0\0WAVEfmt ".getBytes()));
    byte[] rifx = riff(fmt(1, 1, 8000, 16), data(2, 0));
    System.arraycopy("RIFX".getBytes(), 0, rifx, 0, 4);
    assertEquals("t.wav: offset 0: a big-endian RIFX file, which is not supported", refusal(rifx));
    byte[] avi = riff(fmt(1, 1, 8000, 16), data(2, 0));
    System.arraycopy("AVI ".getBytes(), 0, avi, 8, 4);
    assertEquals("t.wav: offset 8: a RIFF file of type 'AVI ', not 'WAVE'", refusal(avi));
  }

  @Test
  void refusesMissingChunks() {
    assertEquals(
        "t.wav: offset 26: no 'fmt ' chunk (the format) before the end of the file",
        refusal(riff(data(2, 1, 2, 3))));
    assertEquals(
        "t.wav: offset 36: no 'data' chunk (the samples) before the end of the file",
        refusal(riff(fmt(1, 1, 8000, 16))));
    assertEquals(
        "t.wav: offset 36: a second 'fmt ' chunk (the first is at offset 12)",
        refusal(riff(fmt(1, 1, 8000, 16), fmt(1, 1, 8000, 16), data(2, 0))));
  }

  @Test
  void refusesImpossibleFormats() {
    assertEquals(
        "t.wav: offset 22: 0 channels; a sound needs at least 1",
        refusal(riff(fmt(1, 0, 8000, 16, 0), data(2, 0))));
    assertEquals(
        "t.wav: offset 24: a sample rate of 0 Hz; expected 1 to 1000000 (a damaged header?)",
        refusal(riff(fmt(1, 1, 0, 16), data(2, 0))));
    assertEquals(
        "t.wav: offset 24: a sample rate of 4294967295 Hz; expected 1 to 1000000 (a damaged"
            + " header?)",
        refusal(riff(fmt(1, 1, -1, 16), data(2, 0))));
    assertEquals(
        "t.wav: offset 20: unsupported encoding: format 0x0002 (Microsoft ADPCM); only PCM (1),"
            + " IEEE float (3) and WAVE_FORMAT_EXTENSIBLE (0xFFFE) of those are read",
        refusal(riff(fmt(2, 1, 8000, 4, 1), data(1, 0))));
    assertEquals(
        "t.wav: offset 44: unsupported encoding: WAVE_FORMAT_EXTENSIBLE sub-format 0x0006"
            + " (A-law); only PCM (1) and IEEE float (3) are read",
        refusal(riff(fmtExtensible(6, 1, 8000, 8, 8), data(1, 0))));
    byte[] guid = riff(fmtExtensible(1, 1, 8000, 16, 16), data(2, 0));
    guid[20 + 24 + 15] = 0x72; // the GUID's last byte
    assertTrue(
        refusal(guid)
            .startsWith(
                "t.wav: offset 44: WAVE_FORMAT_EXTENSIBLE sub-format"
                    + " {00000001-0000-0010-8000-00aa00389b72} is not PCM or IEEE float"),
        refusal(guid));
    assertEquals(
        "t.wav: offset 34: unsupported bit depth: 12-bit PCM (8, 16, 24 or 32 are read)",
        refusal(riff(fmt(1, 1, 8000, 12, 2), data(2, 0))));
    assertEquals(
        "t.wav: offset 34: unsupported bit depth: 16-bit float (32 or 64 are read)",
        refusal(riff(fmt(3, 1, 8000, 16), data(2, 0))));
    assertEquals(
        "t.wav: offset 32: block align of 2 bytes per frame, but 2 channels of 16 bits need 4",
        refusal(riff(fmt(1, 2, 8000, 16, 2), data(2, 0, 0))));
    assertEquals(
        "t.wav: offset 16: a 'fmt ' chunk of 14 bytes, shorter than the 16 of a format",
        refusal(riff(chunk("fmt ", new byte[14]), data(2, 0))));
  }

  @Test
  void refusesSizesLongerThanTheFile() {
    byte[] ok = riff(fmt(1, 1, 8000, 16), data(2, 1, 2, 3, 4));
    ByteBuffer b;

    byte[] longData = ok.clone(); // data says 100 bytes, 8 are there
    ByteBuffer.wrap(longData).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 100);
    assertEquals(
        "t.wav: offset 40: the 'data' chunk says 100 bytes but only 8 are left in the file (is it"
            + " cut short?)",
        refusal(longData));

    byte[] stream = ok.clone();
    ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN).putInt(40, -1);
    assertEquals(
        "t.wav: offset 40: 'data' chunk size 0xFFFFFFFF: the file was written as a stream and its"
            + " length never filled in; rewrite it (sox in.wav out.wav, or ffmpeg -i in.wav"
            + " out.wav)",
        refusal(stream));

    byte[] streamRiff = ok.clone();
    ByteBuffer.wrap(streamRiff).order(ByteOrder.LITTLE_ENDIAN).putInt(4, -1);
    assertTrue(refusal(streamRiff).startsWith("t.wav: offset 4: RIFF size 0xFFFFFFFF"));

    byte[] cut = java.util.Arrays.copyOf(ok, ok.length - 3);
    assertEquals(
        "t.wav: offset 4: RIFF size says 44 bytes follow but the file has only 41 (is it cut"
            + " short?)",
        refusal(cut));

    byte[] longList = riff(chunk("LIST", new byte[4]), fmt(1, 1, 8000, 16), data(2, 0));
    b = ByteBuffer.wrap(longList).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(16, 0x7FFFFFF0);
    assertTrue(
        refusal(longList).startsWith("t.wav: offset 16: the 'LIST' chunk says 2147483632 bytes"),
        refusal(longList));

    byte[] partialFrame = riff(fmt(1, 2, 8000, 16), data(2, 1, 2, 3));
    assertEquals(
        "t.wav: offset 40: data size 6 is not a whole number of 4-byte frames (is the file cut"
            + " short?)",
        refusal(partialFrame));

    byte[] stray = riff(fmt(1, 1, 8000, 16), data(2, 0), new byte[] {1, 2, 3});
    assertEquals(
        "t.wav: offset 46: 3 bytes left in the file, too few for a chunk header (8 bytes)",
        refusal(stray));

    assertEquals(
        "t.wav: offset 48: sample NaN is not a finite number",
        refusal(riff(fmt(3, 1, 8000, 32), floats(0f, Float.NaN))));
  }

  @Test
  void refusesAFileOverTheSizeLimitBeforeReadingIt() throws Exception {
    Path big = dir.resolve("big.wav");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(Wav.MAX_BYTES + 1); // sparse: takes no disk space
    }
    assertEquals(
        big + ": 1073741825 bytes is more than the 1073741824 this library reads",
        assertThrows(DataFormatException.class, () -> Wav.read(big)).getMessage());
  }

  @Test
  void checksItsFields() {
    assertThrows(IllegalArgumentException.class, () -> new Wav(0, 1, new float[0]));
    assertThrows(IllegalArgumentException.class, () -> new Wav(8000, 0, new float[0]));
    assertThrows(IllegalArgumentException.class, () -> new Wav(8000, 2, new float[3]));
    assertEquals(
        "Wav(16000 Hz, 2 channels, 3 frames, 0.000 s)", new Wav(16000, 2, new float[6]).toString());
  }
}
