package dev.nerve.io;

import dev.nerve.train.TrainingState;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A {@link TrainingState} as bytes: a small little-endian binary layout (magic {@code NERVE-STATE},
 * version, the fields in record order, each array preceded by its length) ending with a CRC-32 of
 * everything before it. Floats and doubles are stored as their bits, so a resumed run continues
 * from exactly the saved numbers.
 *
 * <p>Reading checks the checksum first, then every length against the bytes that remain before
 * allocating, so a damaged or hostile file is refused with a {@link FormatException} saying why,
 * never with an {@code OutOfMemoryError}.
 */
public final class TrainingStateFile {
  /** The first bytes of every state file. */
  static final byte[] MAGIC = "NERVE-STATE\n".getBytes(StandardCharsets.US_ASCII);

  /** The layout version this library writes and reads. */
  public static final int VERSION = 1;

  private TrainingStateFile() {}

  /** Writes {@code state} to {@code file} atomically. */
  public static void write(TrainingState state, Path file) throws IOException {
    AtomicFiles.write(file, toBytes(state));
  }

  /** Reads a state written by {@link #write}. */
  public static TrainingState read(Path file) throws IOException {
    return fromBytes(Files.readAllBytes(file), file.toString());
  }

  /** The bytes of {@code state}. */
  public static byte[] toBytes(TrainingState s) {
    long size = MAGIC.length + 4 + 4 + 8 + 4 + 4 + 4 + 4L * s.order().length + 8 + 4 + 4 + 8;
    size += 4;
    for (float[] a : s.optimizerArrays()) {
      size += 4 + 4L * a.length;
    }
    size += 4 + 8L * s.randomStates().length;
    size += 4 + 8L * s.iterationLosses().length;
    size += 4 + 6 * 8L * s.epochsDone();
    size += 1;
    if (s.bestWeights() != null) {
      size += 4;
      for (float[] a : s.bestWeights()) {
        size += 4 + 4L * a.length;
      }
    }
    size += 8;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a training state of " + size + " bytes is too large");
    }
    ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putInt(VERSION);
    b.putInt(s.epochsDone()).putLong(s.iteration()).putInt(s.examples()).putInt(s.batchSize());
    b.putInt(s.order().length);
    for (int i : s.order()) {
      b.putInt(i);
    }
    b.putLong(s.shuffleState()).putFloat(s.baseRate()).putFloat(s.learningRate());
    b.putLong(s.optimizerSteps());
    b.putInt(s.optimizerArrays().size());
    for (float[] a : s.optimizerArrays()) {
      floats(b, a);
    }
    b.putInt(s.randomStates().length);
    for (long l : s.randomStates()) {
      b.putLong(l);
    }
    doubles(b, s.iterationLosses());
    b.putInt(s.epochsDone());
    for (double[] series : perEpoch(s)) {
      for (double d : series) {
        b.putDouble(d);
      }
    }
    b.put((byte) (s.bestWeights() == null ? 0 : 1));
    if (s.bestWeights() != null) {
      b.putInt(s.bestWeights().length);
      for (float[] a : s.bestWeights()) {
        floats(b, a);
      }
    }
    CRC32 crc = new CRC32();
    crc.update(b.array(), 0, b.position());
    b.putLong(crc.getValue());
    return b.array();
  }

  private static double[][] perEpoch(TrainingState s) {
    return new double[][] {
      s.epochLosses(),
      s.trainAccuracies(),
      s.validationLosses(),
      s.validationAccuracies(),
      s.epochSeconds(),
      s.learningRates()
    };
  }

  private static void floats(ByteBuffer b, float[] a) {
    b.putInt(a.length);
    for (float f : a) {
      b.putFloat(f);
    }
  }

  private static void doubles(ByteBuffer b, double[] a) {
    b.putInt(a.length);
    for (double d : a) {
      b.putDouble(d);
    }
  }

  /**
   * Reads a state from {@code bytes}; {@code source} names them in messages.
   *
   * @throws FormatException if the bytes are not a whole, undamaged state of a known version
   */
  public static TrainingState fromBytes(byte[] bytes, String source) throws FormatException {
    if (bytes.length < MAGIC.length + 4 + 8
        || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new FormatException(source + ": not a Nerve training state (no NERVE-STATE header)");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 8);
    if (crc.getValue() != b.getLong(bytes.length - 8)) {
      throw new FormatException(
          source + ": the training state's checksum does not match; the file is damaged");
    }
    b.limit(bytes.length - 8);
    b.position(MAGIC.length);
    try {
      int version = b.getInt();
      if (version != VERSION) {
        throw new FormatException(
            source
                + ": training state version "
                + version
                + " is not supported (this is "
                + VERSION
                + ")");
      }
      int epochs = b.getInt();
      long iteration = b.getLong();
      int examples = b.getInt();
      int batchSize = b.getInt();
      int[] order = new int[count(b, 4, source, "order")];
      for (int i = 0; i < order.length; i++) {
        order[i] = b.getInt();
      }
      long shuffle = b.getLong();
      float baseRate = b.getFloat();
      float rate = b.getFloat();
      long steps = b.getLong();
      int arrays = count(b, 4, source, "optimizer arrays");
      List<float[]> opt = new ArrayList<>();
      for (int k = 0; k < arrays; k++) {
        opt.add(floats(b, source));
      }
      long[] random = new long[count(b, 8, source, "random generator states")];
      for (int i = 0; i < random.length; i++) {
        random[i] = b.getLong();
      }
      double[] iterations = doubles(b, source);
      int perEpoch = count(b, 6 * 8, source, "epochs");
      double[][] series = new double[6][perEpoch];
      for (double[] s : series) {
        for (int e = 0; e < perEpoch; e++) {
          s[e] = b.getDouble();
        }
      }
      float[][] best = null;
      if (b.get() != 0) {
        best = new float[count(b, 4, source, "best weights")][];
        for (int k = 0; k < best.length; k++) {
          best[k] = floats(b, source);
        }
      }
      if (b.hasRemaining()) {
        throw new FormatException(
            source + ": " + b.remaining() + " unexpected bytes after the training state");
      }
      return new TrainingState(
          epochs,
          iteration,
          examples,
          batchSize,
          order,
          shuffle,
          baseRate,
          rate,
          steps,
          opt,
          random,
          iterations,
          series[0],
          series[1],
          series[2],
          series[3],
          series[4],
          series[5],
          best);
    } catch (BufferUnderflowException e) {
      throw new FormatException(source + ": the training state ends too soon");
    } catch (IllegalArgumentException e) {
      throw new FormatException(source + ": inconsistent training state: " + e.getMessage());
    }
  }

  /** A count read from the file, refused if that many items of {@code size} bytes cannot fit. */
  private static int count(ByteBuffer b, int size, String source, String what)
      throws FormatException {
    int n = b.getInt();
    if (n < 0 || (long) n * size > b.remaining()) {
      throw new FormatException(
          source + ": the training state claims " + n + " " + what + ", more than the file holds");
    }
    return n;
  }

  private static float[] floats(ByteBuffer b, String source) throws FormatException {
    float[] a = new float[count(b, 4, source, "values")];
    for (int i = 0; i < a.length; i++) {
      a[i] = b.getFloat();
    }
    return a;
  }

  private static double[] doubles(ByteBuffer b, String source) throws FormatException {
    double[] a = new double[count(b, 8, source, "losses")];
    for (int i = 0; i < a.length; i++) {
      a[i] = b.getDouble();
    }
    return a;
  }
}
