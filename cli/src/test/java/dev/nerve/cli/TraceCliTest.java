package dev.nerve.cli;

import static dev.nerve.cli.CliTest.fails;
import static dev.nerve.cli.CliTest.nerve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nerve trace}: the walkthrough page and the text form from the command line. */
class TraceCliTest {
  @TempDir Path dir;

  @Test
  void theDefaultTracesTutorialOneFromItsGivenWeights() throws Exception {
    Path page = dir.resolve("t1.html");
    CliTest.Run r = nerve("trace", "--trace", page.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("wrote the walkthrough " + page), r.out());
    assertTrue(r.out().contains("iterations 1, 5, 10, 50, 100, 500, 1000, 5000"), r.out());
    String html = Files.readString(page);
    assertTrue(html.contains("Content-Security-Policy"));
    assertTrue(html.contains("hidden_layer_input = matrix_dot_product(X, wh) + bh"));
    // The given weights: wh[0][0] is numpy's first seed-0 draw.
    assertTrue(html.contains("0.5488135"), "the page starts from the given weights");
    // Nothing is overwritten without --force.
    String err = fails(ExitCodes.EXISTS, "trace", "--trace", page.toString());
    assertTrue(err.contains("already exists"), err);
    assertEquals(html, Files.readString(page));
    assertEquals(0, nerve("trace", "--trace", page.toString(), "--force", "--record", "2").code());
    assertFalse(Files.readString(page).equals(html));
  }

  @Test
  void theTextFormPrintsTheChosenIteration() {
    CliTest.Run r = nerve("trace", "--text", "--quiet", "--iterations", "1,2", "--show", "2");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Iteration 2 (epoch 2, batch 1)"), r.out());
    assertTrue(r.out().contains("Step 9 · Delta at the hidden layer"), r.out());
    assertTrue(r.out().contains("all agree ✓"), r.out());
  }

  @Test
  void theEchoExampleIsUnrolledThroughTimeAndItsGradientsCheck() throws Exception {
    CliTest.Run r = nerve("trace", "--example", "echo", "--text", "--quiet");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Step 2 · RNN, time step 3 of 4"), r.out());
    assertTrue(r.out().contains("Back through time: the error at h⁽⁰⁾ and the deltas of step 0"));
    assertTrue(r.out().contains("all agree ✓"), r.out()); // W_ih, W_hh, ... by finite differences
    Path page = dir.resolve("echo.html");
    assertEquals(0, nerve("trace", "--example", "echo", "-q", "--trace", page.toString()).code());
    assertTrue(Files.readString(page).contains("T0.h#3"));
    CliTest.Run t = nerve("train", "--example", "echo");
    assertEquals(0, t.code(), t.err());
    assertTrue(t.out().contains("training accuracy 100.00%"), t.out());
  }

  @Test
  void mistakesAreNamed() {
    assertTrue(fails(ExitCodes.USAGE, "trace", "--text", "--iterations", "0").contains("from 1"));
    assertTrue(
        fails(ExitCodes.USAGE, "trace", "--text", "--iterations", "6000")
            .contains("beyond this run, which makes 5000 updates"));
    assertTrue(
        fails(ExitCodes.USAGE, "trace", "--text", "--iterations", "1,2", "--show", "3")
            .contains("not a recorded iteration"));
    assertTrue(fails(ExitCodes.USAGE, "trace", "--show", "1").contains("--show goes with --text"));
    assertTrue(fails(ExitCodes.USAGE, "trace", "--text", "--record", "0").contains("--record"));
    assertTrue(fails(ExitCodes.USAGE, "trace", "--text", "--checks", "-1").contains("--checks"));
    assertTrue(fails(ExitCodes.USAGE, "trace", "--text", "--json").contains("--json"));
  }

  @Test
  void aSeedDrawsItsOwnWeightsAndMaxValuesCutsThePage() throws Exception {
    Path seeded = dir.resolve("seeded.html");
    assertEquals(0, nerve("trace", "--seed", "7", "--trace", seeded.toString(), "-q").code());
    assertFalse(
        Files.readString(seeded).contains("0.5488135"), "--seed replaces the given weights");
    Path cut = dir.resolve("cut.html");
    assertEquals(0, nerve("trace", "--max-values", "2", "--trace", cut.toString(), "-q").code());
    String html = Files.readString(cut);
    assertTrue(
        html.contains("\"shape\": [4, 3], \"size\": 12, \"v\": [0.5488135, 0.71518934]"), html);
  }

  @Test
  void aConvolutionalNetworkOnImagesIsTraced() throws Exception {
    Path net = dir.resolve("net.json");
    Files.writeString(
        net,
        "{\"input_shape\": [1, 8, 8], \"layers\": ["
            + "{\"type\": \"conv2d\", \"out_channels\": 2, \"kernel_size\": 3},"
            + " {\"type\": \"tanh\"}, {\"type\": \"avg_pool2d\", \"kernel_size\": 2},"
            + " {\"type\": \"flatten\"}, {\"type\": \"dense\", \"units\": 2}],"
            + " \"loss\": \"softmax_cross_entropy\", \"optimizer\": \"sgd\","
            + " \"learning_rate\": 0.1, \"epochs\": 2, \"batch_size\": 8, \"seed\": 3}");
    StringBuilder csv = new StringBuilder();
    for (int c = 0; c < 64; c++) {
      csv.append("p").append(c).append(',');
    }
    csv.append("label\n");
    dev.nerve.tensor.Rng r = new dev.nerve.tensor.Rng(4);
    for (int i = 0; i < 16; i++) {
      for (int c = 0; c < 64; c++) {
        csv.append(r.nextInt(10)).append(',');
      }
      csv.append(i % 2 == 0 ? "a" : "b").append('\n');
    }
    Path data = dir.resolve("d.csv");
    Files.writeString(data, csv.toString());
    Path page = dir.resolve("conv.html");
    CliTest.Run run =
        nerve(
            "trace",
            "--network",
            net.toString(),
            "--data",
            data.toString(),
            "--target",
            "label",
            "--iterations",
            "1,4",
            "--trace",
            page.toString(),
            "--text");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("Step 2 · Feature maps: convolution"), run.out());
    assertTrue(run.out().contains("check ∂L/∂conv1_weight: 18 elements checked"), run.out());
    String html = Files.readString(page);
    assertTrue(html.contains("\"kind\": \"conv\""), "the page knows the convolution's cells");
  }
}
