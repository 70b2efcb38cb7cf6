package dev.nerve.audio;

import dev.nerve.data.DataFormatException;
import dev.nerve.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * A sound read from a WAV file: its sample rate, its channel count and its samples as floats in
 * [-1, 1], interleaved ({@code samples[f * channels + c]} is channel {@code c} of frame {@code f}).
 *
 * <p>{@link #read(Path)} reads RIFF/WAVE files of PCM integers (8-bit unsigned, 16-, 24- and 32-bit
 * signed little-endian), IEEE floats (32- and 64-bit, format 3) and {@code WAVE_FORMAT_EXTENSIBLE}
 * (0xFFFE) whose sub-format is one of those, at any sample rate from 1 to {@link #MAX_SAMPLE_RATE}
 * Hz and any number of channels. Chunks other than {@code fmt } and {@code data} ({@code LIST},
 * {@code fact}, {@code cue }, ...) are skipped, with the pad byte that follows an odd-sized chunk.
 * Integers are scaled by the full scale of their width ({@code s / 32768} for 16 bits, {@code (u -
 * 128) / 128} for 8), so they land in [-1, 1); float samples past ±1 are clipped to it.
 *
 * <p>The reader is strict, as every reader of this library: each size in the file is checked
 * against the bytes that are really there before anything is allocated, and a file is refused with
 * a {@link DataFormatException} naming the file, the byte offset and the reason, rather than read
 * in part. That includes a {@code data} chunk that claims more bytes than the file holds (a file
 * cut short), the size 0xFFFFFFFF that streaming writers leave when they never come back to fill it
 * in ({@code espeak-ng --stdout} and {@code ffmpeg} to a pipe do), a {@code data} size that is not
 * a whole number of frames, and a non-finite float sample. The one leniency: a missing pad byte
 * after an odd-sized last chunk, which many writers forget. The byte rate field ({@code
 * nAvgBytesPerSec}) is not checked; nothing here needs it.
 *
 * <pre>{@code
 * Wav wav = Wav.read(Path.of("seven.wav"));
 * float[] mono = wav.mono();                      // channels averaged
 * Wav.write(Path.of("out.wav"), wav.sampleRate(), mono, false);
 * }</pre>
 *
 * @param sampleRate frames per second, 1 to {@link #MAX_SAMPLE_RATE}
 * @param channels the number of channels, at least 1
 * @param samples the samples of every channel, interleaved, {@code frames * channels} values in
 *     [-1, 1]; held, not copied
 */
public record Wav(int sampleRate, int channels, float[] samples) {
  /**
   * The largest WAV file read, 1 GiB: about 9 hours of 16 kHz 16-bit mono. The limit keeps the
   * float samples (up to 4 bytes for each byte of the file) within a Java array and the heap.
   */
  public static final long MAX_BYTES = 1L << 30;

  /** The highest sample rate accepted, 1 MHz (above the 384 and 768 kHz of the fastest ADCs). */
  public static final int MAX_SAMPLE_RATE = 1_000_000;

  private static final int PCM = 1;
  private static final int IEEE_FLOAT = 3;
  private static final int EXTENSIBLE = 0xFFFE;

  /** Bytes 2..15 of the KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT GUIDs, after the format code. */
  private static final byte[] GUID_TAIL = {
    0x00,
    0x00,
    0x00,
    0x00,
    0x10,
    0x00,
    (byte) 0x80,
    0x00,
    0x00,
    (byte) 0xAA,
    0x00,
    0x38,
    (byte) 0x9B,
    0x71
  };

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException if the rate is outside [1, {@link #MAX_SAMPLE_RATE}], there is
   *     no channel, or the samples are not a whole number of frames
   */
  public Wav {
    checkRate(sampleRate);
    if (channels < 1) {
      throw new IllegalArgumentException("channels must be at least 1, got " + channels);
    }
    if (samples.length % channels != 0) {
      throw new IllegalArgumentException(
          samples.length
              + " samples are not a whole number of frames of "
              + channels
              + " channels");
    }
  }

  /** A one-channel sound over {@code samples} (not copied). */
  public static Wav ofMono(int sampleRate, float[] samples) {
    return new Wav(sampleRate, 1, samples);
  }

  /** The number of frames: samples per channel. */
  public int frames() {
    return samples.length / channels;
  }

  /** The duration in seconds. */
  public double seconds() {
    return frames() / (double) sampleRate;
  }

  /**
   * The channels averaged into one, a new array of {@link #frames()} values (a copy of the samples
   * when there is one channel).
   */
  public float[] mono() {
    if (channels == 1) {
      return samples.clone();
    }
    int n = frames();
    float[] out = new float[n];
    for (int f = 0; f < n; f++) {
      double sum = 0;
      for (int c = 0; c < channels; c++) {
        sum += samples[f * channels + c];
      }
      out[f] = (float) (sum / channels);
    }
    return out;
  }

  /** Like {@code Wav(16000 Hz, 2 channels, 24000 frames, 1.500 s)}. */
  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "Wav(%d Hz, %d channel%s, %d frames, %.3f s)",
        sampleRate,
        channels,
        channels == 1 ? "" : "s",
        frames(),
        seconds());
  }

  /** Equal rate, channels and samples (compared by value, not by array identity). */
  @Override
  public boolean equals(Object o) {
    return o instanceof Wav w
        && w.sampleRate == sampleRate
        && w.channels == channels
        && Arrays.equals(w.samples, samples);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * sampleRate + channels) + Arrays.hashCode(samples);
  }

  /**
   * Reads a WAV file.
   *
   * @throws DataFormatException naming the file, the byte offset and the reason, if it is not a WAV
   *     file this class reads (see the class comment) or is larger than {@link #MAX_BYTES}
   * @throws IOException if the file cannot be read
   */
  public static Wav read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new DataFormatException(
          file + ": " + size + " bytes is more than the " + MAX_BYTES + " this library reads");
    }
    return read(Files.readAllBytes(file), file.toString());
  }

  /**
   * Reads WAV bytes held in memory; {@code source} names them in errors.
   *
   * @throws DataFormatException as {@link #read(Path)}
   */
  public static Wav read(byte[] bytes, String source) throws DataFormatException {
    return new Parser(bytes, source).parse();
  }

  /**
   * Writes {@code mono} as a one-channel 16-bit PCM WAV file, atomically (a crash leaves the old
   * file or the new one, never half of one; see {@link AtomicFiles}). Samples are clipped to [-1,
   * 1] and scaled by 32768 ({@code 1.0} becomes 32767), so that what {@link #read} gives back is
   * written back to the same bits.
   *
   * @param overwrite whether an existing file may be replaced
   * @throws FileAlreadyExistsException if {@code file} exists and {@code overwrite} is false
   * @throws IllegalArgumentException if the rate is outside [1, {@link #MAX_SAMPLE_RATE}], a sample
   *     is NaN, or the file would be larger than {@link #MAX_BYTES}
   */
  public static void write(Path file, int sampleRate, float[] mono, boolean overwrite)
      throws IOException {
    byte[] bytes = toBytes(sampleRate, mono);
    if (!overwrite && Files.exists(file)) {
      throw new FileAlreadyExistsException(file.toString(), null, "already exists");
    }
    AtomicFiles.write(file, bytes);
  }

  /**
   * The bytes of a one-channel 16-bit PCM WAV file holding {@code mono}: a 44-byte header ({@code
   * RIFF}, {@code fmt }, {@code data}) and the samples, clipped and scaled as {@link #write}.
   *
   * @throws IllegalArgumentException as {@link #write}
   */
  public static byte[] toBytes(int sampleRate, float[] mono) {
    checkRate(sampleRate);
    long dataBytes = 2L * mono.length;
    if (dataBytes + 44 > MAX_BYTES) {
      throw new IllegalArgumentException(
          mono.length
              + " samples make a WAV file larger than the "
              + MAX_BYTES
              + " bytes read back");
    }
    byte[] b = new byte[44 + (int) dataBytes];
    putTag(b, 0, "RIFF");
    putInt(b, 4, 36 + (int) dataBytes);
    putTag(b, 8, "WAVE");
    putTag(b, 12, "fmt ");
    putInt(b, 16, 16);
    putShort(b, 20, PCM);
    putShort(b, 22, 1);
    putInt(b, 24, sampleRate);
    putInt(b, 28, sampleRate * 2);
    putShort(b, 32, 2);
    putShort(b, 34, 16);
    putTag(b, 36, "data");
    putInt(b, 40, (int) dataBytes);
    for (int i = 0; i < mono.length; i++) {
      float x = mono[i];
      if (Float.isNaN(x)) {
        throw new IllegalArgumentException("sample " + i + " is NaN");
      }
      long s = (long) Math.rint(Math.max(-1f, Math.min(1f, x)) * 32768.0);
      putShort(b, 44 + 2 * i, (int) Math.min(32767, s));
    }
    return b;
  }

  private static void checkRate(int sampleRate) {
    if (sampleRate < 1 || sampleRate > MAX_SAMPLE_RATE) {
      throw new IllegalArgumentException(
          "sample rate must be from 1 to " + MAX_SAMPLE_RATE + " Hz, got " + sampleRate);
    }
  }

  private static void putTag(byte[] b, int at, String tag) {
    for (int i = 0; i < 4; i++) {
      b[at + i] = (byte) tag.charAt(i);
    }
  }

  private static void putShort(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >> 8);
  }

  private static void putInt(byte[] b, int at, int v) {
    putShort(b, at, v);
    putShort(b, at + 2, v >> 16);
  }

  /** One pass over the bytes of one file: the chunks, then the samples. */
  private static final class Parser {
    private final byte[] b;
    private final String source;

    private long fmtAt = -1; // offset of the fmt chunk's body
    private int format;
    private int channels;
    private int rate;
    private int blockAlign;
    private int bits;
    private long dataAt = -1; // offset of the data chunk's body
    private long dataSize;

    Parser(byte[] bytes, String source) {
      this.b = bytes;
      this.source = source;
    }

    private DataFormatException error(long offset, String reason) {
      return new DataFormatException(source + ": offset " + offset + ": " + reason);
    }

    private int u16(long at) {
      int i = (int) at;
      return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    private long u32(long at) {
      return (u16(at) | (long) u16(at + 2) << 16) & 0xFFFFFFFFL;
    }

    private String tag(long at) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 4; i++) {
        int c = b[(int) at + i] & 0xff;
        if (c >= 0x20 && c < 0x7f) {
          sb.append((char) c);
        } else {
          sb.append(String.format(Locale.ROOT, "\\x%02x", c));
        }
      }
      return sb.toString();
    }

    Wav parse() throws DataFormatException {
      if (b.length > MAX_BYTES) {
        throw new DataFormatException(
            source
                + ": "
                + b.length
                + " bytes is more than the "
                + MAX_BYTES
                + " this library reads");
      }
      if (b.length < 12) {
        throw new DataFormatException(
            source
                + ": "
                + b.length
                + " bytes, too short for a WAV file (its RIFF/WAVE header alone is 12)");
      }
      String riff = tag(0);
      if (!riff.equals("RIFF")) {
        String why =
            switch (riff) {
              case "RIFX" -> "a big-endian RIFX file, which is not supported";
              case "RF64" -> "an RF64 file (WAV over 4 GiB), which is not supported";
              default -> "not a WAV file: it starts with '" + riff + "', not 'RIFF'";
            };
        throw error(0, why);
      }
      long riffSize = u32(4);
      if (!tag(8).equals("WAVE")) {
        throw error(8, "a RIFF file of type '" + tag(8) + "', not 'WAVE'");
      }
      if (riffSize == 0xFFFFFFFFL) {
        throw error(4, streaming("RIFF"));
      }
      if (riffSize < 4) {
        throw error(4, "RIFF size " + riffSize + " is too small to hold even the 'WAVE' type");
      }
      if (riffSize > b.length - 8L) {
        throw error(
            4,
            "RIFF size says "
                + riffSize
                + " bytes follow but the file has only "
                + (b.length - 8L)
                + " (is it cut short?)");
      }
      long end = 8 + riffSize; // bytes after the RIFF chunk are not part of the file
      long pos = 12;
      while (pos < end) {
        if (end - pos < 8) {
          throw error(
              pos, (end - pos) + " bytes left in the file, too few for a chunk header (8 bytes)");
        }
        String id = tag(pos);
        long size = u32(pos + 4);
        long body = pos + 8;
        if (size == 0xFFFFFFFFL) {
          throw error(pos + 4, streaming("'" + id + "' chunk"));
        }
        if (size > end - body) {
          throw error(
              pos + 4,
              "the '"
                  + id
                  + "' chunk says "
                  + size
                  + " bytes but only "
                  + (end - body)
                  + " are left in the file (is it cut short?)");
        }
        if (id.equals("fmt ")) {
          if (fmtAt >= 0) {
            throw error(pos, "a second 'fmt ' chunk (the first is at offset " + (fmtAt - 8) + ")");
          }
          format(body, size);
        } else if (id.equals("data")) {
          if (dataAt >= 0) {
            throw error(pos, "a second 'data' chunk (the first is at offset " + (dataAt - 8) + ")");
          }
          dataAt = body;
          dataSize = size;
        }
        // A missing pad byte after an odd-sized last chunk is forgiven: it would hold nothing.
        pos = Math.min(end, body + size + (size & 1));
      }
      if (fmtAt < 0) {
        throw error(end, "no 'fmt ' chunk (the format) before the end of the file");
      }
      if (dataAt < 0) {
        throw error(end, "no 'data' chunk (the samples) before the end of the file");
      }
      return samples();
    }

    private static String streaming(String what) {
      return what
          + " size 0xFFFFFFFF: the file was written as a stream and its length never filled in;"
          + " rewrite it (sox in.wav out.wav, or ffmpeg -i in.wav out.wav)";
    }

    /** Reads and checks the fmt chunk whose body starts at {@code at}. */
    private void format(long at, long size) throws DataFormatException {
      fmtAt = at;
      if (size < 16) {
        throw error(
            at - 4, "a 'fmt ' chunk of " + size + " bytes, shorter than the 16 of a format");
      }
      format = u16(at);
      channels = u16(at + 2);
      long r = u32(at + 4);
      blockAlign = u16(at + 12);
      bits = u16(at + 14);
      if (format == EXTENSIBLE) {
        if (size < 40) {
          throw error(
              at - 4,
              "a WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk of "
                  + size
                  + " bytes, shorter than the 40 it needs");
        }
        int extension = u16(at + 16);
        if (extension < 22) {
          throw error(
              at + 16,
              "WAVE_FORMAT_EXTENSIBLE extension of " + extension + " bytes, fewer than its 22");
        }
        int valid = u16(at + 18);
        if (valid > bits) {
          throw error(
              at + 18, valid + " valid bits per sample in a container of only " + bits + " bits");
        }
        for (int i = 0; i < GUID_TAIL.length; i++) {
          if (b[(int) at + 26 + i] != GUID_TAIL[i]) {
            throw error(
                at + 24,
                "WAVE_FORMAT_EXTENSIBLE sub-format "
                    + guid(at + 24)
                    + " is not PCM or IEEE float (unsupported encoding)");
          }
        }
        int sub = u16(at + 24);
        if (sub != PCM && sub != IEEE_FLOAT) {
          throw error(
              at + 24,
              "unsupported encoding: WAVE_FORMAT_EXTENSIBLE sub-format "
                  + formatName(sub)
                  + "; only PCM (1) and IEEE float (3) are read");
        }
        format = sub;
      } else if (format != PCM && format != IEEE_FLOAT) {
        throw error(
            at,
            "unsupported encoding: format "
                + formatName(format)
                + "; only PCM (1), IEEE float (3) and WAVE_FORMAT_EXTENSIBLE (0xFFFE) of those"
                + " are read");
      }
      if (channels == 0) {
        throw error(at + 2, "0 channels; a sound needs at least 1");
      }
      if (r == 0 || r > MAX_SAMPLE_RATE) {
        throw error(
            at + 4,
            "a sample rate of "
                + r
                + " Hz; expected 1 to "
                + MAX_SAMPLE_RATE
                + " (a damaged header?)");
      }
      rate = (int) r;
      boolean ok =
          format == PCM
              ? bits == 8 || bits == 16 || bits == 24 || bits == 32
              : bits == 32 || bits == 64;
      if (!ok) {
        throw error(
            at + 14,
            "unsupported bit depth: "
                + bits
                + "-bit "
                + (format == PCM ? "PCM (8, 16, 24 or 32 are read)" : "float (32 or 64 are read)"));
      }
      long expected = (long) channels * (bits / 8);
      if (blockAlign != expected) {
        throw error(
            at + 12,
            "block align of "
                + blockAlign
                + " bytes per frame, but "
                + channels
                + " channel"
                + (channels == 1 ? "" : "s")
                + " of "
                + bits
                + " bits need "
                + expected);
      }
    }

    private String guid(long at) {
      return String.format(
          Locale.ROOT,
          "{%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}",
          u32(at),
          u16(at + 4),
          u16(at + 6),
          b[(int) at + 8] & 0xff,
          b[(int) at + 9] & 0xff,
          b[(int) at + 10] & 0xff,
          b[(int) at + 11] & 0xff,
          b[(int) at + 12] & 0xff,
          b[(int) at + 13] & 0xff,
          b[(int) at + 14] & 0xff,
          b[(int) at + 15] & 0xff);
    }

    private static String formatName(int code) {
      String name =
          switch (code) {
            case 0x0002 -> " (Microsoft ADPCM)";
            case 0x0006 -> " (A-law)";
            case 0x0007 -> " (mu-law)";
            case 0x0011 -> " (IMA ADPCM)";
            case 0x0031 -> " (GSM 6.10)";
            case 0x0050 -> " (MPEG)";
            case 0x0055 -> " (MPEG layer 3)";
            case 0x00FF, 0x1610 -> " (AAC)";
            default -> "";
          };
      return String.format(Locale.ROOT, "0x%04x", code) + name;
    }

    private Wav samples() throws DataFormatException {
      int width = bits / 8;
      if (dataSize % blockAlign != 0) {
        throw error(
            dataAt - 4,
            "data size "
                + dataSize
                + " is not a whole number of "
                + blockAlign
                + "-byte frames (is the file cut short?)");
      }
      // dataSize <= MAX_BYTES (checked against the file), so the count fits an array.
      int n = (int) (dataSize / width);
      float[] out = new float[n];
      int p = (int) dataAt;
      if (format == PCM) {
        switch (bits) {
          case 8 -> {
            for (int i = 0; i < n; i++, p++) {
              out[i] = ((b[p] & 0xff) - 128) / 128f;
            }
          }
          case 16 -> {
            for (int i = 0; i < n; i++, p += 2) {
              out[i] = (short) ((b[p] & 0xff) | b[p + 1] << 8) / 32768f;
            }
          }
          case 24 -> {
            for (int i = 0; i < n; i++, p += 3) {
              out[i] = ((b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | b[p + 2] << 16) / 8388608f;
            }
          }
          default -> {
            for (int i = 0; i < n; i++, p += 4) {
              out[i] = (float) (int32(p) / 2147483648.0);
            }
          }
        }
      } else if (bits == 32) {
        for (int i = 0; i < n; i++, p += 4) {
          out[i] = clip(Float.intBitsToFloat(int32(p)), p);
        }
      } else {
        for (int i = 0; i < n; i++, p += 8) {
          long v = (int32(p) & 0xFFFFFFFFL) | (long) int32(p + 4) << 32;
          out[i] = (float) clip(Double.longBitsToDouble(v), p);
        }
      }
      return new Wav(rate, channels, out);
    }

    private int int32(int p) {
      return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | b[p + 3] << 24;
    }

    private float clip(float x, int p) throws DataFormatException {
      if (!Float.isFinite(x)) {
        throw error(p, "sample " + x + " is not a finite number");
      }
      return Math.max(-1f, Math.min(1f, x));
    }

    private double clip(double x, int p) throws DataFormatException {
      if (!Double.isFinite(x)) {
        throw error(p, "sample " + x + " is not a finite number");
      }
      return Math.max(-1.0, Math.min(1.0, x));
    }
  }
}
