package dev.nerve.cli;

import static dev.nerve.cli.CliTest.fails;
import static dev.nerve.cli.CliTest.nerve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training on text from the command line: language models, text columns, generate, predict. */
class TextCliTest {
  private static final Path EXAMPLES = Path.of("..", "examples");

  @TempDir Path dir;

  private static String ex(String name) {
    return EXAMPLES.resolve(name).toString();
  }

  /** A small text with structure a model can pick up in a few epochs. */
  private Path text() throws Exception {
    StringBuilder sb = new StringBuilder();
    String[] who = {"the cat", "a dog", "the bird", "my fish"};
    String[] did = {"sat on", "ran to", "looked at", "slept by"};
    String[] what = {"the mat", "a tree", "the door", "my bed"};
    for (int i = 0; i < 300; i++) {
      sb.append(who[i % 4]).append(' ').append(did[(i / 4) % 4]).append(' ');
      sb.append(what[(i / 16) % 4]).append(".\n");
    }
    Path p = dir.resolve("story.txt");
    Files.writeString(p, sb.toString());
    return p;
  }

  private Path lm(String... more) throws Exception {
    Path model = dir.resolve("lm.nerve");
    String[] args = {
      "train",
      "--network",
      ex("char-lstm-network.json"),
      "--text-file",
      text().toString(),
      "--seq-length",
      "16",
      "--epochs",
      "2",
      "--validation-split",
      "0.1",
      "--output",
      model.toString(),
      "--force"
    };
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    CliTest.Run r = nerve(all);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("validation: "), r.out());
    assertTrue(r.out().contains(" bits per character, perplexity "), r.out());
    assertTrue(r.out().contains("a sample (temperature 0.8, seed 0"), r.out());
    return model;
  }

  @Test
  void aLanguageModelTrainsGeneratesPredictsAndIsInspected() throws Exception {
    String m = lm().toString();
    CliTest.Run a =
        nerve("generate", "--model", m, "--prompt", "the ", "--length", "60", "--seed", "3");
    assertEquals(0, a.code(), a.err());
    assertTrue(a.out().startsWith("the "), a.out());
    assertEquals(
        a.out(),
        nerve("generate", "--model", m, "--prompt", "the ", "--length", "60", "--seed", "3").out());
    assertNotEquals(
        a.out(),
        nerve("generate", "--model", m, "--prompt", "the ", "--length", "60", "--seed", "4").out());
    CliTest.Run greedy =
        nerve("generate", "-m", m, "--prompt", "a dog ", "--temperature", "0", "--length", "20");
    assertEquals(0, greedy.code(), greedy.err());
    CliTest.Run p = nerve("predict", "--model", m, "--text", "the ca", "--text", "Q");
    assertEquals(0, p.code(), p.err());
    assertTrue(p.out().startsWith("text,next_1,p_1,next_2,p_2"), p.out());
    assertTrue(p.err().contains("1 characters never seen in training were read as <unk>"), p.err());
    CliTest.Run e = nerve("evaluate", "--model", m, "--data", text().toString());
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().contains("bits per token "), e.out());
    CliTest.Run i = nerve("inspect", m);
    assertTrue(i.out().contains("text      language model, "), i.out());
    assertTrue(i.out().contains("vocabulary ␠ "), i.out());
    assertTrue(
        fails(ExitCodes.USAGE, "generate", "-m", m, "--temperature", "-1").contains("temperature"));
    assertTrue(
        fails(ExitCodes.USAGE, "generate", "-m", m, "--prompt", "").contains("prompt is empty"));
  }

  @Test
  void aCausalTransformerLanguageModelTrainsAndGeneratesFromAShortPrompt() throws Exception {
    Path model = dir.resolve("gpt.nerve");
    CliTest.Run r =
        nerve(
            "train",
            "--network",
            ex("char-transformer-network.json"),
            "--text-file",
            text().toString(),
            "--seq-length",
            "16",
            "--epochs",
            "2",
            "--output",
            model.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("TransformerEncoder(width=128, heads=4"), r.out());
    String m = model.toString();
    // A prompt shorter than the 16-character window: causal attention reads it as it is.
    CliTest.Run g = nerve("generate", "-m", m, "--prompt", "a", "--length", "30", "--seed", "1");
    assertEquals(0, g.code(), g.err());
    assertTrue(g.out().startsWith("a"), g.out());
    assertEquals(
        g.out(),
        nerve("generate", "-m", m, "--prompt", "a", "--length", "30", "--seed", "1").out());
    // Attention that sees later positions would read the very characters it predicts.
    Path leaky = dir.resolve("leaky.json");
    Files.writeString(
        leaky,
        Files.readString(EXAMPLES.resolve("char-transformer-network.json"))
            .replace("\"causal\": true", "\"causal\": false"));
    String err =
        fails(
            ExitCodes.BAD_INPUT,
            "train",
            "--network",
            leaky.toString(),
            "--text-file",
            text().toString(),
            "--seq-length",
            "16");
    assertTrue(err.contains("'transformer_encoder' layer without \"causal\": true"), err);
  }

  @Test
  void truncatedBackpropagationThroughTimeNeedsStatefulLayers() throws Exception {
    CliTest.Run r =
        nerve(
            "train",
            "--network",
            ex("char-lstm-network.json"),
            "--text-file",
            text().toString(),
            "--tbptt");
    assertEquals(ExitCodes.USAGE, r.code(), r.out());
    assertTrue(r.err().contains("\"stateful\": true"), r.err());
    Path stateful = dir.resolve("stateful.json");
    Files.writeString(
        stateful,
        Files.readString(EXAMPLES.resolve("char-lstm-network.json"))
            .replace(
                "\"return_sequences\": true", "\"return_sequences\": true, \"stateful\": true"));
    CliTest.Run t =
        nerve(
            "train",
            "--network",
            stateful.toString(),
            "--text-file",
            text().toString(),
            "--tbptt",
            "--seq-length",
            "8",
            "--batch-size",
            "4",
            "--epochs",
            "2",
            "-q");
    assertEquals(0, t.code(), t.err());
  }

  @Test
  void aTextColumnIsClassifiedAndPredictedFromRawText() throws Exception {
    Path model = dir.resolve("words.nerve");
    CliTest.Run t =
        nerve(
            "train",
            "--network",
            ex("text-classifier-network.json"),
            "--data",
            ex("languages.csv"),
            "--text-column",
            "word",
            "--target",
            "language",
            "--test-split",
            "0.2",
            "--lowercase",
            "--bucket-by-length",
            "--epochs",
            "10",
            "--output",
            model.toString());
    assertEquals(0, t.code(), t.err());
    assertTrue(t.out().contains("true\\pred"), t.out()); // the confusion matrix
    double acc =
        Double.parseDouble(t.out().replaceAll("(?s).*training accuracy ([0-9.]+)%.*", "$1"));
    assertTrue(acc > 50, t.out());
    CliTest.Run p =
        nerve("predict", "--model", model.toString(), "--text", "Zeitung", "--text", "Nourriture");
    assertEquals(0, p.code(), p.err());
    assertTrue(p.out().startsWith("text,predicted,p_dutch,p_english,p_french,p_german"), p.out());
    assertEquals(3, p.out().lines().count());
    CliTest.Run d = nerve("predict", "--model", model.toString(), "--data", ex("languages.csv"));
    assertEquals(0, d.code(), d.err());
    assertEquals(321, d.out().lines().count());
    CliTest.Run e = nerve("evaluate", "--model", model.toString(), "--data", ex("languages.csv"));
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().contains("accuracy"), e.out());
    String tooLong = "x".repeat(200);
    assertTrue(
        fails(ExitCodes.BAD_INPUT, "predict", "--model", model.toString(), "--text", tooLong)
            .contains("--text 1: the text has 200 tokens, more than the model's limit of"));
    assertTrue(
        fails(ExitCodes.USAGE, "generate", "--model", model.toString())
            .contains("it classifies text: use predict"));
  }

  @Test
  void smallSplitsNeverOverlap() throws Exception {
    StringBuilder csv = new StringBuilder("text,label\n");
    String[] words = {
      "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"
    };
    for (int i = 0; i < words.length; i++) {
      csv.append(words[i]).append(',').append(i % 2 == 0 ? "even" : "odd").append('\n');
    }
    Path data = dir.resolve("ten.csv");
    Files.writeString(data, csv.toString());
    CliTest.Run r =
        nerve(
            "train",
            "--network",
            ex("text-classifier-network.json"),
            "--data",
            data.toString(),
            "--text-column",
            "text",
            "--validation-split",
            "0.25",
            "--epochs",
            "1",
            "-q");
    assertEquals(0, r.code(), r.err());
  }

  @Test
  void badTextIsNamedWithItsPlace() throws Exception {
    Path latin = dir.resolve("latin.txt");
    Files.write(latin, "fine\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    String e =
        fails(
            ExitCodes.BAD_INPUT,
            "train",
            "--network",
            ex("char-lstm-network.json"),
            "--text-file",
            latin.toString());
    assertTrue(e.contains("line 2, column 4: byte 0xe9 is not UTF-8"), e);
    Path csv = dir.resolve("t.csv");
    Files.writeString(csv, "text,label\nhello,a\n,b\nbye,a\n");
    e =
        fails(
            ExitCodes.BAD_INPUT,
            "train",
            "--network",
            ex("text-classifier-network.json"),
            "--data",
            csv.toString(),
            "--text-column",
            "text");
    assertTrue(e.contains("line 3, column 1 ('text'): empty text"), e);
    assertTrue(
        fails(
                ExitCodes.USAGE,
                "train",
                "--network",
                ex("text-classifier-network.json"),
                "--data",
                csv.toString(),
                "--text-column",
                "text",
                "--normalize",
                "standardize")
            .contains("not text"));
    assertTrue(
        fails(
                ExitCodes.BAD_INPUT,
                "train",
                "--network",
                ex("text-classifier-network.json"),
                "--data",
                csv.toString(),
                "--text-column",
                "words")
            .contains("no column 'words'"));
    assertTrue(
        fails(ExitCodes.USAGE, "train", "--text-file", latin.toString())
            .contains("needs --network"));
  }

  /** The built-in examples need Debian packages; with NERVE_CI=1 their absence fails the test. */
  private static void requirePackages(Path file, String pkg) {
    boolean present = Files.exists(file);
    if (!Boolean.getBoolean("nerve.requireDatasets") && !"1".equals(System.getenv("NERVE_CI"))) {
      Assumptions.assumeTrue(present, pkg + " is not installed");
    }
    assertTrue(present, file + " is missing: apt-get install " + pkg);
  }

  @Test
  void theLanguageExampleTellsLanguagesApart() {
    requirePackages(Path.of("/usr/share/dict/swedish"), "wswedish and the other word lists");
    boolean full = Boolean.getBoolean("nerve.fullExamples");
    CliTest.Run r =
        full
            ? nerve("train", "--example", "language")
            : nerve("train", "--example", "language", "--epochs", "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("64000 words of 8 languages"), r.out());
    assertTrue(r.out().contains("swedish"), r.out());
    double acc =
        Double.parseDouble(
            r.out().replaceAll("(?s).*test: loss [0-9.]+, accuracy ([0-9.]+)%.*", "$1"));
    assertTrue(acc > (full ? 83 : 75), r.out());
  }

  @Test
  void theTextTransformerExampleReportsBitsPerCharacterBesideTheLstm() {
    requirePackages(Path.of("/usr/share/games/fortunes/computers"), "fortunes");
    boolean full = Boolean.getBoolean("nerve.fullExamples");
    CliTest.Run r =
        full
            ? nerve("train", "--example", "text-transformer")
            : nerve("train", "--example", "text-transformer", "--epochs", "1");
    assertEquals(0, r.code(), r.err());
    double bpc =
        Double.parseDouble(
            r.out().replaceAll("(?s).*validation: ([0-9.]+) bits per character.*", "$1"));
    // The recipe measured 3.04 after its 3 epochs and 3.64 after one.
    assertTrue(bpc < (full ? 3.2 : 3.8), r.out());
    assertTrue(r.out().contains("a sample (temperature"), r.out());
  }

  @Test
  void theTextExampleReportsBitsPerCharacterAndWrites() {
    requirePackages(Path.of("/usr/share/games/fortunes/computers"), "fortunes");
    boolean full = Boolean.getBoolean("nerve.fullExamples");
    CliTest.Run r =
        full
            ? nerve("train", "--example", "text")
            : nerve("train", "--example", "text", "--epochs", "1");
    assertEquals(0, r.code(), r.err());
    double bpc =
        Double.parseDouble(
            r.out().replaceAll("(?s).*validation: ([0-9.]+) bits per character.*", "$1"));
    assertTrue(bpc < (full ? 2.9 : 3.6), r.out());
    assertTrue(r.out().contains("a sample (temperature"), r.out());
  }
}
