package dev.nerve.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's Fashion-MNIST Java program is the code between the markers in {@link FashionMnist}
 * (which the build compiles), line for line, so the README cannot drift from working code.
 */
class ReadmeSnippetTest {
  private static List<String> trimmed(List<String> lines) {
    return lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  @Test
  void readmeShowsTheFashionMnistProgramAsCompiled() throws Exception {
    List<String> source =
        Files.readAllLines(Path.of("src/main/java/dev/nerve/examples/FashionMnist.java"));
    int from = source.indexOf("    // --8<-- [start:readme]");
    int to = source.indexOf("    // --8<-- [end:readme]");
    assertTrue(from > 0 && to > from, "markers in FashionMnist.java");
    List<String> readme = Files.readAllLines(Path.of("../README.md"));
    int at = readme.indexOf("<!-- snippet: FashionMnist.java readme -->");
    assertTrue(at > 0, "snippet marker in README.md");
    assertEquals("```java", readme.get(at + 1));
    int end = readme.subList(at + 2, readme.size()).indexOf("```") + at + 2;
    assertEquals(trimmed(source.subList(from + 1, to)), trimmed(readme.subList(at + 2, end)));
  }
}
