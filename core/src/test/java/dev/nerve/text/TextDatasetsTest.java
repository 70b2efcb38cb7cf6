package dev.nerve.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.Batch;
import dev.nerve.data.Batcher;
import dev.nerve.data.Dataset;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextDatasetsTest {
  private final Tokenizer chars = Tokenizer.fitCharacters(List.of("abcdefgh"), 1, false);

  @Test
  void classificationPadsRecordsLengthsAndCutsEachBatch() {
    Dataset d =
        TextDatasets.classification(List.of("ab", "abcde", "c"), new int[] {1, 0, 1}, 2, chars, 10);
    assertEquals(Shape.of(5), d.inputShape());
    assertArrayEquals(new int[] {2, 5, 1}, d.lengthArray());
    float[] x = d.x().data();
    assertArrayEquals(new float[] {2, 3, 0, 0, 0}, java.util.Arrays.copyOfRange(x, 0, 5));
    Batcher b = new Batcher(d.subset(new int[] {0, 2}), 2, null);
    Batch first = b.batch(0);
    assertEquals(Shape.of(2, 2), first.x().shape()); // cut to the longest of the batch
    assertArrayEquals(new float[] {2, 3, 4, 0}, first.x().data());
    assertArrayEquals(new int[] {2, 1}, first.lengths());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TextDatasets.classification(
                    List.of("ab", "abcdefgh"), new int[] {0, 1}, 2, chars, 4));
    assertTrue(
        e.getMessage().contains("text 1 has 8 tokens, more than the limit of 4"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TextDatasets.classification(
                List.of(" "), new int[] {0}, 2, Tokenizer.fitWords(List.of("a"), 1, false, 0), 4));
  }

  @Test
  void bucketingGroupsSimilarLengths() {
    int n = 200;
    List<String> texts = new java.util.ArrayList<>();
    int[] labels = new int[n];
    Rng r = new Rng(1);
    for (int i = 0; i < n; i++) {
      texts.add("abcdefgh".substring(0, 1 + r.nextInt(8)));
    }
    Dataset d = TextDatasets.classification(texts, labels, 2, chars, 8);
    Batcher plain = new Batcher(d, 10, new Rng(3));
    Batcher bucketed = new Batcher(d, 10, new Rng(3)).bucketByLength(true);
    plain.startEpoch();
    bucketed.startEpoch();
    long plainSteps = 0;
    long bucketSteps = 0;
    int[] seen = new int[n];
    for (int k = 0; k < plain.batchesPerEpoch(); k++) {
      plainSteps += plain.batch(k).x().size();
      bucketSteps += bucketed.batch(k).x().size();
    }
    for (int i : bucketed.order()) {
      seen[i]++;
    }
    for (int s : seen) {
      assertEquals(1, s); // still every example once
    }
    assertTrue(bucketSteps < 0.75 * plainSteps, bucketSteps + " vs " + plainSteps);
  }

  @Test
  void languageModelTargetsAreTheNextToken() {
    int[] ids = {2, 3, 4, 5, 6, 7, 8};
    Dataset d = TextDatasets.languageModel(ids, 3, 2, 10);
    assertEquals(2, d.size()); // windows at 0 and 2 (one at 4 would need an eighth token)
    assertEquals(Shape.of(3, 10), d.targetShape());
    assertArrayEquals(new float[] {4, 5, 6}, d.range(1, 2).x().data());
    float[] y = d.range(1, 2).y().data();
    assertEquals(1f, y[5]);
    assertEquals(1f, y[10 + 6]);
    assertEquals(1f, y[20 + 7]);
    assertEquals(3f, (float) java.util.Arrays.stream(toDouble(y)).sum());
    assertThrows(IllegalArgumentException.class, () -> TextDatasets.languageModel(ids, 7, 1, 10));
  }

  @Test
  void streamsContinueRowByRowFromBatchToBatch() {
    int[] ids = new int[41];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i % 10;
    }
    Dataset d = TextDatasets.streams(ids, 4, 2, 10);
    // Two streams of 20 tokens: 5 windows each, interleaved.
    assertEquals(10, d.size());
    Batcher b = new Batcher(d, 2, null);
    float[] first = b.batch(0).x().data().clone();
    float[] second = b.batch(1).x().data();
    assertArrayEquals(new float[] {0, 1, 2, 3, 0, 1, 2, 3}, first);
    assertArrayEquals(new float[] {4, 5, 6, 7, 4, 5, 6, 7}, second);
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
