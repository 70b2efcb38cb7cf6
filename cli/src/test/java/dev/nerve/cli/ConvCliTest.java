package dev.nerve.cli;

import static dev.nerve.cli.CliTest.fails;
import static dev.nerve.cli.CliTest.nerve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.examples.LeNet;
import dev.nerve.io.Json;
import dev.nerve.io.ModelFile;
import dev.nerve.io.ModelSpec;
import dev.nerve.tensor.Rng;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Convolutional networks from the command line: JSON, IDX images, model files, LeNet-5. */
class ConvCliTest {
  @TempDir Path dir;

  private String path(String name) {
    return dir.resolve(name).toString();
  }

  /** 8x8 images of one vertical (label 0) or horizontal (label 1) bright bar at a random place. */
  private void bars(String prefix, int n, long seed) throws Exception {
    Rng r = new Rng(seed);
    ByteBuffer img = ByteBuffer.allocate(16 + n * 64);
    img.putInt(0x00000803).putInt(n).putInt(8).putInt(8);
    ByteBuffer lab = ByteBuffer.allocate(8 + n);
    lab.putInt(0x00000801).putInt(n);
    for (int i = 0; i < n; i++) {
      int label = r.nextInt(2);
      int at = r.nextInt(8);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          boolean bar = label == 0 ? x == at : y == at;
          img.put((byte) (bar ? 180 + r.nextInt(70) : r.nextInt(60)));
        }
      }
      lab.put((byte) label);
    }
    Files.write(dir.resolve(prefix + "-images"), IdxBytes.gzip(img.array()));
    Files.write(dir.resolve(prefix + "-labels"), lab.array());
  }

  private static final String NET =
      "{\"input_shape\": [1, 8, 8], \"layers\": ["
          + "{\"type\": \"conv2d\", \"out_channels\": 4, \"kernel_size\": 3, \"padding\": 1},"
          + " {\"type\": \"batch_norm\"}, {\"type\": \"relu\"},"
          + " {\"type\": \"max_pool2d\", \"kernel_size\": 2},"
          + " {\"type\": \"dropout\", \"rate\": 0.1}, {\"type\": \"flatten\"},"
          + " {\"type\": \"dense\", \"units\": 2}],"
          + " \"loss\": \"softmax_cross_entropy\", \"optimizer\": \"adam\","
          + " \"learning_rate\": 0.01, \"epochs\": 8, \"batch_size\": 16, \"seed\": 3}";

  @Test
  void aConvolutionalNetworkTrainsOnImagesAndItsModelFileServesEveryCommand() throws Exception {
    bars("train", 400, 1);
    bars("test", 100, 2);
    Path net = dir.resolve("net.json");
    Files.writeString(net, NET);
    CliTest.Run t =
        nerve(
            "train",
            "--network",
            net.toString(),
            "--data",
            path("train-images"),
            "--labels",
            path("train-labels"),
            "--test-data",
            path("test-images"),
            "--test-labels",
            path("test-labels"),
            "--report",
            path("report.html"),
            "-o",
            path("conv.nerve"),
            "-q");
    assertEquals(0, t.code(), t.err());
    assertTrue(Files.readString(dir.resolve("report.html")).contains("Conv2d(in=1, out=4"));

    ModelFile m = ModelFile.read(dir.resolve("conv.nerve"));
    assertEquals(List.of(1, 8, 8), m.spec().inputShape());
    assertEquals("batch_norm", m.spec().layers().get(1).type().name());

    CliTest.Run e =
        nerve(
            "evaluate",
            "-m",
            path("conv.nerve"),
            "--data",
            path("test-images"),
            "--labels",
            path("test-labels"),
            "--json");
    assertEquals(0, e.code(), e.err());
    double accuracy =
        ((Number) ((Map<?, ?>) Json.parse(e.out(), "e")).get("accuracy")).doubleValue();
    assertTrue(accuracy >= 0.95, "bars are easy for a convolution: " + accuracy);

    CliTest.Run p = nerve("predict", "-m", path("conv.nerve"), "--data", path("test-images"));
    assertEquals(0, p.code(), p.err());
    assertEquals(101, p.out().lines().count());

    CliTest.Run i = nerve("inspect", path("conv.nerve"));
    assertEquals(0, i.code(), i.err());
    assertTrue(i.out().contains("Conv2d(in=1, out=4, kernel=3, padding=1)"), i.out());
    assertTrue(i.out().contains("[*, 4, 4, 4]"), "output shapes: " + i.out());
    assertTrue(i.out().contains("IDX images of [1, 8, 8]"), i.out());
    CliTest.Run ij = nerve("inspect", path("conv.nerve"), "--json");
    assertEquals(0, ij.code(), ij.err());
    Map<?, ?> manifest = (Map<?, ?>) Json.parse(ij.out(), "inspect");
    assertEquals(
        List.of(1, 8, 8),
        ((List<?>) ((Map<?, ?>) manifest.get("network")).get("input_shape"))
            .stream().map(o -> ((Number) o).intValue()).toList());
  }

  @Test
  void shapeMistakesInANetworkFileAreRefusedBeforeTraining() throws Exception {
    bars("train", 20, 1);
    Path net = dir.resolve("net.json");
    Files.writeString(net, NET.replace(" {\"type\": \"flatten\"},", ""));
    String err =
        fails(
            3,
            "train",
            "--network",
            net.toString(),
            "--data",
            path("train-images"),
            "--labels",
            path("train-labels"));
    assertTrue(err.contains("layer 5 dense: expects a flat input but gets [4, 4, 4]"), err);
    Files.writeString(net, NET.replace("[1, 8, 8]", "[1, 9, 9]"));
    err =
        fails(
            3,
            "train",
            "--network",
            net.toString(),
            "--data",
            path("train-images"),
            "--labels",
            path("train-labels"));
    assertTrue(err.contains("holds images of 64 values"), err);
  }

  @Test
  void theLeNetFileIsTheBuiltInExample() throws Exception {
    assertEquals(LeNet.spec(), ModelSpec.read(Path.of("..", "examples", "lenet-network.json")));
  }

  /**
   * The README's LeNet-5 command, all ten epochs (about three minutes here): runs when {@code
   * -Dnerve.fullExamples=true} is given, as {@code .ci/run} does once per CI run.
   */
  @Test
  void leNetExampleReachesNinetyPercent() throws Exception {
    Assumptions.assumeTrue(Boolean.getBoolean("nerve.fullExamples"), "-Dnerve.fullExamples=true");
    CliTest.Run r = nerve("train", "--example", "lenet", "-q", "--json", "-o", path("l.nerve"));
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    Map<?, ?> result = (Map<?, ?>) Json.parse(lines.get(lines.size() - 1), "out");
    double accuracy = ((Number) ((Map<?, ?>) result.get("test")).get("accuracy")).doubleValue();
    assertTrue(accuracy >= 0.90, "test accuracy " + accuracy);
  }
}
