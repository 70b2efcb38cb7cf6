package dev.nerve.io;

import dev.nerve.data.Normalizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code fixtures/iris-model-v2.nerve} was made, kept so the fixture can be understood; never
 * run by the build. The fixture must stay as it was written by version 0.1.0, so that later
 * versions prove they still read it: do not regenerate it.
 *
 * <p>It holds the network and weights of {@code fixtures/iris-model-v1.json} (written by the first
 * release's {@code nerve train}), a standardisation and metadata.
 */
final class ModelFileFixture {
  private ModelFileFixture() {}

  static ModelFile model() throws Exception {
    ModelFile v1 =
        ModelFile.read(
            Path.of(ModelFileFixture.class.getResource("/fixtures/iris-model-v1.json").toURI()));
    Normalizer n =
        Normalizer.of(
            Normalizer.Kind.STANDARDIZE,
            new float[] {5.8433333f, 3.0573333f, 3.758f, 1.1993333f},
            new float[] {1.2112338f, 2.3009527f, 0.5678462f, 1.3154241f});
    Map<String, Object> meta = new LinkedHashMap<>(v1.metadata());
    meta.put("classes", List.of("setosa", "versicolor", "virginica"));
    return new ModelFile(v1.spec(), v1.model(), n, meta);
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of("core/src/test/resources/fixtures/iris-model-v2.nerve");
    Files.write(out, model().toBytes("2026-11-23T00:00:00Z"));
  }
}
