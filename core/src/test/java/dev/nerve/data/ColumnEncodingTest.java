package dev.nerve.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.io.ModelFile;
import dev.nerve.io.ModelSpec;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Sequential;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw text columns into inputs and targets, in core: fitted, saved, and applied from Java. */
class ColumnEncodingTest {
  @TempDir Path dir;

  /** A table of rows given as arrays, named like a file in messages. */
  private static ColumnEncoding.Table table(List<String> header, String... rows) {
    return new ColumnEncoding.Table() {
      @Override
      public List<String> header() {
        return header;
      }

      @Override
      public int rows() {
        return rows.length;
      }

      @Override
      public String cell(int row, int col) {
        return rows[row].split(",", -1)[col];
      }

      @Override
      public String source() {
        return "pets.csv";
      }
    };
  }

  private static final ColumnEncoding.Table PETS =
      table(
          List.of("weight", "colour", "code", "kind"),
          "4.5,black,10,cat",
          "30,brown,20,dog",
          "3.9,white,10,cat",
          "25,black,30,dog");

  @Test
  void numericCategoricalAndTargetColumnsAreFittedAndEncoded() throws Exception {
    ColumnEncoding e = ColumnEncoding.fit(PETS, "kind", Set.of("code"), true);
    assertEquals("weight, colour (3 one-hot), code (3 one-hot)", e.describe());
    assertEquals(7, e.width());
    assertEquals(List.of("black", "brown", "white"), e.inputs().get(1).levels());
    assertEquals(List.of("10", "20", "30"), e.inputs().get(2).levels(), "numeric levels, by value");
    assertEquals(List.of("cat", "dog"), e.classes());
    Tensor x = e.encodeInputs(PETS);
    assertArrayEquals(new float[] {30, 0, 1, 0, 0, 1, 0}, x.sliceRows(1, 2).data());
    Tensor y = e.encodeTargets(PETS);
    assertArrayEquals(new float[] {0, 1}, y.sliceRows(3, 4).data());
    assertEquals("dog", e.className(1));
    // A numeric target without classes; the last column when none is named.
    ColumnEncoding n = ColumnEncoding.fit(PETS, "weight", List.of(), false);
    assertNull(n.classes());
    assertEquals(Shape.of(4, 1), n.encodeTargets(PETS).shape());
    assertEquals("kind", ColumnEncoding.fit(PETS, null, List.of(), true).target());
  }

  @Test
  void badCellsAreNamedByPlace() throws Exception {
    ColumnEncoding.Table typo =
        table(List.of("weight", "kind"), "4.5,cat", "3o,dog", "2,cat", "5,dog");
    DataFormatException e =
        assertThrows(
            DataFormatException.class,
            () -> ColumnEncoding.fit(PETS, "kind", List.of(), true).encodeInputs(typo));
    assertTrue(e.getMessage().startsWith("pets.csv: no column 'colour'"), e.getMessage());
    ColumnEncoding w = ColumnEncoding.fit(typo, "kind", List.of(), true); // 1 in 4 is not a number
    e = assertThrows(DataFormatException.class, () -> w.encodeInputs(typo));
    assertEquals("pets.csv: row 2, column 1 ('weight'): '3o' is not a number", e.getMessage());
    ColumnEncoding c = ColumnEncoding.fit(PETS, "kind", List.of(), true);
    e =
        assertThrows(
            DataFormatException.class,
            () -> c.encodeInputs(table(List.of("weight", "colour", "code"), "1,purple,10")));
    assertTrue(e.getMessage().contains("value 'purple' was not seen in training"), e.getMessage());
    e =
        assertThrows(
            DataFormatException.class,
            () -> ColumnEncoding.fit(table(List.of("a", "b"), "1,", "2,x"), "b", List.of(), true));
    assertTrue(e.getMessage().contains("row 1, column 2 ('b'): empty label"), e.getMessage());
  }

  @Test
  void theEncodingTravelsInTheModelFileAndPredictsFromRawValues() throws Exception {
    ColumnEncoding e = ColumnEncoding.fit(PETS, "kind", List.of(), true);
    Map<String, Object> meta = new LinkedHashMap<>();
    e.writeTo(meta);
    Sequential net = new Sequential(Shape.of(5), new Dense(5, 2)).initialize(1);
    Normalizer norm =
        Normalizer.fit(Normalizer.Kind.STANDARDIZE, Features.of(e.encodeInputs(PETS)));
    ModelSpec spec = ModelSpec.describe(net, "softmax_cross_entropy", "sgd", 0.1f, 1, 4, 0);
    Path f = dir.resolve("pets.nerve");
    new ModelFile(spec, net, norm, meta).write(f);
    ModelFile back = ModelFile.read(f);
    ColumnEncoding read = back.encoding();
    assertEquals(e.describe(), read.describe());
    assertEquals(e.classes(), read.classes());
    assertTrue(read.hasColumns());
    Tensor raw =
        back.predict(
            List.of(
                Map.of("weight", "30", "colour", "brown", "code", "20"),
                Map.of("code", "10", "colour", "white", "weight", "3.9")));
    Tensor byHand =
        net.predict(Features.of(e.encodeInputs(PETS).sliceRows(1, 3)).normalized(norm).toTensor());
    assertArrayEquals(byHand.data(), raw.data());
    assertEquals(Shape.of(0, 2), back.predict(List.of()).shape());
    // A model trained on images has no columns to read.
    ModelFile images = new ModelFile(spec, net, Map.of("classes", List.of("a", "b")));
    assertFalse(images.encoding().hasColumns());
    assertThrows(IllegalStateException.class, () -> images.predict(List.of(Map.of("x", "1"))));
  }
}
