package dev.nerve.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nerve train --spark local[2] --partitions K} ends with the bytes of {@code --shards K},
 * whether the partitions read the files or the driver sends them, and after {@code --resume}; the
 * run prints and records its partitions, executors and time per step; bad settings are one line.
 * (The standalone cluster on 127.0.0.1, with a worker killed mid-run, is exercised by .ci/run.)
 */
class SparkCliTest {
  private static final Path NET = Path.of("..", "examples", "iris-network.json");
  private static final Path DATA = Path.of("..", "examples", "iris.csv");

  @TempDir Path dir;

  private CliTest.Run train(String... more) {
    List<String> a =
        new ArrayList<>(List.of("train", "--network", NET.toString(), "--data", DATA.toString()));
    a.addAll(Arrays.asList(more));
    if (!a.contains("--epochs")) {
      a.addAll(List.of("--epochs", "6"));
    }
    return CliTest.nerve(a.toArray(new String[0]));
  }

  private byte[] weights(String name, String... more) throws Exception {
    Path w = dir.resolve(name);
    List<String> a = new ArrayList<>(Arrays.asList(more));
    a.addAll(List.of("--save-weights", w.toString()));
    CliTest.Run r = train(a.toArray(new String[0]));
    assertEquals(0, r.code(), r.err());
    return Files.readAllBytes(w);
  }

  @Test
  void aSparkRunEndsWithTheShardedRunsBytes() throws Exception {
    byte[] shards = weights("shards.bin", "--shards", "3");
    byte[] plain = weights("plain.bin");
    assertFalse(Arrays.equals(shards, plain), "three shards add in another order");
    Path model = dir.resolve("m.nerve");
    CliTest.Run r =
        train(
            "--spark",
            "local[2]",
            "--partitions",
            "3",
            "--save-weights",
            dir.resolve("spark.bin").toString(),
            "-o",
            model.toString(),
            "--report",
            dir.resolve("run.html").toString());
    assertEquals(0, r.code(), r.err());
    String html = Files.readString(dir.resolve("run.html"));
    assertTrue(html.contains("spark partitions") && html.contains("spark executors"), "report");
    assertTrue(
        html.matches("(?s).*ms: compute [0-9.]+, communication [0-9.]+ \\(prepare.*"), "report");
    assertArrayEquals(shards, Files.readAllBytes(dir.resolve("spark.bin")));
    assertTrue(
        r.out().contains("spark: local[2], 3 partitions on 1 executor, each reading its examples"),
        r.out());
    assertTrue(
        r.out()
            .matches(
                "(?s).*spark: 3 partitions on 1 executor; 60 steps, [0-9.]+ ms per step"
                    + " \\(compute [0-9.]+, communication [0-9.]+: prepare [0-9.]+, broadcast"
                    + " [0-9.]+, fetch [0-9.]+, scheduling and collection [0-9.]+, adding"
                    + " [0-9.]+\\).*"),
        r.out());
    Map<?, ?> manifest = dev.nerve.io.ModelFile.readManifest(model);
    String json = Json.write(manifest);
    assertTrue(json.contains("\"partitions\":3") || json.contains("\"partitions\": 3"), json);
    assertTrue(json.contains("communication_ms_per_step"), json);

    assertArrayEquals(
        shards,
        weights(
            "driver.bin", "--spark", "local[2]", "--partitions", "3", "--spark-data", "driver"));
  }

  @Test
  void aResumedSparkRunEndsAsTheUnbrokenShardedOne() throws Exception {
    byte[] want = weights("whole.bin", "--shards", "2");
    Path ckpt = dir.resolve("ckpt");
    CliTest.Run first =
        train(
            "--epochs",
            "3",
            "--spark",
            "local[2]",
            "--checkpoint-every",
            "1",
            "--checkpoint-dir",
            ckpt.toString());
    assertEquals(0, first.code(), first.err());
    byte[] resumed =
        weights(
            "resumed.bin",
            "--spark",
            "local[2]",
            "--checkpoint-every",
            "1",
            "--checkpoint-dir",
            ckpt.toString(),
            "--resume");
    assertArrayEquals(want, resumed);
  }

  @Test
  void aShardedRunResumesAndKeepsItsShardCount() throws Exception {
    byte[] want = weights("whole.bin", "--shards", "2");
    Path ckpt = dir.resolve("ckpt");
    CliTest.Run first =
        train(
            "--epochs",
            "3",
            "--shards",
            "2",
            "--checkpoint-every",
            "1",
            "--checkpoint-dir",
            ckpt.toString());
    assertEquals(0, first.code(), first.err());
    String other =
        CliTest.fails(
            2,
            "train",
            "--network",
            NET.toString(),
            "--data",
            DATA.toString(),
            "--epochs",
            "6",
            "--shards",
            "3",
            "--checkpoint-every",
            "1",
            "--checkpoint-dir",
            ckpt.toString(),
            "--resume");
    assertTrue(other.contains("was made with other data or options"), other);
    // K shards and K Spark partitions are the same computation: either resumes the other.
    byte[] resumed =
        weights(
            "resumed.bin",
            "--spark",
            "local[2]",
            "--partitions",
            "2",
            "--checkpoint-every",
            "1",
            "--checkpoint-dir",
            ckpt.toString(),
            "--resume");
    assertArrayEquals(want, resumed);
  }

  @Test
  void badSettingsAreOneLine() {
    assertTrue(CliTest.fails(2, "train", "--partitions", "2").contains("go with --spark"));
    assertTrue(
        CliTest.fails(2, "train", "--spark", "local[2]", "--shards", "2").contains("not both"));
    assertTrue(CliTest.fails(2, "train", "--shards", "0").contains("--shards must be in"));
    assertTrue(
        CliTest.fails(2, "train", "--spark", "local[2]", "--partitions", "5000")
            .contains("--partitions must be in"));
    assertTrue(CliTest.fails(2, "train", "--spark", "yarn").contains("master URL"));
    assertTrue(
        CliTest.fails(2, "train", "--spark", "local[2]", "--spark-data", "nowhere")
            .contains("workers or driver"));
    assertTrue(
        CliTest.fails(2, "train", "--spark", "local[2]", "--spark-conf", "novalue")
            .contains("KEY=VALUE"));
    String unreachable =
        CliTest.fails(
            1,
            "train",
            "--network",
            NET.toString(),
            "--data",
            DATA.toString(),
            "--spark",
            "spark://127.0.0.1:9",
            "--spark-wait",
            "2");
    assertTrue(unreachable.contains("cannot reach the master at spark://127.0.0.1:9"), unreachable);
    String many =
        CliTest.fails(
            3,
            "train",
            "--network",
            NET.toString(),
            "--data",
            DATA.toString(),
            "--spark",
            "local[2]",
            "--partitions",
            "151");
    assertTrue(many.contains("151 partitions for 150 examples"), many);
  }
}
