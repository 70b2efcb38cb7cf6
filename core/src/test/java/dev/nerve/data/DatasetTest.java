package dev.nerve.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Tensor;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Views, splits, normalisation and batching over any kind of rows. */
class DatasetTest {
  private static Dataset numbered(int n, int cols) {
    Tensor x = Tensor.zeros(n, cols);
    Tensor y = Tensor.zeros(n, 1);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < cols; j++) {
        x.data()[i * cols + j] = i * 10 + j;
      }
      y.data()[i] = i;
    }
    return new Dataset(x, y);
  }

  @Test
  void aTensorDatasetReturnsItsOwnTensors() {
    Tensor x = Tensor.zeros(3, 2);
    Tensor y = Tensor.zeros(3, 1);
    Dataset d = new Dataset(x, y);
    assertSame(x, d.x());
    assertSame(y, d.y());
  }

  @Test
  void splitsAreDisjointCompleteAndSeeded() {
    Dataset d = numbered(101, 2);
    Dataset[] parts = d.split(5, 0.8, 0.1, 0.1);
    assertEquals(81, parts[0].size());
    assertEquals(10, parts[1].size());
    assertEquals(10, parts[2].size());
    Set<Float> seen = new HashSet<>();
    for (Dataset p : parts) {
      for (float v : p.y().data()) {
        seen.add(v);
      }
    }
    assertEquals(101, seen.size(), "every example in exactly one part");
    assertArrayEquals(parts[1].y().data(), d.split(5, 0.8, 0.1, 0.1)[1].y().data());
    assertEquals(
        false, Arrays.equals(parts[1].y().data(), d.split(6, 0.8, 0.1, 0.1)[1].y().data()));
    // Inputs follow their targets.
    Dataset p = parts[2];
    for (int i = 0; i < p.size(); i++) {
      assertEquals(p.y().data()[i] * 10 + 1, p.x().data()[i * 2 + 1]);
    }
    assertThrows(IllegalArgumentException.class, () -> d.split(0, 0.7, 0.4));
    assertThrows(IllegalArgumentException.class, () -> d.split(0, 0.5, 0));
  }

  @Test
  void subsetsOfSubsetsAndRanges() {
    Dataset d = numbered(10, 1);
    Dataset s = d.subset(new int[] {9, 3, 5, 7}).subset(new int[] {2, 0});
    assertArrayEquals(new float[] {5, 9}, s.y().data());
    assertArrayEquals(new float[] {2, 3, 4}, d.range(2, 5).y().data());
    assertThrows(IndexOutOfBoundsException.class, () -> d.subset(new int[] {10}));
    assertThrows(IndexOutOfBoundsException.class, () -> d.range(4, 11));
  }

  @Test
  void byteRowsGatherLikeFloatRows() {
    byte[] b = new byte[4 * 3];
    float[] f = new float[b.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i * 23);
      f[i] = b[i] & 0xff;
    }
    Features bytes = Features.ofUnsignedBytes(b, 4, 3);
    Features floats = Features.of(Tensor.wrap(f, 4, 3));
    int[] rows = {3, 0, 2};
    float[] x = new float[9];
    float[] z = new float[9];
    bytes.gather(rows, 0, 3, x);
    floats.gather(rows, 0, 3, z);
    assertArrayEquals(z, x);
    assertThrows(IllegalArgumentException.class, () -> Features.ofUnsignedBytes(b, 5, 3));
  }

  @Test
  void batchesOfByteRowsMatchBatchesOfTheSameFloats() {
    byte[] b = new byte[37 * 5];
    new java.util.Random(3).nextBytes(b);
    Dataset bytes =
        new Dataset(Features.ofUnsignedBytes(b, 37, 5), Features.of(Tensor.zeros(37, 1)))
            .normalized(Normalizer.scale(1f / 255));
    Dataset floats = new Dataset(bytes.x(), Tensor.zeros(37, 1));
    Batcher x = new Batcher(bytes, 8, new Rng(1));
    Batcher y = new Batcher(floats, 8, new Rng(1));
    for (int epoch = 0; epoch < 2; epoch++) {
      x.startEpoch();
      y.startEpoch();
      for (int i = 0; i < x.batchesPerEpoch(); i++) {
        assertArrayEquals(y.x(i).data(), x.x(i).data(), "epoch " + epoch + " batch " + i);
      }
    }
    float max = 0;
    for (float v : bytes.x().data()) {
      max = Math.max(max, v);
    }
    assertEquals(true, max <= 1f && max > 0.9f);
  }
}
