package dev.nerve.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.examples.Tutorial1;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Parameter;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.Sigmoid;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsTest {
  @TempDir Path dir;

  @Test
  void roundTripIsExactAndReadable() throws Exception {
    Sequential a = Tutorial1.network().initialize(9);
    Path f = dir.resolve("w.json");
    Weights.write(a, f);
    String text = Files.readString(f);
    assertTrue(text.contains("\"format\": \"nerve-weights\""), text);
    assertTrue(text.contains("\"shape\": [4, 3]"), text);
    Sequential b = Tutorial1.network();
    assertFalse(b.isInitialized());
    Weights.read(f, b);
    assertTrue(b.isInitialized());
    List<Parameter> pa = a.parameters();
    List<Parameter> pb = b.parameters();
    for (int i = 0; i < pa.size(); i++) {
      assertArrayEquals(pa.get(i).value().data(), pb.get(i).value().data());
    }
  }

  @Test
  void aFileThatDoesNotFitIsRefusedAndNothingChanges() throws Exception {
    Path f = dir.resolve("w.json");
    Weights.write(Tutorial1.network().initialize(1), f);
    Sequential other =
        new Sequential(new Dense(4, 2), new Sigmoid(), new Dense(2, 1), new Sigmoid());
    FormatException e = assertThrows(FormatException.class, () -> Weights.read(f, other));
    assertTrue(
        e.getMessage()
            .contains(
                "0.weight has shape [4, 3] in the file but [4, 2] in layer 0"
                    + " Dense(in=4, out=2)"),
        e.getMessage());
    assertEquals(0f, other.parameters().get(0).value().get(0, 0), "nothing was loaded");
    assertFalse(other.isInitialized());
  }

  @Test
  void wrongFormatVersionOrJunkIsRefusedWithAReason() throws Exception {
    Path f = dir.resolve("bad.json");
    Files.writeString(f, "{\"format\": \"nerve-weights\", \"version\": 99, \"parameters\": []}");
    FormatException e =
        assertThrows(FormatException.class, () -> Weights.read(f, Tutorial1.network()));
    assertTrue(e.getMessage().contains("version 99 is not supported"), e.getMessage());
    Files.writeString(f, "{\"format\": \"something\", \"version\": 1}");
    e = assertThrows(FormatException.class, () -> Weights.read(f, Tutorial1.network()));
    assertTrue(e.getMessage().contains("format is 'something'"), e.getMessage());
    Files.writeString(f, "{\"format\": \"nerve-weights\", \"version\": 1, \"parameters\": [");
    e = assertThrows(FormatException.class, () -> Weights.read(f, Tutorial1.network()));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    Files.writeString(f, "{\"format\": \"nerve-weights\", \"version\": 1, \"parameters\": []}");
    e = assertThrows(FormatException.class, () -> Weights.read(f, Tutorial1.network()));
    assertTrue(
        e.getMessage().contains("no values for layer 0 Dense(in=4, out=3) parameter" + " 'weight'"),
        e.getMessage());
  }

  @Test
  void raggedRowsAreRefused() throws Exception {
    Path f = dir.resolve("ragged.json");
    Files.writeString(
        f,
        "{\"format\": \"nerve-weights\", \"version\": 1, \"parameters\": ["
            + "{\"layer\": 0, \"name\": \"weight\", \"values\": [[1, 2, 3], [4, 5], [6, 7, 8, 9],"
            + " [1, 2, 3]]}]}");
    FormatException e =
        assertThrows(FormatException.class, () -> Weights.read(f, Tutorial1.network()));
    assertTrue(e.getMessage().contains("row 1 has 2 values, expected 3"), e.getMessage());
  }

  @Test
  void atomicWriteReplacesWholeFilesAndLeavesNoTemporaries() throws Exception {
    Path f = dir.resolve("w.json");
    Files.writeString(f, "old");
    Weights.write(Tutorial1.network().initialize(2), f);
    assertTrue(Files.readString(f).startsWith("{"));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(f), files.toList(), "no temporary file left behind");
    }
  }

  @Test
  void aFailedWriteLeavesTheOldFileIntact() throws Exception {
    Path f = dir.resolve("w.json");
    Files.writeString(f, "precious");
    Sequential bad = Tutorial1.network().initialize(2);
    bad.parameters().get(0).value().data()[0] = Float.NaN;
    assertThrows(IllegalArgumentException.class, () -> Weights.write(bad, f));
    assertEquals("precious", Files.readString(f));
  }

  @Test
  void fractionalOrOverflowingWholeNumbersAreRefused() throws Exception {
    Path f = dir.resolve("w.json");
    for (String bad :
        new String[] {
          "{\"format\": \"nerve-weights\", \"version\": 4294967297, \"parameters\": []}",
          "{\"format\": \"nerve-weights\", \"version\": 1.5, \"parameters\": []}",
          "{\"format\": \"nerve-weights\", \"version\": 1, \"parameters\": [{\"layer\": 0.5,"
              + " \"name\": \"weight\", \"values\": []}]}",
          "{\"format\": \"nerve-weights\", \"version\": 1, \"parameters\": [{\"layer\":"
              + " 4294967296, \"name\": \"weight\", \"values\": []}]}"
        }) {
      Files.writeString(f, bad);
      assertThrows(FormatException.class, () -> Weights.read(f, Tutorial1.network()), bad);
    }
  }

  @Test
  void batchNormRunningStatisticsAreSavedAndRestored(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    dev.nerve.nn.BatchNorm bn = new dev.nerve.nn.BatchNorm(2);
    dev.nerve.nn.Sequential net =
        new dev.nerve.nn.Sequential(new dev.nerve.nn.Dense(3, 2), bn).initialize(1);
    net.forward(dev.nerve.tensor.Tensor.uniform(new dev.nerve.tensor.Rng(2), 0, 5, 8, 3), true);
    float[] mean = bn.buffers().get(0).value().data().clone();
    Path f = tmp.resolve("w.json");
    Weights.write(net, f);
    dev.nerve.nn.BatchNorm bn2 = new dev.nerve.nn.BatchNorm(2);
    dev.nerve.nn.Sequential back = new dev.nerve.nn.Sequential(new dev.nerve.nn.Dense(3, 2), bn2);
    Weights.read(f, back);
    org.junit.jupiter.api.Assertions.assertArrayEquals(mean, bn2.buffers().get(0).value().data());
    org.junit.jupiter.api.Assertions.assertNotEquals(0f, mean[0]);
  }
}
