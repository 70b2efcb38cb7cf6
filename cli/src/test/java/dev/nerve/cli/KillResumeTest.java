package dev.nerve.cli;

import static dev.nerve.cli.CliTest.nerve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.io.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill and resume: {@code nerve train --checkpoint-every 1} runs in its own JVM and is killed with
 * SIGKILL at a random moment after its first checkpoint; {@code --resume} then finishes the run,
 * and its final weights equal, byte for byte, those of a run never interrupted. The network has
 * dropout and validation, trains with Adam, a schedule and shuffled batches, so every piece of
 * state must come back.
 */
class KillResumeTest {
  private static final int TRIALS = Integer.getInteger("nerve.killTrials", 3);

  @TempDir Path dir;

  private static final String NET =
      "{\"inputs\": 2, \"layers\": [{\"type\": \"dense\", \"units\": 64}, {\"type\": \"relu\"},"
          + " {\"type\": \"dropout\", \"rate\": 0.2}, {\"type\": \"dense\", \"units\": 32},"
          + " {\"type\": \"tanh\"}, {\"type\": \"dense\", \"units\": 3}],"
          + " \"loss\": \"softmax_cross_entropy\", \"optimizer\": \"adam\","
          + " \"learning_rate\": 0.01, \"epochs\": 40, \"batch_size\": 16, \"seed\": 7}";

  private List<String> args(Path net, Path data, Path ck, String... more) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "train",
                "--network",
                net.toString(),
                "--data",
                data.toString(),
                "--validation-split",
                "0.2",
                "--lr-schedule",
                "step",
                "--checkpoint-every",
                "1",
                "--checkpoint-dir",
                ck.toString(),
                "-q"));
    a.addAll(List.of(more));
    return a;
  }

  @Test
  void aKilledRunResumesToTheSameWeights() throws Exception {
    Path net = dir.resolve("net.json");
    Files.writeString(net, NET);
    Path data = dir.resolve("blobs.csv");
    Files.writeString(data, Blobs.csv(3000, 0.8, false));
    Path reference = dir.resolve("reference.json");
    CliTest.Run whole =
        nerve(
            args(net, data, dir.resolve("ck-ref"), "--save-weights", reference.toString())
                .toArray(String[]::new));
    assertEquals(0, whole.code(), whole.err());
    String expected = Files.readString(reference);

    String java = ProcessHandle.current().info().command().orElse("java");
    Random random = new Random(20261123);
    List<String> log = new ArrayList<>();
    for (int trial = 0; trial < TRIALS; trial++) {
      Path ck = dir.resolve("ck" + trial);
      List<String> cmd =
          new ArrayList<>(
              List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
      cmd.addAll(args(net, data, ck));
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("trial" + trial + ".log").toFile())
              .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (Checkpoints.latest(ck) == null && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(random.nextInt(400));
      boolean wasAlive = p.isAlive();
      p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
      p.waitFor(30, TimeUnit.SECONDS);
      Checkpoints.Checkpoint at = Checkpoints.latest(ck);
      Path out = dir.resolve("resumed" + trial + ".json");
      CliTest.Run resumed =
          nerve(
              args(net, data, ck, "--resume", "--save-weights", out.toString())
                  .toArray(String[]::new));
      assertEquals(0, resumed.code(), resumed.err());
      assertEquals(expected, Files.readString(out), "trial " + trial + " resumed from " + at);
      log.add(
          "trial "
              + trial
              + ": killed "
              + (wasAlive ? "while running" : "after it had finished")
              + ", resumed after epoch "
              + (at == null ? "none" : at.epoch())
              + ", weights identical");
    }
    System.out.println(String.join("\n", log));
  }

  @Test
  void aResumeWithOtherOptionsOrDataIsRefused() throws Exception {
    Path net = dir.resolve("net.json");
    Files.writeString(net, NET.replace("\"epochs\": 40", "\"epochs\": 3"));
    Path data = dir.resolve("blobs.csv");
    Files.writeString(data, Blobs.csv(200, 0.8, false));
    Path ck = dir.resolve("ck");
    assertEquals(0, nerve(args(net, data, ck).toArray(String[]::new)).code());
    String err =
        CliTest.fails(
            ExitCodes.USAGE,
            args(net, data, ck, "--resume", "--lr-gamma", "0.5", "--epochs", "5")
                .toArray(String[]::new));
    assertTrue(err.contains("was made with other data or options"), err);
    Path other = dir.resolve("other.csv");
    Files.writeString(other, Blobs.csv(200, 0.7, false));
    err =
        CliTest.fails(
            ExitCodes.USAGE,
            args(net, other, ck, "--resume", "--epochs", "5").toArray(String[]::new));
    assertTrue(err.contains("other data or options"), err);
    err = CliTest.fails(2, args(net, data, ck, "--resume", "--epochs", "2").toArray(String[]::new));
    assertTrue(err.contains("more than the 2 asked for"), err);
    // The same options, more epochs: it continues.
    CliTest.Run more =
        nerve(args(net, data, ck, "--resume", "--epochs", "5").toArray(String[]::new));
    assertEquals(0, more.code(), more.err());
    assertEquals(5, Checkpoints.latest(ck).epoch());
  }
}
