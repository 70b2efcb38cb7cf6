package dev.nerve.io;

import dev.nerve.nn.Dense;
import dev.nerve.nn.Embedding;
import dev.nerve.nn.GRU;
import dev.nerve.nn.LSTM;
import dev.nerve.nn.Recurrent;
import dev.nerve.nn.Sequential;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import dev.nerve.text.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code fixtures/text-recurrent-v2.nerve} and its expected outputs were made, kept so the
 * fixture can be understood; never run by the build. The fixture must stay as this version wrote
 * it, so that later versions prove they still read a recurrent model and predict the same bits: do
 * not regenerate it.
 *
 * <p>A character model: embedding (padding id 0), a bidirectional LSTM over every step, a GRU
 * giving the last step, a dense layer to three classes; weights drawn from seed 7.
 */
final class RecurrentModelFixture {
  private RecurrentModelFixture() {}

  static final List<String> TEXTS = List.of("hello", "bonjour", "a", "zzz?", "hallo welt");

  static ModelFile model() {
    Tokenizer tok = Tokenizer.fitCharacters(List.of("hello bonjour hallo welt"), 1, true);
    Sequential net =
        new Sequential(
            Shape.of(12),
            new Embedding(tok.size(), 6, Tokenizer.PAD),
            new LSTM(6, new Recurrent.Common(5, true, true, true, false)),
            new GRU(10, 4),
            new Dense(4, 3));
    net.initialize(7);
    ModelSpec spec = ModelSpec.describe(net, "softmax_cross_entropy", "adam", 0.01f, 1, 8, 7);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("classes", List.of("english", "french", "german"));
    meta.put("task", "text_classification");
    meta.put(ModelFile.TOKENIZER, tok.toJson());
    return new ModelFile(spec, net, meta);
  }

  /** The network's outputs for {@link #TEXTS}, padded to 12 with their lengths. */
  static Tensor outputs(ModelFile m) {
    Tokenizer tok = m.tokenizer();
    Tensor x = Tensor.zeros(TEXTS.size(), 12);
    int[] lengths = new int[TEXTS.size()];
    for (int i = 0; i < lengths.length; i++) {
      int[] ids = tok.encode(TEXTS.get(i));
      for (int k = 0; k < ids.length; k++) {
        x.data()[i * 12 + k] = ids[k];
      }
      lengths[i] = ids.length;
    }
    return m.model().predict(x, lengths);
  }

  public static void main(String[] args) throws Exception {
    ModelFile m = model();
    Path dir = Path.of("core/src/test/resources/fixtures");
    Files.write(dir.resolve("text-recurrent-v2.nerve"), m.toBytes("2026-12-01T00:00:00Z"));
    List<String> values = new ArrayList<>();
    for (float v : outputs(m).data()) {
      values.add(Float.toString(v));
    }
    Files.writeString(
        dir.resolve("text-recurrent-v2-outputs.json"), Json.write(Map.of("outputs", values)));
  }
}
