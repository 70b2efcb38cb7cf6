package dev.nerve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.io.ModelFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path dir;

  /** One run of the command: exit code, standard output, standard error. */
  record Run(int code, String out, String err) {}

  static Run nerve(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  /** A failure: the given exit code and one line on stderr, never a stack trace. */
  static String fails(int code, String... args) {
    Run r = nerve(args);
    assertEquals(code, r.code(), "exit code; stderr: " + r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertFalse(r.err().contains("Exception"), "no exception class names: " + r.err());
    return r.err().lines().findFirst().orElse("");
  }

  /** {@code nerve train --network NET --data CSV} and more arguments. */
  static Run train(Path network, Path data, String... more) {
    String[] args = new String[5 + more.length];
    args[0] = "train";
    args[1] = "--network";
    args[2] = network.toString();
    args[3] = "--data";
    args[4] = data.toString();
    System.arraycopy(more, 0, args, 5, more.length);
    return nerve(args);
  }

  /** A one-unit linear network with MSE, for the line below. */
  private Path lineNetwork(int epochs) throws Exception {
    return write(
        "net.json",
        "{\"inputs\": 1, \"layers\": [{\"type\": \"dense\", \"units\": 1}],"
            + " \"loss\": \"mse\", \"learning_rate\": 0.1, \"epochs\": "
            + epochs
            + "}");
  }

  /** Four points of y = 2x + 1. */
  private Path lineData() throws Exception {
    return write("line.csv", "x,y\n0,1\n1,3\n2,5\n3,7\n");
  }

  private Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private static final String CLASSIFIER =
      "{\"inputs\": 2, \"layers\": ["
          + "{\"type\": \"dense\", \"units\": 8}, {\"type\": \"tanh\"}, {\"type\": \"dense\", \"units\": 3}],"
          + " \"loss\": \"softmax_cross_entropy\", \"learning_rate\": 0.3, \"epochs\": 150,"
          + " \"batch_size\": 10, \"seed\": 3}";

  /** Three blobs of points, labelled by name, in a CSV with the label in the middle. */
  private Path blobs() throws Exception {
    return write("blobs.csv", Blobs.csv(90, 0.2, true));
  }

  @Test
  void theDefaultRunIsTutorialOne() {
    Run r = nerve("train");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("epoch    1/5000"), r.out());
    assertTrue(r.out().contains("epoch 5000/5000"), r.out());
    assertTrue(
        r.out()
            .matches(
                "(?s).*outputs for the training inputs:\\n\\[\\[0\\.9\\d+\\]\\n"
                    + " \\[0\\.9\\d+\\]\\n \\[0\\.0\\d+\\]\\].*"),
        r.out());
  }

  @Test
  void helpEverywhere() {
    for (String[] args :
        new String[][] {
          {"--help"}, {"train", "--help"}, {"predict", "--help"}, {"evaluate", "--help"}
        }) {
      Run r = nerve(args);
      assertEquals(0, r.code());
      assertTrue(r.out().contains("Usage: nerve"), r.out());
      assertTrue(r.out().contains("Exit codes:"), r.out());
    }
    Run v = nerve("--version");
    assertEquals(0, v.code());
    assertTrue(v.out().contains("matrix multiply:"), v.out());
  }

  @Test
  void trainSavePredictEvaluateAClassifier() throws Exception {
    Path net = write("net.json", CLASSIFIER);
    Path csv = blobs();
    Path model = dir.resolve("model.json");
    Path hist = dir.resolve("loss.csv");
    Run r =
        train(
            net,
            csv,
            "--target",
            "kind",
            "--output",
            model.toString(),
            "--history",
            hist.toString(),
            "-q");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("training accuracy"), r.out());
    ModelFile mf = ModelFile.read(model);
    assertEquals(List.of("blue", "green", "red"), mf.metadata().get("classes"));
    List<String> lines = Files.readAllLines(hist);
    assertEquals("iteration,epoch,batch,loss", lines.get(0));
    assertEquals(1 + 150 * 9, lines.size());
    assertTrue(lines.get(1350).startsWith("1350,150,9,"), lines.get(1350));

    Run e = nerve("evaluate", "--model", model.toString(), "--data", csv.toString());
    assertEquals(0, e.code(), e.err());
    double acc = Double.parseDouble(e.out().replaceAll("(?s).*accuracy\\s+([0-9.]+)%.*", "$1"));
    assertTrue(acc > 90, e.out());

    Path preds = dir.resolve("p.csv");
    Run p =
        nerve(
            "predict",
            "--model",
            model.toString(),
            "--data",
            csv.toString(),
            "--output",
            preds.toString());
    assertEquals(0, p.code(), p.err());
    List<String> pl = Files.readAllLines(preds);
    assertEquals("predicted,p_blue,p_green,p_red", pl.get(0));
    assertEquals(91, pl.size());
    assertTrue(pl.get(1).startsWith("red,"), pl.get(1)); // row 1 is at angle 0: red

    assertTrue(
        fails(
                5,
                "predict",
                "--model",
                model.toString(),
                "--data",
                csv.toString(),
                "--output",
                preds.toString())
            .contains("already exists; use --force"));
    assertEquals(
        0,
        nerve(
                "predict",
                "--model",
                model.toString(),
                "--data",
                csv.toString(),
                "--output",
                preds.toString(),
                "--force")
            .code());
  }

  @Test
  void aRegressionFromCsvAndWeightsInAndOut() throws Exception {
    Path net = lineNetwork(300);
    Path csv = lineData();
    Path w = dir.resolve("w.json");
    Run r = train(net, csv, "--save-weights", w.toString(), "--quiet");
    assertEquals(0, r.code(), r.err());
    String weights = Files.readString(w);
    assertTrue(weights.contains("\"name\": \"weight\""), weights);
    // Start again from the saved weights with no more learning to speak of: loss stays tiny.
    Run again =
        train(net, csv, "--init-weights", w.toString(), "--epochs", "1", "--lr", "1e-9", "-q");
    assertEquals(0, again.code(), again.err());
    double loss = Double.parseDouble(again.out().replaceAll("(?s).*final loss ([0-9.]+).*", "$1"));
    assertTrue(loss < 1e-2, again.out());
  }

  @Test
  void badArgumentsGetOneLineAndExitTwo() {
    assertTrue(fails(2, "train", "--bogus").startsWith("nerve: Unknown option: '--bogus'"));
    assertTrue(fails(2, "train", "--epochs", "many").contains("'many' is not an int"));
    assertTrue(fails(2, "train", "--batch-size", "0").contains("--batch-size must be"));
    assertTrue(fails(2, "train", "--lr", "-1").contains("--learning-rate must be a positive"));
    assertTrue(fails(2, "train", "--data", "x.csv").contains("--network and --data go together"));
    assertTrue(fails(2, "train", "--example", "tutorial3").contains("tutorial3"));
    assertTrue(fails(2).contains("a command is required"));
    assertTrue(fails(2, "predict").contains("Missing required option: '--model=FILE'"));
  }

  @Test
  void brokenCsvFilesNameLineAndColumn() throws Exception {
    Path net =
        write(
            "net.json",
            "{\"inputs\": 2, \"layers\": [{\"type\": \"dense\", \"units\": 1}],"
                + " \"loss\": \"mse\"}");
    String n = net.toString();
    assertEquals(
        "nerve: " + dir.resolve("a.csv") + ": line 3, column 2 ('b'): 'abc' is not a number",
        fails(
            3,
            "train",
            "--network",
            n,
            "--data",
            write("a.csv", "a,b,y\n1,2,3\n4,abc,6\n").toString()));
    assertEquals(
        "nerve: " + dir.resolve("b.csv") + ": line 3 has 2 fields, the header has 3",
        fails(
            3,
            "train",
            "--network",
            n,
            "--data",
            write("b.csv", "a,b,y\n1,2,3\n4,5\n").toString()));
    assertTrue(
        fails(3, "train", "--network", n, "--data", write("c.csv", "").toString())
            .endsWith("the file is empty (a header row is needed)"));
    assertTrue(
        fails(3, "train", "--network", n, "--data", write("d.csv", "a,b,y\n").toString())
            .endsWith("the file has a header but no rows"));
    assertTrue(
        fails(3, "train", "--network", n, "--data", write("e.csv", "a,b,y\n1,,3\n").toString())
            .endsWith("line 2, column 2 ('b'): empty value (missing values are not supported)"));
    assertTrue(
        fails(3, "train", "--network", n, "--data", write("f.csv", "a,y\n1,3\n").toString())
            .contains("takes 2 inputs but"));
    assertTrue(
        fails(
                3,
                "train",
                "--network",
                n,
                "--data",
                write("g.csv", "a,b,y\n1,2,3\n").toString(),
                "--target",
                "z")
            .contains("no column 'z'; the columns are a, b, y"));
    assertTrue(
        fails(1, "train", "--network", n, "--data", dir.resolve("none.csv").toString())
            .contains("no such file"));
  }

  @Test
  void brokenNetworkAndModelFilesAreRefusedWithAReason() throws Exception {
    Path csv = write("ok.csv", "a,b,y\n1,2,3\n");
    assertTrue(
        fails(
                3,
                "train",
                "--network",
                write("n1.json", "{\"inputs\": 2,").toString(),
                "--data",
                csv.toString())
            .contains("line 1, column 14: unexpected end of input"));
    assertTrue(
        fails(
                3,
                "train",
                "--network",
                write(
                        "n2.json",
                        "{\"inputs\": 2, \"layers\":"
                            + " [{\"type\": \"dense\", \"units\": 1, \"activation\": \"relu\"}]}")
                    .toString(),
                "--data",
                csv.toString())
            .contains("unknown key 'activation'"));
    assertTrue(
        fails(
                3,
                "evaluate",
                "--model",
                write("m.json", "{\"format\": \"nerve-model\"," + " \"version\": 7}").toString(),
                "--data",
                csv.toString())
            .contains("model format version 7 is not supported"));
  }

  @Test
  void divergenceStopsWithEpochAndBatchAndExitFour() throws Exception {
    Path net =
        write(
            "net.json",
            "{\"inputs\": 1, \"layers\": [{\"type\": \"dense\", \"units\": 4},"
                + " {\"type\": \"relu\"}, {\"type\": \"dense\", \"units\": 1}], \"loss\": \"mse\","
                + " \"learning_rate\": 50, \"epochs\": 100, \"batch_size\": 2}");
    Path csv = write("big.csv", "x,y\n100,1\n200,2\n300,3\n400,4\n");
    Path model = dir.resolve("model.json");
    Files.writeString(model, "keep me");
    String line =
        fails(
            4,
            "train",
            "--network",
            net.toString(),
            "--data",
            csv.toString(),
            "--output",
            model.toString(),
            "--force",
            "-q");
    assertTrue(
        line.matches(
            "nerve: training diverged at epoch \\d+, batch [12]: .*layer [02] Dense\\(in=[14],"
                + " out=[41]\\).* is (NaN|infinite).*"),
        line);
    assertEquals("keep me", Files.readString(model), "a failed run leaves the old file alone");
  }

  @Test
  void regressionPredictionsAndJsonHistory() throws Exception {
    Path net = lineNetwork(400);
    Path csv = lineData();
    Path model = dir.resolve("m.json");
    Path hist = dir.resolve("h.json");
    Run r = train(net, csv, "--output", model.toString(), "--history", hist.toString(), "-q");
    assertEquals(0, r.code(), r.err());
    String h = Files.readString(hist);
    assertTrue(h.contains("\"iteration_loss\"") && h.contains("\"epoch_loss\""), h);
    Run p =
        nerve(
            "predict", "--model", model.toString(), "--data", write("x.csv", "x\n10\n").toString());
    assertEquals(0, p.code(), p.err());
    String[] lines = p.out().split("\n");
    assertEquals("prediction", lines[0]);
    assertEquals(21.0, Double.parseDouble(lines[1]), 0.2, "y = 2x + 1 at x = 10");
    Run e = nerve("evaluate", "--model", model.toString(), "--data", csv.toString());
    assertFalse(e.out().contains("accuracy"), "no accuracy for a regression: " + e.out());
    assertTrue(
        fails(
                3,
                "predict",
                "--model",
                model.toString(),
                "--data",
                write("nox.csv", "z\n1\n").toString())
            .contains("no column 'x'"));
  }

  @Test
  void tutorialTwoBuiltIn() {
    Run r = nerve("train", "--example", "tutorial2", "--log-every", "500");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("sum_squared_error"), r.out());
    assertTrue(r.out().contains("epoch 1500/1500"), r.out());
    assertTrue(
        r.out()
            .matches(
                "(?s).*\\[\\[0\\.0\\d+\\]\\n \\[0\\.9\\d+\\]\\n \\[0\\.9\\d+\\]\\n \\[0\\.0\\d+\\]\\].*"),
        r.out());
  }

  @Test
  void excelByteOrderMarkAndThreadCount() throws Exception {
    Path net =
        write(
            "net.json",
            "{\"inputs\": 2, \"layers\": [{\"type\": \"dense\", \"units\": 1}], \"loss\": \"mse\"}");
    Path csv = write("bom.csv", "\uFEFFa,b,y\n1,2,3\n");
    Run r = train(net, csv, "--target", "y", "--threads", "1", "-q");
    assertEquals(0, r.code(), r.err());
    Path model = dir.resolve("m.json");
    assertEquals(0, train(net, csv, "--output", model.toString(), "-q").code());
    assertEquals(
        List.of("a", "b"),
        ModelFile.read(model).encoding().inputs().stream()
            .map(dev.nerve.data.ColumnEncoding.Column::name)
            .toList(),
        "the first column is 'a', not '\\uFEFFa'");
    assertTrue(fails(2, "train", "--threads", "0").contains("--threads must be at least 1"));
  }

  @Test
  void duplicateHeadersAndNonUtf8FilesAreBadInput() throws Exception {
    Path net =
        write(
            "net.json",
            "{\"inputs\": 2, \"layers\": [{\"type\": \"dense\", \"units\": 1}], \"loss\": \"mse\"}");
    assertTrue(
        fails(
                3,
                "train",
                "--network",
                net.toString(),
                "--data",
                write("dup.csv", "a,a,y\n1,2,3\n").toString())
            .endsWith("dup.csv: line 1: duplicate column name 'a'"));
    Path latin1 = dir.resolve("latin1.csv");
    Files.write(
        latin1,
        "a,b,y\n1,2,3\n"
            .replace("a,", "\u00e9,")
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertTrue(
        fails(3, "train", "--network", net.toString(), "--data", latin1.toString())
            .endsWith("not valid UTF-8 text"));
  }
}
