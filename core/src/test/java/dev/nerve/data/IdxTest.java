package dev.nerve.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IDX reader on hand-made files, broken files, and Fashion-MNIST from Debian's package. */
class IdxTest {
  @TempDir Path dir;

  static byte[] idx(int type, int[] dims, byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + body.length);
    b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(body);
    return b.array();
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    }
    return out.toByteArray();
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private static final byte[] PIXELS = {0, 1, (byte) 255, (byte) 128, 7, 9};

  @Test
  void readsUnsignedBytesPlainAndGzip() throws Exception {
    byte[] file = idx(0x08, new int[] {2, 1, 3}, PIXELS);
    for (Path p : new Path[] {write("a.idx", file), write("a.idx.gz", gzip(file))}) {
      Features f = Idx.readImages(p);
      assertEquals(2, f.rows());
      assertEquals(3, f.cols());
      assertArrayEquals(new float[] {0, 1, 255, 128, 7, 9}, f.toTensor().data());
    }
  }

  @Test
  void readsWiderTypesBigEndian() throws Exception {
    ByteBuffer body = ByteBuffer.allocate(2 * 4 + 2 * 8 + 2 * 2);
    body.putFloat(1.5f).putFloat(-2f);
    Idx.Contents f = Idx.read(idx(0x0D, new int[] {2}, Arrays.copyOf(body.array(), 8)), "f");
    assertArrayEquals(new float[] {1.5f, -2f}, f.values());
    ByteBuffer d = ByteBuffer.allocate(16).putDouble(0.25).putDouble(3);
    assertArrayEquals(
        new float[] {0.25f, 3f}, Idx.read(idx(0x0E, new int[] {2}, d.array()), "d").values());
    ByteBuffer s = ByteBuffer.allocate(4).putShort((short) -3).putShort((short) 300);
    assertArrayEquals(
        new float[] {-3, 300}, Idx.read(idx(0x0B, new int[] {2}, s.array()), "s").values());
    Idx.Contents signed = Idx.read(idx(0x09, new int[] {1, 2}, new byte[] {-1, 5}), "b");
    assertArrayEquals(new float[] {-1, 5}, signed.asFeatures().toTensor().data());
  }

  @Test
  void readsADatasetWithOneHotLabels() throws Exception {
    Path images = write("img", idx(0x08, new int[] {2, 3}, PIXELS));
    Path labels = write("lab", idx(0x08, new int[] {2}, new byte[] {2, 0}));
    Dataset d = Idx.readDataset(images, labels, 3);
    assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, d.y().data());
  }

  private String refused(byte[] bytes) {
    return assertThrows(DataFormatException.class, () -> Idx.read(bytes, "f.idx")).getMessage();
  }

  @Test
  void brokenFilesAreRefusedWithTheReason() throws Exception {
    byte[] good = idx(0x08, new int[] {2, 3}, PIXELS);
    assertEquals("f.idx: empty file, not IDX data", refused(new byte[0]));
    assertEquals(
        "f.idx: not an IDX file: magic number starts 50 4b, expected 00 00",
        refused("PK\3\4 not idx".getBytes()));
    assertEquals(
        "f.idx: unknown IDX type code 0x07 (expected 08, 09, 0b, 0c, 0d or 0e)",
        refused(idx(0x07, new int[] {1}, new byte[1])));
    assertTrue(refused(Arrays.copyOf(good, 3)).contains("too short for an IDX header"));
    assertTrue(refused(Arrays.copyOf(good, 9)).contains("truncated header"));
    assertEquals(
        "f.idx: truncated: the header declares 6 bytes of data but the file holds 5",
        refused(Arrays.copyOf(good, good.length - 1)));
    assertEquals(
        "f.idx: unexpected bytes after the 6 bytes of data the header declares",
        refused(Arrays.copyOf(good, good.length + 1)));
    assertTrue(
        refused(gzip(Arrays.copyOf(good, good.length - 1)))
            .contains("truncated: the header declares 6 bytes of data, found 5"));
    byte[] gz = gzip(good);
    assertTrue(refused(Arrays.copyOf(gz, gz.length / 2)).contains("corrupt or truncated gzip"));
  }

  @Test
  void lyingSizesAreRefusedBeforeAllocating() throws Exception {
    // 2^31 - 1 images of 2^31 - 1 pixels: refused from the header, no allocation attempted.
    byte[] huge = idx(0x08, new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE}, new byte[0]);
    assertTrue(refused(huge).contains("more than 2 GB"), refused(huge));
    // 1 GB declared in a 20-byte gzip: more than deflate could ever expand to.
    byte[] lying = gzip(idx(0x08, new int[] {1 << 15, 1 << 15}, new byte[0]));
    assertTrue(refused(lying).contains("too small to hold them even compressed"));
    byte[] negative = idx(0x08, new int[] {-1}, new byte[0]);
    assertTrue(refused(negative).contains("too large"), refused(negative));
  }

  @Test
  void imagesAndLabelsMustAgree() throws Exception {
    Path images = write("img", idx(0x08, new int[] {2, 3}, PIXELS));
    Path three = write("lab3", idx(0x08, new int[] {3}, new byte[] {0, 1, 2}));
    assertEquals(
        images + " holds 2 images but " + three + " holds 3 labels",
        assertThrows(DataFormatException.class, () -> Idx.readDataset(images, three, 10))
            .getMessage());
    Path big = write("lab", idx(0x08, new int[] {2}, new byte[] {0, 10}));
    assertEquals(
        big + ": label 10 of example 1 is outside [0, 10)",
        assertThrows(DataFormatException.class, () -> Idx.readDataset(images, big, 10))
            .getMessage());
    Path flat = write("flat", idx(0x08, new int[] {6}, PIXELS));
    assertThrows(DataFormatException.class, () -> Idx.readImages(flat));
    assertThrows(DataFormatException.class, () -> Idx.readLabels(images));
  }

  /** Fashion-MNIST as Debian ships it; CI installs the package and requires this test. */
  @Test
  void readsFashionMnist() throws Exception {
    Path dir = Path.of("/usr/share/datasets/fashion-mnist");
    boolean present = Files.exists(dir.resolve("t10k-images-idx3-ubyte.gz"));
    if (!Boolean.getBoolean("nerve.requireDatasets") && !"1".equals(System.getenv("NERVE_CI"))) {
      Assumptions.assumeTrue(present, "dataset-fashion-mnist is not installed");
    }
    Dataset test =
        Idx.readDataset(
            dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"), 10);
    assertEquals(10000, test.size());
    assertEquals(784, test.features().cols());
    // Fashion-MNIST's test set is balanced: 1000 of each class.
    float[] counts = test.targets().toTensor().columnSums().data();
    for (float c : counts) {
      assertEquals(1000f, c);
    }
    Dataset train =
        Idx.readDataset(
            dir.resolve("train-images-idx3-ubyte.gz"),
            dir.resolve("train-labels-idx1-ubyte.gz"),
            10);
    assertEquals(60000, train.size());
  }

  @Test
  void zeroItemsWithHugeItemsAndLyingGzipHeadersAreRefusedCheaply() throws Exception {
    String msg = refused(idx(0x08, new int[] {0, 65536, 32768}, new byte[0]));
    assertTrue(msg.contains("more than 2^31 values"), msg);
    // 1.5 GB declared, 2 MB of incompressible data present: refused as truncated, and the
    // buffer grows only with the data that really arrives.
    byte[] noise = new byte[2_000_000];
    new java.util.Random(1).nextBytes(noise);
    msg = refused(gzip(idx(0x08, new int[] {2_000_000, 784}, noise)));
    assertTrue(msg.contains("declares 1568000000 bytes of data, found 2000000"), msg);
  }
}
