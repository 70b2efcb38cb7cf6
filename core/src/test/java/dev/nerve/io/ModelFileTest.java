package dev.nerve.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.Features;
import dev.nerve.data.Normalizer;
import dev.nerve.nn.LayerTypes;
import dev.nerve.nn.Parameter;
import dev.nerve.nn.Sequential;
import dev.nerve.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model file: round trips, old versions, and every kind of damage refused with a reason. */
class ModelFileTest {
  @TempDir Path dir;

  private static Path fixture(String name) throws Exception {
    return Path.of(ModelFileTest.class.getResource("/fixtures/" + name).toURI());
  }

  /** Iris rows 1-3 through the first release's model: its own 'nerve predict' printed these. */
  private static final float[][] IRIS = {{5.1f, 3.5f, 1.4f, 0.2f}, {4.9f, 3.0f, 1.4f, 0.2f}};

  private static final float[][] V1_PROBABILITIES = {
    {0.8529842f, 0.1077558f, 0.03925999f}, {0.82403255f, 0.12753686f, 0.04843058f}
  };

  private static float[] probabilities(Sequential net, Tensor x) {
    Tensor p = net.predict(x);
    dev.nerve.tensor.kernel.ElementWise.softmaxRows(p.data(), p.data(), p.rows(), p.cols());
    return p.data();
  }

  @Test
  void readsTheFirstReleasesFiles() throws Exception {
    ModelFile m = ModelFile.read(fixture("iris-model-v1.json"));
    assertEquals(Normalizer.Kind.NONE, m.normalizer().kind());
    assertEquals("species", m.metadata().get("target"));
    float[] want = new float[6];
    System.arraycopy(V1_PROBABILITIES[0], 0, want, 0, 3);
    System.arraycopy(V1_PROBABILITIES[1], 0, want, 3, 3);
    assertArrayEquals(want, probabilities(m.model(), Tensor.of(IRIS)), 1e-6f);
  }

  @Test
  void readsTheVersion2Fixture() throws Exception {
    ModelFile m = ModelFile.read(fixture("iris-model-v2.nerve"));
    ModelFile v1 = ModelFile.read(fixture("iris-model-v1.json"));
    assertEquals(Normalizer.Kind.STANDARDIZE, m.normalizer().kind());
    assertEquals(1.2112338f, m.normalizer().factors()[0]);
    assertEquals(List.of("setosa", "versicolor", "virginica"), m.metadata().get("classes"));
    for (int i = 0; i < v1.model().parameters().size(); i++) {
      assertArrayEquals(
          v1.model().parameters().get(i).value().data(),
          m.model().parameters().get(i).value().data());
    }
    Map<String, Object> manifest = ModelFile.readManifest(fixture("iris-model-v2.nerve"));
    assertEquals("nerve 0.1.0-SNAPSHOT", manifest.get("library"));
    assertEquals(2, ((Number) manifest.get("version")).intValue());
  }

