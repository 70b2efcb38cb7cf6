package dev.nerve.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.train.TrainingState;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training states survive the round trip to the bit, and damaged or lying files are refused. */
class TrainingStateFileTest {
  @TempDir Path dir;

  static TrainingState sample(boolean best) {
    return new TrainingState(
        2,
        5,
        4,
        2,
        new int[] {3, 0, 2, 1},
        0x1234_5678_9abc_def0L,
        0.1f,
        0.05f,
        5,
        List.of(new float[] {1f, -0f, Float.MIN_VALUE}, new float[] {Float.NaN, 2.5f}),
        new long[] {-1L, 42L},
        new double[] {0.9, 0.8, 0.7, 0.6, 0.5},
        new double[] {0.85, 0.55},
        new double[] {Double.NaN, Double.NaN},
        new double[] {1.0, 0.9},
        new double[] {0.5, 0.75},
        new double[] {0.01, 0.02},
        new double[] {0.1, 0.05},
        best ? new float[][] {{1f, 2f}, {3f}} : null);
  }

  @Test
  void roundTripIsExact() throws Exception {
    for (boolean best : new boolean[] {false, true}) {
      TrainingState s = sample(best);
      Path f = dir.resolve("s" + best + ".bin");
      TrainingStateFile.write(s, f);
      TrainingState r = TrainingStateFile.read(f);
      assertEquals(s.epochsDone(), r.epochsDone());
      assertEquals(s.iteration(), r.iteration());
      assertArrayEquals(s.order(), r.order());
      assertEquals(s.shuffleState(), r.shuffleState());
      assertEquals(s.learningRate(), r.learningRate());
      for (int i = 0; i < 2; i++) {
        assertArrayEquals(s.optimizerArrays().get(i), r.optimizerArrays().get(i));
      }
      assertArrayEquals(s.randomStates(), r.randomStates());
      assertArrayEquals(s.iterationLosses(), r.iterationLosses());
      assertArrayEquals(s.trainAccuracies(), r.trainAccuracies());
      assertArrayEquals(s.learningRates(), r.learningRates());
      if (best) {
        assertArrayEquals(s.bestWeights()[0], r.bestWeights()[0]);
        assertArrayEquals(s.bestWeights()[1], r.bestWeights()[1]);
      } else {
        assertNull(r.bestWeights());
      }
      assertArrayEquals(TrainingStateFile.toBytes(s), Files.readAllBytes(f));
    }
  }

  @Test
  void everyFlippedByteAndEveryCutIsRefused() {
    byte[] good = TrainingStateFile.toBytes(sample(true));
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x10;
      assertThrows(FormatException.class, () -> TrainingStateFile.fromBytes(bad, "s"), "byte " + i);
    }
    for (int n = 0; n < good.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(good, n);
      assertThrows(FormatException.class, () -> TrainingStateFile.fromBytes(cut, "s"), "cut " + n);
    }
  }

  @Test
  void aLyingCountWithAValidChecksumIsRefusedBeforeAllocating() {
    byte[] good = TrainingStateFile.toBytes(sample(false));
    int at = TrainingStateFile.MAGIC.length + 4 + 4 + 8 + 4 + 4; // the order's length
    byte[] bad = good.clone();
    ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(at, Integer.MAX_VALUE);
    CRC32 crc = new CRC32();
    crc.update(bad, 0, bad.length - 8);
    ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putLong(bad.length - 8, crc.getValue());
    FormatException e =
        assertThrows(FormatException.class, () -> TrainingStateFile.fromBytes(bad, "lying"));
    assertTrue(e.getMessage().contains("more than the file holds"), e.getMessage());
    assertTrue(
        assertThrows(FormatException.class, () -> TrainingStateFile.fromBytes(new byte[3], "x"))
            .getMessage()
            .contains("not a Nerve training state"));
  }
}
