package dev.nerve.cli;

import static dev.nerve.cli.CliTest.nerve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files in {@code examples/} that the README's commands use still work as it says. */
class ExampleFilesTest {
  private static final Path EXAMPLES = Path.of("..", "examples");

  @TempDir Path dir;

  private static String ex(String name) {
    return EXAMPLES.resolve(name).toString();
  }

  @Test
  void irisTrainsEvaluatesAndPredicts() {
    Path model = dir.resolve("iris-model.json");
    CliTest.Run t =
        nerve(
            "train",
            "--network",
            ex("iris-network.json"),
            "--data",
            ex("iris.csv"),
            "--target",
            "species",
            "--output",
            model.toString(),
            "-q");
    assertEquals(0, t.code(), t.err());
    CliTest.Run e = nerve("evaluate", "--model", model.toString(), "--data", ex("iris.csv"));
    assertEquals(0, e.code(), e.err());
    double acc = Double.parseDouble(e.out().replaceAll("(?s).*accuracy\\s+([0-9.]+)%.*", "$1"));
    assertTrue(acc >= 96, e.out());
    CliTest.Run p = nerve("predict", "--model", model.toString(), "--data", ex("iris.csv"));
    assertEquals(0, p.code(), p.err());
    assertTrue(p.out().startsWith("predicted,p_setosa,p_versicolor,p_virginica\nsetosa,"), p.out());
  }

  @Test
  void irisWithAResidualBlockTrainsEvaluatesAndIsTraced() {
    Path model = dir.resolve("residual.nerve");
    String[] data = {
      "--network",
      ex("iris-residual-network.json"),
      "--data",
      ex("iris.csv"),
      "--target",
      "species",
      "--normalize",
      "standardize"
    };
    CliTest.Run t = nerve(join(data, "train", "-q", "--output", model.toString()));
    assertEquals(0, t.code(), t.err());
    CliTest.Run e = nerve("evaluate", "--model", model.toString(), "--data", ex("iris.csv"));
    assertEquals(0, e.code(), e.err());
    double acc = Double.parseDouble(e.out().replaceAll("(?s).*accuracy\\s+([0-9.]+)%.*", "$1"));
    assertTrue(acc >= 96, e.out());
    CliTest.Run r = nerve(join(data, "trace", "--text", "-q", "--epochs", "2"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Error carried back through Residual"), r.out());
    assertTrue(r.out().contains("residual2_0.weight"), r.out());
  }

  private static String[] join(String[] options, String... first) {
    String[] all = java.util.Arrays.copyOf(first, first.length + options.length);
    System.arraycopy(options, 0, all, first.length, options.length);
    return all;
  }

  @Test
  void tutorialOneAsFilesIsTheBuiltInDefault() {
    CliTest.Run files =
        nerve(
            "train",
            "--network",
            ex("tutorial1-network.json"),
            "--data",
            ex("tutorial1.csv"),
            "-q");
    CliTest.Run builtIn = nerve("train", "-q");
    assertEquals(0, files.code(), files.err());
    String filesLoss = files.out().replaceAll("(?s).*(final loss [0-9.]+).*", "$1");
    String builtInLoss = builtIn.out().replaceAll("(?s).*(final loss [0-9.]+).*", "$1");
    assertEquals(builtInLoss, filesLoss);
  }
}
