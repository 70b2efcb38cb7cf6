package dev.nerve.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.DataFormatException;
import dev.nerve.io.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {
  @TempDir Path dir;

  @Test
  void charactersAreCodePointsNumberedByFrequency() {
    Tokenizer t = Tokenizer.fitCharacters(List.of("abba", "c😀a"), 1, false);
    // a x3, b x2, then c and the emoji once each, in code-point order.
    assertEquals(List.of("<pad>", "<unk>", "a", "b", "c", "😀"), t.tokens());
    assertArrayEquals(new int[] {4, 5, 2, 1}, t.encode("c😀az"));
    assertEquals("c😀a", t.decode(new int[] {4, 0, 5, 2, 0}));
    assertEquals(1, Tokenizer.unknown(t.encode("xa")));
  }

  @Test
  void minimumFrequencyLowercasingAndLimit() {
    Tokenizer t = Tokenizer.fitCharacters(List.of("AaaBb c"), 2, true);
    assertEquals(List.of("<pad>", "<unk>", "a", "b"), t.tokens());
    assertArrayEquals(new int[] {2, 3, 1}, t.encode("AB "));
    Tokenizer w = Tokenizer.fitWords(List.of("the cat, the dog. The end", "dog's"), 1, true, 4);
    // "the" three times; then ties in code-point order: "," before "cat", "dog" (and "dog's").
    assertEquals(List.of("<pad>", "<unk>", "the", ","), w.tokens());
  }

  @Test
  void wordsKeepPunctuationAndInnerApostrophes() {
    Tokenizer w = Tokenizer.fitWords(List.of("Don't stop: it's 42, isn't it?"), 1, false, 0);
    assertEquals(
        List.of("Don't", "stop", ":", "it's", "42", ",", "isn't", "it", "?"),
        Tokenizer.split(Tokenizer.Kind.WORDS, false, "Don't stop: it's 42, isn't it?"));
    assertEquals(
        "Don't stop: it's 42, isn't it?", w.decode(w.encode("Don't stop: it's 42, isn't it?")));
  }

  @Test
  void jsonRoundTripAndDamagedFilesNamed() throws Exception {
    Tokenizer t = Tokenizer.fitWords(List.of("a b b"), 1, true, 0);
    Object json = Json.parse(Json.write(t.toJson()), "t");
    assertEquals(t, Tokenizer.fromJson(json));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Tokenizer.fromJson(
                    Map.of("kind", "bytes", "lowercase", true, "tokens", List.of())));
    assertTrue(e.getMessage().startsWith("tokenizer.kind"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Tokenizer.fromJson(
                    Map.of(
                        "kind",
                        "words",
                        "lowercase",
                        true,
                        "tokens",
                        List.of("<pad>", "<unk>", "a", "a"))));
    assertTrue(e.getMessage().contains("twice"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Tokenizer.fromJson(
                    Map.of("kind", "words", "lowercase", false, "tokens", List.of("a", "<unk>"))));
    assertTrue(e.getMessage().contains("ids 0 and 1"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Tokenizer.fitCharacters(List.of(""), 1, false));
    assertThrows(
        IllegalArgumentException.class, () -> Tokenizer.fitCharacters(List.of("ab"), 2, false));
  }

  @Test
  void textFilesAreStrictUtf8WithLineAndColumn() throws Exception {
    Path bad = dir.resolve("bad.txt");
    byte[] bytes = "first line\nsé\u00e9x".getBytes(StandardCharsets.UTF_8);
    byte[] broken = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, broken, 0, bytes.length);
    broken[bytes.length] = (byte) 0xff;
    Files.write(bad, broken);
    DataFormatException e = assertThrows(DataFormatException.class, () -> TextFiles.read(bad));
    assertTrue(e.getMessage().contains("line 2, column 5: byte 0xff"), e.getMessage());
    Path latin = dir.resolve("latin.txt");
    Files.write(latin, "ok\nna\u00efve".getBytes(StandardCharsets.ISO_8859_1));
    e = assertThrows(DataFormatException.class, () -> TextFiles.read(latin));
    assertTrue(e.getMessage().contains("line 2, column 3"), e.getMessage());
    Path empty = dir.resolve("empty.txt");
    Files.writeString(empty, " \n\n");
    e = assertThrows(DataFormatException.class, () -> TextFiles.read(empty));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    Path bomBad = dir.resolve("bom-bad.txt");
    Files.write(bomBad, new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, 'a', 'b', (byte) 0xfe});
    e = assertThrows(DataFormatException.class, () -> TextFiles.read(bomBad));
    assertTrue(e.getMessage().contains("line 1, column 3: byte 0xfe"), e.getMessage());
    Path bom = dir.resolve("bom.txt");
    Files.write(bom, new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, 'h', 'i'});
    assertEquals("hi", TextFiles.read(bom));
  }
}
