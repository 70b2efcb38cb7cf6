package dev.nerve.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.nn.Sequential;
import dev.nerve.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSpecTest {
  @TempDir Path dir;

  private static final String TUTORIAL1 =
      "{\n"
          + "  \"inputs\": 4,\n"
          + "  \"layers\": [\n"
          + "    {\"type\": \"dense\", \"units\": 3, \"weight_init\": \"uniform\", \"bias_init\": \"uniform\"},\n"
          + "    {\"type\": \"sigmoid\"},\n"
          + "    {\"type\": \"dense\", \"units\": 1, \"weight_init\": \"uniform\", \"bias_init\": \"uniform\"},\n"
          + "    {\"type\": \"sigmoid\"}\n"
          + "  ],\n"
          + "  \"loss\": \"half_squared_error\",\n"
          + "  \"learning_rate\": 0.1,\n"
          + "  \"epochs\": 5000,\n"
          + "  \"batch_size\": \"full\",\n"
          + "  \"seed\": 0\n"
          + "}\n";

  private ModelSpec parse(String json) throws Exception {
    Path f = dir.resolve("net.json");
    Files.writeString(f, json);
    return ModelSpec.read(f);
  }

  @Test
  void readsTheTutorialNetwork() throws Exception {
    ModelSpec s = parse(TUTORIAL1);
    assertEquals(4, s.inputs());
    assertEquals(1, s.outputs());
    assertEquals(Trainer.FULL_BATCH, s.batchSize());
    assertEquals(0.1f, s.learningRate());
    Sequential net = s.build();
    assertEquals(
        "Sequential(Dense(in=4, out=3), Sigmoid(), Dense(in=3, out=1), Sigmoid())", net.toString());
    ModelSpec again = ModelSpec.fromJson(Json.parse(Json.write(s.toJson()), "t"), "t");
    assertEquals(s, again);
  }

  @Test
  void mistakesAreNamedPrecisely() throws Exception {
    FormatException e =
        assertThrows(
            FormatException.class, () -> parse(TUTORIAL1.replace("\"units\": 3,", "\"unit\": 3,")));
    assertTrue(
        e.getMessage()
            .endsWith(
                "layers[0]: unknown key 'unit'; known: bias, bias_init,"
                    + " type, units, weight_init"),
        e.getMessage());
    e = assertThrows(FormatException.class, () -> parse(TUTORIAL1.replace("sigmoid", "sigmiod")));
    assertTrue(e.getMessage().contains("layers[1]: unknown layer type 'sigmiod'"), e.getMessage());
    e = assertThrows(FormatException.class, () -> parse(TUTORIAL1.replace("0.1", "-1")));
    assertTrue(
        e.getMessage().contains("'learning_rate' must be a positive number"), e.getMessage());
    e = assertThrows(FormatException.class, () -> parse(TUTORIAL1.replace("5000", "2.5")));
    assertTrue(e.getMessage().contains("'epochs' must be a whole number"), e.getMessage());
    e =
        assertThrows(
            FormatException.class, () -> parse(TUTORIAL1.replace("\"uniform\"}", "\"unifrom\"}")));
    assertTrue(e.getMessage().contains("unknown init 'unifrom'"), e.getMessage());
    e = assertThrows(FormatException.class, () -> parse("{\"inputs\": 4, \"layers\": []}"));
    assertTrue(e.getMessage().contains("'layers' must be a non-empty list"), e.getMessage());
    e = assertThrows(FormatException.class, () -> parse("{\"layers\": [{\"type\": \"relu\"}]}"));
    assertTrue(e.getMessage().contains("'inputs' is required"), e.getMessage());
  }

  @Test
  void modelFileKeepsSpecWeightsAndMetadata() throws Exception {
    ModelSpec s = parse(TUTORIAL1);
    Sequential net = s.build().initialize(4);
    Path f = dir.resolve("model.nerve");
    new ModelFile(s, net, Map.of("target", "y")).write(f);
    ModelFile back = ModelFile.read(f);
    assertEquals(s, back.spec());
    assertEquals("y", back.metadata().get("target"));
    assertArrayEquals(
        net.parameters().get(0).value().data(), back.model().parameters().get(0).value().data());
    assertEquals(s, ModelSpec.describe(net, s.loss(), "sgd", 0.1f, 5000, s.batchSize(), s.seed()));
  }

  @Test
  void learningRatesOutsideFloatRangeAreRefused() {
    for (String lr : new String[] {"1e-50", "1e39"}) {
      FormatException e =
          assertThrows(FormatException.class, () -> parse(TUTORIAL1.replace("0.1", lr)));
      assertTrue(e.getMessage().contains("within float range"), e.getMessage());
    }
  }

  @Test
  void aJavaNetworkItsFileCouldNotDescribeIsRefusedWhenDescribedNotWhenRead() {
    dev.nerve.nn.Sequential net =
        new dev.nerve.nn.Sequential(
                dev.nerve.tensor.Shape.of(2, 3, 3),
                new dev.nerve.nn.Dense(3, 4)) // per row of each map: Java takes it, JSON does not
            .initialize(1);
    dev.nerve.tensor.ShapeMismatchException e =
        assertThrows(
            dev.nerve.tensor.ShapeMismatchException.class,
            () -> ModelSpec.describe(net, "mse", "sgd", 0.1f, 1, 1, 0));
    assertTrue(e.getMessage().contains("layer 0 dense: expects a flat input"), e.getMessage());
    ModelSpec other =
        ModelSpec.describe(
            new dev.nerve.nn.Sequential(dev.nerve.tensor.Shape.of(3), new dev.nerve.nn.Dense(3, 1)),
            "mse",
            "sgd",
            0.1f,
            1,
            1,
            0);
    dev.nerve.nn.Sequential bigger =
        new dev.nerve.nn.Sequential(dev.nerve.tensor.Shape.of(3), new dev.nerve.nn.Dense(3, 2))
            .initialize(1);
    assertThrows(
        IllegalArgumentException.class,
        () -> new ModelFile(other, bigger, Map.of()).write(dir.resolve("x.nerve")));
    assertTrue(!Files.exists(dir.resolve("x.nerve")));
  }
}
