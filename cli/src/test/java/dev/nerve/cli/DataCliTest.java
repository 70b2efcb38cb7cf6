package dev.nerve.cli;

import static dev.nerve.cli.CliTest.fails;
import static dev.nerve.cli.CliTest.nerve;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.Features;
import dev.nerve.data.Normalizer;
import dev.nerve.io.Json;
import dev.nerve.io.ModelFile;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The finished command line on real kinds of data: categorical CSV columns, normalisation saved and
 * reapplied, splits and early stopping, IDX images, JSON output, checkpoints, inspect, reports.
 */
class DataCliTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private String path(String name) {
    return dir.resolve(name).toString();
  }

  /** Price from size (numeric, large values) and colour (categorical), in a CSV. */
  private Path houses() throws Exception {
    StringBuilder sb = new StringBuilder("size,colour,price\n");
    Rng r = new Rng(2);
    String[] colours = {"red", "green", "blue"};
    for (int i = 0; i < 120; i++) {
      double size = 50 + 150 * r.nextDouble();
      int c = i % 3;
      sb.append(
          String.format(
              Locale.ROOT,
              "%.1f,%s,%.3f%n",
              size,
              colours[c],
              size / 100 + c + 0.05 * r.nextGaussian()));
    }
    return write("houses.csv", sb.toString());
  }

  private Path houseNetwork() throws Exception {
    return write(
        "house-net.json",
        "{\"inputs\": 4, \"layers\": [{\"type\": \"dense\", \"units\": 8}, {\"type\": \"tanh\"},"
            + " {\"type\": \"dense\", \"units\": 1}], \"loss\": \"mse\", \"optimizer\": \"adam\","
            + " \"learning_rate\": 0.03, \"epochs\": 200, \"batch_size\": 16, \"seed\": 5}");
  }

  @Test
  void categoricalColumnsAreOneHotAndNormalisationTravelsWithTheModel() throws Exception {
    Path csv = houses();
    CliTest.Run r =
        nerve(
            "train",
            "--network",
            houseNetwork().toString(),
            "--data",
            csv.toString(),
            "--normalize",
            "standardize",
            "--test-split",
            "0.25",
            "-o",
            path("m.nerve"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("test: loss"), r.out());
    assertTrue(r.out().contains("R²"), r.out());
    ModelFile m = ModelFile.read(dir.resolve("m.nerve"));
    assertEquals(Normalizer.Kind.STANDARDIZE, m.normalizer().kind());
    List<?> inputs = (List<?>) m.metadata().get("inputs");
    assertEquals(
        Map.of("name", "colour", "kind", "categorical", "levels", List.of("blue", "green", "red")),
        inputs.get(1));
    // predict applies the saved encoding and normalisation: the same numbers as by hand.
    Path fresh = write("new.csv", "colour,size,extra\ngreen,100,x\nblue,180.5,y\n");
    CliTest.Run p = nerve("predict", "-m", path("m.nerve"), "--data", fresh.toString());
    assertEquals(0, p.code(), p.err());
    String[] lines = p.out().split("\n");
    assertEquals("prediction", lines[0]);
    Tensor x = Tensor.of(new float[][] {{100, 0, 1, 0}, {180.5f, 1, 0, 0}});
    float[] want = m.model().predict(Features.of(x).normalized(m.normalizer()).toTensor()).data();
    assertEquals(want[0], Float.parseFloat(lines[1]));
    assertEquals(want[1], Float.parseFloat(lines[2]));
    assertEquals(2.0, want[0], 0.3, "size 100, green: 1 + 1");
    // From Java, the raw column values give the same bits: the encoding travels in the model.
    Tensor fromJava =
        m.predict(
            List.of(
                Map.of("size", "100", "colour", "green"),
                Map.of("colour", "blue", "size", "180.5")));
    assertEquals(Float.parseFloat(lines[1]), fromJava.data()[0]);
    assertEquals(Float.parseFloat(lines[2]), fromJava.data()[1]);
    assertEquals("price", m.encoding().target());
    // evaluate gives regression metrics; an unseen level names line and column.
    CliTest.Run e = nerve("evaluate", "-m", path("m.nerve"), "--data", csv.toString());
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().contains("MSE") && e.out().contains("R²"), e.out());
    Path unseen = write("unseen.csv", "size,colour\n100,green\n120,purple\n");
    assertEquals(
        "nerve: "
            + unseen
            + ": line 3, column 2 ('colour'): value 'purple' was not seen in"
            + " training; known: blue, green, red",
        fails(3, "predict", "-m", path("m.nerve"), "--data", unseen.toString()));
  }

  @Test
  void aNetworkThatActsOnEveryStepIsRefusedForOneTargetPerExample() throws Exception {
    Path net =
        write(
            "steps.json",
            "{\"input_shape\": [2, 2], \"layers\": [{\"type\": \"dense\", \"units\": 1}],"
                + " \"loss\": \"mse\"}");
    Path csv = write("four.csv", "a,b,c,d,y\n1,2,3,4,5\n2,3,4,5,6\n");
    String err = fails(3, "train", "--network", net.toString(), "--data", csv.toString());
    assertTrue(err.contains("gives [2, 1] per example"), err);
    assertTrue(err.contains("put a flatten layer before the dense layer"), err);
  }

  @Test
  void missingValuesAndHeaderOnlyFilesAreRefused() throws Exception {
    Path missing = write("missing.csv", "size,colour,price\n1,red,2\n3,,4\n");
    assertEquals(
        "nerve: "
            + missing
            + ": line 3, column 2 ('colour'): empty value (missing values are not"
            + " supported)",
        fails(3, "train", "--network", houseNetwork().toString(), "--data", missing.toString()));
    Path headerOnly = write("header.csv", "size,colour,price\n");
    assertEquals(
        "nerve: " + headerOnly + ": the file has a header but no rows",
        fails(3, "train", "--network", houseNetwork().toString(), "--data", headerOnly.toString()));
    Path wide = write("wide.csv", "size,colour,shade,price\n1,red,dark,2\n2,blue,light,3\n");
    assertTrue(
        fails(3, "train", "--network", houseNetwork().toString(), "--data", wide.toString())
            .contains("(size, colour (2 one-hot), shade (2 one-hot)) give 5"));
  }

  private static final String BLOBS_NET =
      "{\"inputs\": 2, \"layers\": [{\"type\": \"dense\", \"units\": 8}, {\"type\": \"tanh\"},"
          + " {\"type\": \"dense\", \"units\": 3}], \"loss\": \"softmax_cross_entropy\","
          + " \"learning_rate\": 0.2, \"epochs\": 300, \"batch_size\": 8, \"seed\": 1}";

  private Path blobs() throws Exception {
    return write("blobs.csv", Blobs.csv(150, 0.6, false));
  }

  @Test
  void validationEarlyStoppingJsonLinesChartsAndReport() throws Exception {
    CliTest.Run r =
        nerve(
            "train",
            "--network",
            write("net.json", BLOBS_NET).toString(),
            "--data",
            blobs().toString(),
            "--validation-split",
            "0.3",
            "--early-stopping",
            "val-loss",
            "--patience",
            "5",
            "--json",
            "--report",
            path("run.html"),
            "--charts",
            path("charts"),
            "--checkpoint-every",
            "2",
            "--checkpoint-dir",
            path("ckpt"),
            "-o",
            path("m.nerve"));
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    Map<?, ?> last = (Map<?, ?>) Json.parse(lines.get(lines.size() - 1), "out");
    assertEquals("result", last.get("event"));
    int epochs = ((Number) last.get("epochs_run")).intValue();
    assertTrue(epochs < 300, "early stopping ended the run after " + epochs + " epochs");
    assertEquals(epochs, lines.size() - 1, "one JSON line per epoch, then the result");
    Map<?, ?> first = (Map<?, ?>) Json.parse(lines.get(0), "out");
    assertEquals("epoch", first.get("event"));
    assertTrue(first.get("validation_loss") instanceof Number, lines.get(0));
    Map<?, ?> train = (Map<?, ?>) last.get("train");
    assertTrue(((Number) train.get("accuracy")).doubleValue() > 0.8, lines.get(lines.size() - 1));
    assertEquals(3, ((List<?>) train.get("confusion_matrix")).size());
    // Checkpoints: the last three even epochs.
    try (var files = Files.list(dir.resolve("ckpt"))) {
      assertEquals(3, files.count());
    }
    // Charts in both formats, and a self-contained report.
    for (String n : ReportOptions.CHART_NAMES) {
      byte[] png = Files.readAllBytes(dir.resolve("charts").resolve(n + ".png"));
      assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
      assertTrue(Files.readString(dir.resolve("charts").resolve(n + ".svg")).contains("<svg"));
    }
    String html = Files.readString(dir.resolve("run.html"));
    assertTrue(html.contains("red") && html.contains("blue"), "class names in the report");
    assertFalse(html.contains("http://") && html.contains("<script src"), "no external scripts");
    // The report refuses to be overwritten without --force, before any training.
    assertTrue(
        fails(5, "train", "--report", path("run.html")).contains("already exists; use --force"));
  }

  @Test
  void quietPrintsOnlyTheResult() throws Exception {
    CliTest.Run r =
        nerve(
            "train",
            "--network",
            write("net.json", BLOBS_NET).toString(),
            "--data",
            blobs().toString(),
            "--epochs",
            "3",
            "-q");
    assertEquals(0, r.code(), r.err());
    assertEquals(1, r.out().lines().count(), r.out());
    assertTrue(r.out().startsWith("trained in"), r.out());
  }

  @Test
  void inspectShowsTheManifestAndRefusesDamage() throws Exception {
    assertEquals(
        0,
        nerve(
                "train",
                "--network",
                write("net.json", BLOBS_NET).toString(),
                "--data",
                blobs().toString(),
                "--epochs",
                "2",
                "-q",
                "-o",
                path("m.nerve"))
            .code());
    CliTest.Run i = nerve("inspect", path("m.nerve"));
    assertEquals(0, i.code(), i.err());
    assertTrue(i.out().contains("nerve-model version 2"), i.out());
    assertTrue(i.out().contains("(verified)"), i.out());
    assertTrue(i.out().contains("Dense(in=2, out=8)"), i.out());
    assertTrue(i.out().contains("classes   blue, green, red"), i.out());
    assertTrue(i.out().contains("data_sha256"), i.out());
    CliTest.Run j = nerve("inspect", "--json", path("m.nerve"));
    Map<?, ?> manifest = (Map<?, ?>) Json.parse(j.out(), "json");
    assertEquals("nerve-model", manifest.get("format"));
    byte[] bytes = Files.readAllBytes(dir.resolve("m.nerve"));
    Files.write(dir.resolve("half.nerve"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertTrue(
        fails(3, "inspect", path("half.nerve")).contains("end record is missing"),
        "a file cut in half");
    bytes[bytes.length / 2] ^= 1;
    Files.write(dir.resolve("flip.nerve"), bytes);
    assertTrue(
        fails(3, "predict", "-m", path("flip.nerve"), "--data", path("blobs.csv"))
            .startsWith("nerve: " + path("flip.nerve")));
  }

  /** Small IDX files: 4x4 images of a bright left or right half, labelled 0 or 1. */
  private void idxFiles(String prefix, int n, long seed) throws Exception {
    Rng r = new Rng(seed);
    ByteBuffer img = ByteBuffer.allocate(16 + n * 16);
    img.putInt(0x00000803).putInt(n).putInt(4).putInt(4);
    ByteBuffer lab = ByteBuffer.allocate(8 + n);
    lab.putInt(0x00000801).putInt(n);
    for (int i = 0; i < n; i++) {
      int label = r.nextInt(2);
      for (int p = 0; p < 16; p++) {
        boolean bright = (p % 4 < 2) == (label == 0);
        img.put((byte) (bright ? 150 + r.nextInt(100) : r.nextInt(100)));
      }
      lab.put((byte) label);
    }
    Files.write(dir.resolve(prefix + "-images"), IdxBytes.gzip(img.array()));
    Files.write(dir.resolve(prefix + "-labels"), lab.array());
  }

  @Test
  void idxImagesTrainPredictAndEvaluate() throws Exception {
    idxFiles("train", 200, 1);
    idxFiles("test", 50, 2);
    Path net =
        write(
            "idx-net.json",
            "{\"inputs\": 16, \"layers\": [{\"type\": \"dense\", \"units\": 2}],"
                + " \"loss\": \"softmax_cross_entropy\", \"optimizer\": \"momentum\","
                + " \"learning_rate\": 0.1, \"epochs\": 5, \"batch_size\": 20}");
    CliTest.Run r =
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
            "-o",
            path("m.nerve"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Normalizer(scale 0.003921569)"), "pixels scaled by default");
    assertTrue(r.out().contains("test: loss"), r.out());
    assertTrue(r.out().contains("true\\pred"), "confusion matrix: " + r.out());
    CliTest.Run e =
        nerve(
            "evaluate",
            "-m",
            path("m.nerve"),
            "--data",
            path("test-images"),
            "--labels",
            path("test-labels"),
            "--json");
    assertEquals(0, e.code(), e.err());
    Map<?, ?> m = (Map<?, ?>) Json.parse(e.out(), "json");
    assertTrue(((Number) m.get("accuracy")).doubleValue() > 0.95, e.out());
    CliTest.Run p = nerve("predict", "-m", path("m.nerve"), "--data", path("test-images"));
    assertEquals(0, p.code(), p.err());
    assertEquals("predicted,p_0,p_1", p.out().lines().findFirst().orElseThrow());
    assertEquals(51, p.out().lines().count());
    // Broken IDX input: one clear line, exit 3.
    byte[] img = Files.readAllBytes(dir.resolve("train-images"));
    Files.write(dir.resolve("cut"), java.util.Arrays.copyOf(img, img.length - 10));
    assertTrue(
        fails(3, "predict", "-m", path("m.nerve"), "--data", path("cut"))
            .contains("corrupt or truncated gzip"));
    assertTrue(
        fails(
                3,
                "evaluate",
                "-m",
                path("m.nerve"),
                "--data",
                path("test-images"),
                "--labels",
                path("train-labels"))
            .contains("holds 50 images but"));
    assertTrue(
        fails(2, "evaluate", "-m", path("m.nerve"), "--data", path("test-images"))
            .contains("give its labels with --labels"));
  }

  /** The README's Fashion-MNIST command; CI installs the data and requires this test. */
  @Test
  void fashionMnistExampleReachesItsAccuracy() throws Exception {
    boolean present = Files.exists(Examples.FASHION_DIR.resolve("t10k-images-idx3-ubyte.gz"));
    if (!Boolean.getBoolean("nerve.requireDatasets") && !"1".equals(System.getenv("NERVE_CI"))) {
      Assumptions.assumeTrue(present, "dataset-fashion-mnist is not installed");
    }
    CliTest.Run r =
        nerve("train", "--example", "fashion-mnist", "-q", "--json", "-o", path("f.nerve"));
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    Map<?, ?> result = (Map<?, ?>) Json.parse(lines.get(lines.size() - 1), "out");
    double accuracy = ((Number) ((Map<?, ?>) result.get("test")).get("accuracy")).doubleValue();
    assertTrue(accuracy >= 0.88, "test accuracy " + accuracy);
  }

  @Test
  void reviewedRefusals() throws Exception {
    Path net = write("net.json", BLOBS_NET);
    Path csv = blobs();
    // Checkpoints of an earlier run are not replaced without --force.
    Files.createDirectories(dir.resolve("ck"));
    Files.writeString(dir.resolve("ck").resolve("epoch-0002.nerve"), "earlier run");
    assertTrue(
        fails(
                5,
                "train",
                "--network",
                net.toString(),
                "--data",
                csv.toString(),
                "--checkpoint-every",
                "2",
                "--checkpoint-dir",
                path("ck"))
            .contains("already holds checkpoints (epoch-0002.nerve)"));
    assertEquals("earlier run", Files.readString(dir.resolve("ck").resolve("epoch-0002.nerve")));
    assertTrue(
        fails(
                2,
                "train",
                "--network",
                net.toString(),
                "--data",
                csv.toString(),
                "--checkpoint-every",
                "2",
                "--checkpoint-dir",
                csv.toString())
            .contains("is a file, not a directory"));
    // Accuracy needs classes; bad numbers are usage errors.
    assertTrue(
        fails(
                2,
                "train",
                "--network",
                houseNetwork().toString(),
                "--data",
                houses().toString(),
                "--early-stopping",
                "accuracy")
            .contains("needs class targets"));
    assertTrue(
        fails(
                2,
                "train",
                "--network",
                net.toString(),
                "--data",
                csv.toString(),
                "--early-stopping",
                "loss",
                "--min-delta",
                "Infinity")
            .contains("--min-delta must be 0 or more"));
    assertTrue(
        fails(2, "train", "--normalize", "scale", "--scale", "0").contains("--scale must be"));
    // A model whose class list does not fit its outputs is refused, not half-printed.
    ModelFile good = trained(net, csv);
    new ModelFile(
            good.spec(), good.model(), good.normalizer(), Map.of("classes", List.of("a", "b")))
        .write(dir.resolve("bad.nerve"));
    assertEquals(
        "nerve: the model file lists 2 classes for a network of 3 outputs",
        fails(3, "predict", "-m", path("bad.nerve"), "--data", csv.toString()));
  }

  private ModelFile trained(Path net, Path csv) throws Exception {
    assertEquals(
        0,
        nerve(
                "train",
                "--network",
                net.toString(),
                "--data",
                csv.toString(),
                "--epochs",
                "1",
                "-q",
                "-o",
                path("good.nerve"))
            .code());
    return ModelFile.read(dir.resolve("good.nerve"));
  }

  @Test
  void optimisersSchedulesAndClippingFromTheCommandLine() throws Exception {
    CliTest.Run r =
        nerve(
            "train",
            "--network",
            write("net.json", BLOBS_NET).toString(),
            "--data",
            blobs().toString(),
            "--epochs",
            "6",
            "--optimizer",
            "adamw",
            "--lr",
            "0.02",
            "--weight-decay",
            "0.001",
            "--clip-norm",
            "1",
            "--clip-value",
            "5",
            "--lr-schedule",
            "step",
            "--lr-step",
            "2",
            "--lr-gamma",
            "0.5",
            "--warmup-epochs",
            "2",
            "--json",
            "-o",
            path("m.nerve"));
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    double[] rates = new double[6];
    for (int e = 0; e < 6; e++) {
      rates[e] =
          ((Number) ((Map<?, ?>) Json.parse(lines.get(e), "out")).get("learning_rate"))
              .doubleValue();
    }
    // Warm-up 0.02/3, 0.04/3, then step decay from 0.02: 0.02, 0.02, 0.01, 0.01.
    assertArrayEquals(new double[] {0.02 / 3, 0.04 / 3, 0.02, 0.02, 0.01, 0.01}, rates, 1e-7);
    Map<?, ?> training =
        (Map<?, ?>) ModelFile.read(dir.resolve("m.nerve")).metadata().get("training");
    assertEquals("AdamW(learningRate=0.02, weightDecay=0.001)", training.get("optimizer"));
    assertEquals("warm-up 2 epochs, then step every 2 epochs by 0.5", training.get("schedule"));
    assertTrue(
        fails(
                2,
                "train",
                "--network",
                path("net.json"),
                "--data",
                path("blobs.csv"),
                "--lr-schedule",
                "linear")
            .contains("unknown schedule 'linear'"));
    assertTrue(
        fails(
                2,
                "train",
                "--network",
                path("net.json"),
                "--data",
                path("blobs.csv"),
                "--weight-decay",
                "-1")
            .contains("must be 0 or positive"));
  }
}
