package dev.nerve.cli;

import static dev.nerve.cli.CliTest.fails;
import static dev.nerve.cli.CliTest.nerve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nerve export}, {@code nerve import} and {@code predict --model M.onnx}. */
class OnnxCliTest {
  @TempDir Path dir;

  private static final Path EXAMPLES = Path.of("..", "examples");

  @Test
  void exportImportAndPredictGiveTheSameNumbers() throws Exception {
    Path model = dir.resolve("iris.nerve");
    CliTest.Run t =
        nerve(
            "train",
            "--network",
            EXAMPLES.resolve("iris-network.json").toString(),
            "--data",
            EXAMPLES.resolve("iris.csv").toString(),
            "--target",
            "species",
            "--normalize",
            "standardize",
            "--epochs",
            "20",
            "-q",
            "--output",
            model.toString());
    assertEquals(0, t.code(), t.err());
    Path onnx = dir.resolve("iris.onnx");
    CliTest.Run e = nerve("export", "--model", model.toString(), "--output", onnx.toString());
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().startsWith("wrote " + onnx + " (ONNX opset 17, "), e.out());
    String data = EXAMPLES.resolve("iris.csv").toString();
    String fromNerve = nerve("predict", "--model", model.toString(), "--data", data).out();
    String fromOnnx = nerve("predict", "--model", onnx.toString(), "--data", data).out();
    assertTrue(fromNerve.startsWith("predicted,p_"), fromNerve);
    assertEquals(fromNerve, fromOnnx, "the ONNX file predicts the same, normalisation included");
    Path back = dir.resolve("back.nerve");
    CliTest.Run i = nerve("import", onnx.toString(), "--output", back.toString());
    assertEquals(0, i.code(), i.err());
    assertTrue(i.out().contains("model saved to " + back), i.out());
    assertEquals(fromNerve, nerve("predict", "--model", back.toString(), "--data", data).out());
    // Nothing is written over without --force.
    String exists =
        fails(ExitCodes.EXISTS, "export", "--model", model.toString(), "-o", onnx.toString());
    assertTrue(exists.contains("already exists; use --force"), exists);
  }

  @Test
  void badFilesAreOneLineAndATransformerGoesThereAndBack() throws Exception {
    Path junk = dir.resolve("junk.onnx");
    Files.writeString(junk, "this is not protobuf");
    String e =
        fails(
            ExitCodes.BAD_INPUT,
            "import",
            junk.toString(),
            "-o",
            dir.resolve("x.nerve").toString());
    assertTrue(e.startsWith("nerve: " + junk + ": not a readable ONNX model: "), e);
    assertTrue(Files.notExists(dir.resolve("x.nerve")));
    Path model = dir.resolve("gpt.nerve");
    Files.writeString(
        dir.resolve("t.txt"), "abcabcabcabcabcabcabcabcabcabcabcabcabcabc\n".repeat(20));
    CliTest.Run t =
        nerve(
            "train",
            "--network",
            EXAMPLES.resolve("char-transformer-network.json").toString(),
            "--text-file",
            dir.resolve("t.txt").toString(),
            "--seq-length",
            "8",
            "--epochs",
            "1",
            "-q",
            "--output",
            model.toString());
    assertEquals(0, t.code(), t.err());
    // A transformer language model goes to ONNX and back, and writes the same text.
    Path gpt = dir.resolve("g.onnx");
    assertEquals(0, nerve("export", "--model", model.toString(), "-o", gpt.toString()).code());
    Path back = dir.resolve("g.nerve");
    CliTest.Run i = nerve("import", gpt.toString(), "-o", back.toString());
    assertEquals(0, i.code(), i.err());
    String[] gen = {
      "generate", "-m", model.toString(), "--prompt", "ab", "--length", "20", "--seed", "3"
    };
    String want = nerve(gen).out();
    gen[2] = back.toString();
    assertEquals(want, nerve(gen).out());
  }
}
