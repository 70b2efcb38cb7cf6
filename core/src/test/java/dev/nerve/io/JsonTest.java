package dev.nerve.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parsesEveryKindOfValue() {
    Map<?, ?> m =
        (Map<?, ?>)
            Json.parse(
                "{\"a\": [1, -2.5e-3, 0.1], \"b\": \"x\\n\\u00e9\", \"c\": true, \"d\": null}",
                "t");
    List<?> a = (List<?>) m.get("a");
    assertEquals(1, ((Number) a.get(0)).intValue());
    assertEquals(-2.5e-3, ((Number) a.get(1)).doubleValue());
    assertEquals(0.1f, ((Number) a.get(2)).floatValue());
    assertEquals("x\n\u00e9", m.get("b"));
    assertEquals(Boolean.TRUE, m.get("c"));
    assertNull(m.get("d"));
  }

  @Test
  void floatsRoundTripExactly() {
    float[] values = {0.1f, 1f / 3, Float.MIN_VALUE, Float.MAX_VALUE, -0f, 1e-30f, 0.97696709f};
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("v", values);
    Map<?, ?> back = (Map<?, ?>) Json.parse(Json.write(doc), "t");
    List<?> l = (List<?>) back.get("v");
    for (int i = 0; i < values.length; i++) {
      assertEquals(
          Float.floatToIntBits(values[i]), Float.floatToIntBits(((Number) l.get(i)).floatValue()));
    }
  }

  @Test
  void errorsNameLineAndColumn() {
    Json.JsonException e =
        assertThrows(
            Json.JsonException.class, () -> Json.parse("{\n  \"a\": [1, 2,,]\n}", "net.json"));
    assertEquals("net.json: line 2, column 14: unexpected character ','", e.getMessage());
    assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\": 1} x", "t"));
    assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\": 1, \"a\": 2}", "t"));
    assertThrows(Json.JsonException.class, () -> Json.parse("[1, 2", "t"));
    assertThrows(Json.JsonException.class, () -> Json.parse("", "t"));
    assertThrows(Json.JsonException.class, () -> Json.parse("01", "t"));
    assertThrows(Json.JsonException.class, () -> Json.parse("[".repeat(100_000), "t"));
  }

  @Test
  void refusesToWriteNaN() {
    assertThrows(IllegalArgumentException.class, () -> Json.write(new float[] {Float.NaN}));
  }
}