  @Test
  void writesWhatItReadsBitForBit() throws Exception {
    ModelFile m = ModelFileFixture.model();
    Path f = dir.resolve("m.nerve");
    m.write(f);
    ModelFile back = ModelFile.read(f);
    List<Parameter> a = m.model().parameters();
    List<Parameter> b = back.model().parameters();
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i).value().data(), b.get(i).value().data());
    }
    assertArrayEquals(m.normalizer().offsets(), back.normalizer().offsets());
    assertEquals(m.spec(), back.spec());
    assertEquals(m.metadata().get("target"), back.metadata().get("target"));
    Tensor x = Tensor.of(IRIS);
    Tensor nx = Features.of(x).normalized(back.normalizer()).toTensor();
    assertArrayEquals(
        m.model().predict(Features.of(x).normalized(m.normalizer()).toTensor()).data(),
        back.model().predict(nx).data());
    // Same model and creation time, same bytes.
    assertArrayEquals(m.toBytes("t"), back.toBytes("t"));
  }

  @Test
  void theWeightsAreAFlatLittleEndianBinaryThatOtherToolsCanRead() throws Exception {
    ModelFile m = ModelFileFixture.model();
    byte[] zip = m.toBytes("t");
    try (java.util.zip.ZipInputStream z =
        new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
      assertEquals("manifest.json", z.getNextEntry().getName());
      z.readAllBytes();
      assertEquals("weights.bin", z.getNextEntry().getName());
      byte[] w = z.readAllBytes();
      float first = java.nio.ByteBuffer.wrap(w).order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat(0);
      assertEquals(m.model().parameters().get(0).value().data()[0], first);
    }
  }

  private String refused(byte[] bytes) {
    return assertThrows(FormatException.class, () -> ModelFile.fromBytes(bytes, "m.nerve"))
        .getMessage();
  }

  @Test
  void damagedFilesAreRefusedWithAReason() throws Exception {
    byte[] good = ModelFileFixture.model().toBytes("t");
    assertEquals("m.nerve: empty file, not a model", refused(new byte[0]));
    assertTrue(
        refused(Arrays.copyOf(good, good.length / 2)).contains("end record is missing"),
        "cut in half");
    assertTrue(
        refused(Arrays.copyOf(good, good.length - 1)).contains("end record is missing"),
        "one byte short");
    assertTrue(refused("hello".getBytes()).startsWith("m.nerve: not a model file"));
    // Flip each byte in turn: every single flip must be refused or, if it lands somewhere
    // no reader looks (such as a timestamp), leave the model exactly as it was.
    ModelFile original = ModelFile.fromBytes(good, "m");
    int refusedCount = 0;
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x5a;
      try {
        ModelFile m = ModelFile.fromBytes(bad, "m.nerve");
        for (int k = 0; k < m.model().parameters().size(); k++) {
          assertArrayEquals(
              original.model().parameters().get(k).value().data(),
              m.model().parameters().get(k).value().data(),
              "byte " + i + " flipped changed the weights unnoticed");
        }
        assertArrayEquals(original.normalizer().factors(), m.normalizer().factors());
      } catch (FormatException e) {
        refusedCount++;
        assertTrue(e.getMessage().startsWith("m.nerve"), e.getMessage());
      }
    }
    // The flips that pass land in zip fields no reader uses (times, "version made by", file
    // attributes); the loop above proved they change nothing. 94% of positions are refused.
    assertTrue(refusedCount > good.length * 93 / 100, refusedCount + " of " + good.length);
  }

  @Test
  void aFlippedWeightByteIsCaughtByTheChecksum() throws Exception {
    ModelFile m = ModelFileFixture.model();
    byte[] good = m.toBytes("t");
    // The weights are stored uncompressed at the end, before the central directory.
    int weightsEnd = indexOf(good, "PK\1\2".getBytes(StandardCharsets.ISO_8859_1));
    byte[] bad = good.clone();
    bad[weightsEnd - 3] ^= 1;
    String msg = refused(bad);
    assertTrue(msg.contains("CRC") || msg.contains("checksum"), msg);
  }

  private static int indexOf(byte[] a, byte[] b) {
    outer:
    for (int i = 0; i + b.length <= a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        if (a[i + j] != b[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void unknownVersionsAndFormatsAreRefused() throws Exception {
    String v1 = Files.readString(fixture("iris-model-v1.json"));
    assertEquals(
        "m.nerve: model format version 3 is not supported (this library reads versions 1 and 2;"
            + " a newer Nerve may read it)",
        refused(v1.replace("\"version\": 1", "\"version\": 3").getBytes(StandardCharsets.UTF_8)));
    assertEquals(
        "m.nerve: format is 'nerve-weights', expected 'nerve-model'",
        refused(
            v1.replace("\"nerve-model\"", "\"nerve-weights\"").getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void writingIsAtomicAndNeverLeavesTemporaryFiles() throws Exception {
    Path f = dir.resolve("model.nerve");
    Files.writeString(f, "previous");
    ModelFileFixture.model().write(f);
    ModelFile.read(f);
    try (var s = Files.list(dir)) {
      assertEquals(List.of(f), s.toList());
    }
  }

  /** A model archive made by hand, with a correct checksum for whatever the weights are. */
  private static byte[] archive(String manifest, byte[] weights) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) {
      z.putNextEntry(new java.util.zip.ZipEntry("manifest.json"));
      z.write(
          manifest
              .replace("SHA", ModelFile.sha256(weights))
              .replace("BYTES", Integer.toString(weights.length))
              .getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
      z.putNextEntry(new java.util.zip.ZipEntry("weights.bin"));
      z.write(weights);
      z.closeEntry();
    }
    return out.toByteArray();
  }

  private static final String HOSTILE =
      "{\"format\": \"nerve-model\", \"version\": 2, \"network\": {\"inputs\": 40000,"
          + " \"layers\": [{\"type\": \"dense\", \"units\": UNITS}], \"loss\": \"mse\"},"
          + " \"parameters\": [], \"weights\": {\"dtype\": \"float32\", \"byte_order\":"
          + " \"little\", \"bytes\": BYTES, \"sha256\": \"SHA\"}}";

  @Test
  void aSmallFileCannotMakeTheReaderAllocateABigNetwork() throws Exception {
    // 40000 x 40000 weights (6.4 GB) declared in a file of a few hundred bytes.
    String msg = refused(archive(HOSTILE.replace("UNITS", "40000"), new byte[8]));
    assertTrue(msg.contains("more than this library loads"), msg);
    // A network within the limit but not matching the weights' size is refused before building.
    msg = refused(archive(HOSTILE.replace("UNITS", "1000"), new byte[8]));
    assertTrue(msg.contains("the network needs 160004000"), msg);
    // Version 1: the values must fit in the file's text.
    msg =
        refused(
            ("{\"format\": \"nerve-model\", \"version\": 1, \"spec\": {\"inputs\": 8000,"
                    + " \"layers\": [{\"type\": \"dense\", \"units\": 8000}]},"
                    + " \"parameters\": []}")
                .getBytes(StandardCharsets.UTF_8));
    assertTrue(msg.contains("the file is too small"), msg);
  }

  @Test
  void aFractionalSizeInTheManifestIsAFormatError() throws Exception {
    String manifest = HOSTILE.replace("UNITS", "1").replace("40000", "1").replace("BYTES", "8.5");
    String msg = refused(archive(manifest, new byte[8]));
    assertTrue(msg.contains("manifest says 8.5"), msg);
  }

  @Test
  void aRecurrentTextModelStillPredictsTheSameBits() throws Exception {
    // Written by this version (RecurrentModelFixture); later versions must read it unchanged.
    ModelFile m = ModelFile.read(fixture("text-recurrent-v2.nerve"));
    assertEquals(List.of("english", "french", "german"), m.metadata().get("classes"));
    assertEquals(RecurrentModelFixture.model().tokenizer(), m.tokenizer());
    List<?> want =
        (List<?>)
            ((Map<?, ?>)
                    Json.parse(
                        java.nio.file.Files.readString(fixture("text-recurrent-v2-outputs.json")),
                        "outputs"))
                .get("outputs");
    float[] got = RecurrentModelFixture.outputs(m).data();
    assertEquals(want.size(), got.length);
    for (int i = 0; i < got.length; i++) {
      assertEquals(Float.parseFloat((String) want.get(i)), got[i], "output " + i); // same bits
    }
    // And a fresh save and load of the same model predicts the same bits too.
    Path f = dir.resolve("text.nerve");
    RecurrentModelFixture.model().write(f);
    assertArrayEquals(got, RecurrentModelFixture.outputs(ModelFile.read(f)).data());
  }

  @Test
  void everyAttentionAndOneDimensionalLayerStillPredictsTheSameBits() throws Exception {
    // Written by this version (AttentionModelFixture); later versions must read it unchanged.
    ModelFile m = ModelFile.read(fixture("attention-v2.nerve"));
    assertEquals(
        LayerTypes.toJson(LayerTypes.describe(AttentionModelFixture.model().model().layers())),
        LayerTypes.toJson(LayerTypes.describe(m.model().layers())));
    List<?> want =
        (List<?>)
            ((Map<?, ?>)
                    Json.parse(
                        java.nio.file.Files.readString(fixture("attention-v2-outputs.json")),
                        "outputs"))
                .get("outputs");
    float[] got = AttentionModelFixture.outputs(m).data();
    assertEquals(want.size(), got.length);
    for (int i = 0; i < got.length; i++) {
      assertEquals(Float.parseFloat((String) want.get(i)), got[i], "output " + i); // same bits
    }
    // A fresh save and load gives back every value's bits.
    Path f = dir.resolve("attention.nerve");
    ModelFile fresh = AttentionModelFixture.model();
    fresh.write(f);
    ModelFile back = ModelFile.read(f);
    assertArrayEquals(got, AttentionModelFixture.outputs(back).data());
    for (int i = 0; i < fresh.model().parameters().size(); i++) {
      assertArrayEquals(
          fresh.model().parameters().get(i).value().data(),
          back.model().parameters().get(i).value().data());
    }
    Sequential avg = AttentionModelFixture.averaging();
    avg.initialize(3);
    Path g = dir.resolve("avg.nerve");
    new ModelFile(
            ModelSpec.describe(avg, "softmax_cross_entropy", "sgd", 0.1f, 1, 4, 3), avg, Map.of())
        .write(g);
    Tensor x = Tensor.uniform(new dev.nerve.tensor.Rng(4), -1f, 1f, 2, 3, 5);
    assertArrayEquals(avg.predict(x).data(), ModelFile.read(g).model().predict(x).data());
  }

  @Test
  void aDamagedVocabularyIsRefusedWhenTheFileIsRead() throws Exception {
    ModelFile good = RecurrentModelFixture.model();
    Map<String, Object> meta = new java.util.LinkedHashMap<>(good.metadata());
    meta.put(
        ModelFile.TOKENIZER,
        Map.of("kind", "characters", "lowercase", true, "tokens", List.of("a")));
    Path f = dir.resolve("bad.nerve");
    new ModelFile(good.spec(), good.model(), meta).write(f);
    FormatException e = assertThrows(FormatException.class, () -> ModelFile.read(f));
    assertTrue(e.getMessage().contains("metadata.tokenizer.tokens"), e.getMessage());
  }
}
