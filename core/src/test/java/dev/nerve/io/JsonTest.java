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

  @Test
  void stringsWithEveryEscapeRoundTrip() {
    String nasty =
        "quote \" backslash \\ slash / newline \n tab \t cr \r bell \u0007 \u00e9 \u20ac";
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put(nasty, List.of(nasty, 1, -2L, 3.5, true, false));
    doc.put("nested", Map.of("empty", List.of(), "obj", Map.of()));
    doc.put("doubles", new double[] {0.1, -1e300});
    doc.put("ints", new int[] {3, 4});
    String text = Json.write(doc);
    Map<?, ?> back = (Map<?, ?>) Json.parse(text, "t");
    List<?> l = (List<?>) back.get(nasty);
    assertEquals(nasty, l.get(0));
    assertEquals(-2, ((Number) l.get(2)).intValue());
    assertEquals(3.5, ((Number) l.get(3)).doubleValue());
    assertEquals(Boolean.FALSE, l.get(5));
    assertEquals(-1e300, ((Number) ((List<?>) back.get("doubles")).get(1)).doubleValue());
    assertEquals(4, ((Number) ((List<?>) back.get("ints")).get(1)).intValue());
    assertEquals("\u00e9\u20ac", Json.parse("\"\\u00e9\\u20AC\"", "t"));
  }

  @Test
  void numbersFollowTheGrammar() {
    assertEquals(100.0, ((Number) Json.parse("1E+2", "t")).doubleValue());
    assertEquals(-0.0, ((Number) Json.parse("-0.0", "t")).doubleValue());
    assertEquals(7L, ((Number) Json.parse("7.0", "t")).longValue());
    assertThrows(NumberFormatException.class, () -> ((Number) Json.parse("7.5", "t")).longValue());
    for (String bad : new String[] {"-", "1.", ".5", "1e", "+1", "NaN", "Infinity", "tru", "nul"}) {
      assertThrows(Json.JsonException.class, () -> Json.parse(bad, "t"), bad);
    }
  }

  @Test
  void badStringsAreRefused() {
    assertThrows(Json.JsonException.class, () -> Json.parse("\"\\x\"", "t"));
    assertThrows(Json.JsonException.class, () -> Json.parse("\"\\u12\"", "t"));
    assertThrows(Json.JsonException.class, () -> Json.parse("\"\\uZZZZ\"", "t"));
    assertThrows(Json.JsonException.class, () -> Json.parse("\"a\nb\"", "t"));
    assertThrows(Json.JsonException.class, () -> Json.parse("\"open", "t"));
    assertThrows(Json.JsonException.class, () -> Json.parse("{1: 2}", "t"));
    assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\" 2}", "t"));
    assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\": 2 \"b\": 3}", "t"));
    assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
  }

  @Test
  void unicodeEscapesAreExactlyFourHexDigits() {
    assertThrows(Json.JsonException.class, () -> Json.parse("\"\\u+041\"", "t"));
    assertThrows(Json.JsonException.class, () -> Json.parse("\"\\u-041\"", "t"));
  }

  @Test
  void writeLineKeepsEverythingOnOneLine() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("a", java.util.List.of(java.util.Map.of("b", 1), java.util.List.of(2, 3)));
    m.put("c", new java.util.LinkedHashMap<>(java.util.Map.of("d", "e")));
    String line = Json.writeLine(m);
    org.junit.jupiter.api.Assertions.assertEquals(
        "{\"a\": [{\"b\": 1}, [2, 3]], \"c\": {\"d\": \"e\"}}", line);
  }
}
