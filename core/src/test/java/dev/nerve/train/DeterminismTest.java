package dev.nerve.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.BatchNorm;
import dev.nerve.nn.Conv2d;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Dropout;
import dev.nerve.nn.Flatten;
import dev.nerve.nn.MaxPool2d;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Adam;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Shape;
import dev.nerve.tensor.Tensor;
import dev.nerve.tensor.kernel.Gemm;
import dev.nerve.tensor.kernel.Parallel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Bit-for-bit determinism: the same seed, data and settings give the same bytes of weights (and
 * BatchNorm statistics) across repeated runs, across thread counts, and with and without the Vector
 * API. The cross-configuration part starts a fresh JVM per configuration ({@link #main}) and
 * compares the SHA-256 of the trained weights.
 */
class DeterminismTest {

  /**
   * Trains a convolutional network with BatchNorm, Dropout, shuffling and Adam; returns its
   * SHA-256.
   */
  static String trainAndHash() throws Exception {
    Sequential net =
        new Sequential(
            Shape.of(1, 12, 12),
            new Conv2d(1, 6, 3, 1, 1),
            new BatchNorm(6),
            new ReLU(),
            new MaxPool2d(2),
            new Flatten(),
            new Dropout(0.25f),
            new Dense(216, 40),
            new ReLU(),
            new Dense(40, 5));
    net.initialize(11);
    Rng r = new Rng(5);
    Tensor x = Tensor.uniform(r, 0, 1, 200, 144);
    Tensor y = Tensor.zeros(200, 5);
    for (int i = 0; i < 200; i++) {
      y.setInPlace(1, i, r.nextInt(5));
    }
    Trainer.builder(net, new SoftmaxCrossEntropy(), new Adam(net.parameters(), 0.003f))
        .epochs(3)
        .batchSize(32)
        .shuffle(9)
        .build()
        .fit(x, y);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    List<Tensor> all = new ArrayList<>();
    net.parameters().forEach(p -> all.add(p.value()));
    net.layers().forEach(l -> l.buffers().forEach(b -> all.add(b.value())));
    for (Tensor t : all) {
      float[] v = t.data();
      ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(v);
      sha.update(b.array());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** Run in a child JVM: prints the backend, the threads and the hash. */
  public static void main(String[] args) throws Exception {
    System.out.println(Gemm.backend() + " " + Parallel.threads() + " " + trainAndHash());
  }

  @Test
  void repeatedRunsAndThreadCountsGiveTheSameBytes() throws Exception {
    int before = Parallel.threads();
    try {
      Parallel.setThreads(1);
      String one = trainAndHash();
      assertEquals(one, trainAndHash(), "a second run in the same JVM");
      for (int t : new int[] {2, 3, 8}) {
        Parallel.setThreads(t);
        assertEquals(one, trainAndHash(), t + " threads");
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void freshJvmsWithAndWithoutTheVectorApiGiveTheSameBytes() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    String cp = System.getProperty("java.class.path");
    Map<String, String> seen = new LinkedHashMap<>();
    for (boolean vector : new boolean[] {false, true}) {
      for (String threads : new String[] {"1", "2", "default"}) {
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", cp));
        if (vector) {
          cmd.add("--add-modules");
          cmd.add("jdk.incubator.vector");
        }
        if (!threads.equals("default")) {
          cmd.add("-Dnerve.threads=" + threads);
        }
        cmd.add(DeterminismTest.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM timed out");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        String[] lines = out.split("\n");
        String[] last = lines[lines.length - 1].split(" ");
        assertEquals(vector, !last[0].startsWith("scalar"), "backend in that JVM: " + out);
        seen.put(last[0] + ", threads " + threads + " (" + last[1] + ")", last[last.length - 1]);
      }
    }
    assertEquals(1, new java.util.HashSet<>(seen.values()).size(), "hashes differ: " + seen);
    assertEquals(trainAndHash(), seen.values().iterator().next(), "this JVM agrees too");
    System.out.println("determinism matrix: " + seen);
  }
}
