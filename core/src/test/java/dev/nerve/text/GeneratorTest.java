package dev.nerve.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.nn.Dense;
import dev.nerve.nn.Embedding;
import dev.nerve.nn.LSTM;
import dev.nerve.nn.Recurrent;
import dev.nerve.nn.Sequential;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratorTest {
  private final Tokenizer chars = Tokenizer.fitCharacters(List.of("abcdefghij"), 1, false);

  private Sequential model() {
    return new Sequential(
            Shape.of(8),
            new Embedding(chars.size(), 5),
            new LSTM(5, new Recurrent.Common(7, true, false, true, false)),
            new Dense(7, chars.size()))
        .initialize(11);
  }

  @Test
  void theSameSeedWritesTheSameTextAndAnotherSeedAnother() {
    Sequential net = model();
    Generator.Options o = new Generator.Options(50, 1f, 0, 4);
    String a = Generator.generate(net, chars, "abc", o);
    assertEquals(a, Generator.generate(net, chars, "abc", o));
    assertEquals(a, Generator.generate(model(), chars, "abc", o));
    assertNotEquals(a, Generator.generate(net, chars, "abc", new Generator.Options(50, 1f, 0, 5)));
    assertEquals(50, a.length());
    assertTrue(a.chars().allMatch(c -> c >= 'a' && c <= 'j'), a); // never <pad> or <unk>
  }

  @Test
  void carriedStateGivesWhatTheWholeContextGives() {
    // Greedy generation one token at a time with the state carried must pick, at every step,
    // the argmax of the network run on the whole text so far.
    Sequential net = model();
    int[] prompt = chars.encode("hij");
    int[] out = Generator.sample(net, chars.size(), prompt, new Generator.Options(12, 0f, 0, 0), 0);
    int[] context = prompt;
    for (int next : out) {
      Tensor x = Tensor.zeros(1, context.length);
      for (int i = 0; i < context.length; i++) {
        x.data()[i] = context[i];
      }
      Tensor y = net.predict(x);
      int v = chars.size();
      int best = 2;
      for (int k = 2; k < v; k++) {
        if (y.data()[y.size() - v + k] > y.data()[y.size() - v + best]) {
          best = k;
        }
      }
      assertEquals(best, next);
      context = java.util.Arrays.copyOf(context, context.length + 1);
      context[context.length - 1] = next;
    }
    assertEquals(false, ((Recurrent) net.layer(1)).stateful()); // restored
    assertEquals(null, ((Recurrent) net.layer(1)).state());
  }

  @Test
  void topKAndTemperatureShapeTheDraws() {
    float[] logits = {9f, 9f, 1f, 2f, 3f, 0f};
    Rng rng = new Rng(1);
    for (int i = 0; i < 200; i++) {
      int k = Generator.draw(logits, new Generator.Options(1, 1f, 2, 0), rng);
      assertTrue(k == 4 || k == 3, "top-2 of the allowed tokens, got " + k);
    }
    assertEquals(4, Generator.draw(logits, new Generator.Options(1, 0f, 0, 0), rng));
    int[] counts = new int[6];
    for (int i = 0; i < 2000; i++) {
      counts[Generator.draw(logits, new Generator.Options(1, 100f, 0, 0), rng)]++;
    }
    assertTrue(counts[2] > 400 && counts[5] > 400, java.util.Arrays.toString(counts)); // flat
    assertArrayEquals(new int[] {0, 0}, new int[] {counts[0], counts[1]});
  }

  @Test
  void wordsAreWrittenAfterTheirPromptWithASpaceAndBidirectionalModelsAreRefused() {
    Tokenizer words = Tokenizer.fitWords(List.of("the cat sat on the mat ."), 1, false, 0);
    Sequential net =
        new Sequential(
                Shape.of(4),
                new Embedding(words.size(), 4),
                new LSTM(4, new Recurrent.Common(5, true, false, true, false)),
                new Dense(5, words.size()))
            .initialize(2);
    String out = Generator.generate(net, words, "the", new Generator.Options(3, 0f, 0, 0));
    assertTrue(out.startsWith(" ") || out.startsWith("."), "'" + out + "'");
    String after = Generator.generate(net, words, "the ", new Generator.Options(3, 0f, 0, 0));
    assertEquals(out.strip(), after);
    Sequential both =
        new Sequential(
                Shape.of(4),
                new Embedding(words.size(), 4),
                new LSTM(4, new Recurrent.Common(5, true, true, true, false)),
                new Dense(10, words.size()))
            .initialize(2);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Generator.generate(both, words, "the", new Generator.Options(3, 0f, 0, 0)));
    assertTrue(e.getMessage().contains("reads the text backwards too"), e.getMessage());
  }

  @Test
  void badOptionsAndPromptsAreNamed() {
    assertThrows(IllegalArgumentException.class, () -> new Generator.Options(0, 1f, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Generator.Options(5, -1f, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Generator.Options(5, 1f, -2, 0));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Generator.generate(model(), chars, "", new Generator.Options(5, 1f, 0, 0)));
    assertTrue(e.getMessage().contains("prompt is empty"));
    Sequential wrong =
        new Sequential(Shape.of(8), new Embedding(chars.size(), 3), new LSTM(3, 4), new Dense(4, 3))
            .initialize(1);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Generator.generate(wrong, chars, "ab", new Generator.Options(5, 1f, 0, 0)));
    assertTrue(e.getMessage().contains("not a language model of this vocabulary"), e.getMessage());
  }
}
